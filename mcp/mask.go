package mcp

import (
	"regexp"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
)

// What a message's text may hold that would let whoever reads it guess or
// replay a password, and is replaced by analysis.Masked before any tool
// returns it:
//
//   - in Authorization and Proxy-Authorization (RFC 3261 §20.7, §20.28):
//     a digest's response and cnonce values (RFC 7616 §3.4). With both,
//     anyone can try passwords offline against the response; without
//     them, the challenge (nonce, realm) alone tells nothing. Every other
//     scheme's credentials (Basic, RFC 7617, is the password in base64;
//     Bearer is a token) are masked whole;
//   - a password in a URI's userinfo, sip:alice:secret@host (RFC 3261
//     §19.1.1 calls it NOT RECOMMENDED; it is still met);
//   - a password parameter anywhere (password=, passwd=, "password": in a
//     body, <password> elements of provisioning XML).
var (
	digestSecret = regexp.MustCompile(`(?i)(\b(?:response|cnonce)\s*=\s*)(?:"((?:[^"\\]|\\.)*)"?|([^\s,;"]+))`)
	authScheme   = regexp.MustCompile(`^(\s*)([!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+)(\s+)(\S[\s\S]*?)(\s*)$`)
	uriPassword  = regexp.MustCompile(`(?i)(\bsips?:[^:@\s;,<>"]+:)([^@\s;,<>"]+)(@)`)
	paramSecret  = regexp.MustCompile(`(?i)(\b(?:password|passwd)"?\s*[=:]\s*)(?:"((?:[^"\\]|\\.)*)"?|([^\s,;&<>"]+))`)
	xmlSecret    = regexp.MustCompile(`(?i)(<(password|passwd)>)([^<]*)(</(?:password|passwd)>)`)
)

// Mask returns a message's text with its secrets masked, and what was
// masked ("Authorization response", "URI password"), each once.
func Mask(text string) (string, []string) {
	var what []string
	note := func(w string) {
		for _, x := range what {
			if x == w {
				return
			}
		}
		what = append(what, w)
	}
	head, body, sep := splitMessage(text)
	var b strings.Builder
	for _, h := range headerBlocks(head) {
		name, value, ok := strings.Cut(h, ":")
		if ok && isAuthorization(strings.TrimSpace(name)) {
			value = maskCredentials(strings.TrimSpace(name), value, note)
			h = name + ":" + value
		}
		b.WriteString(h)
	}
	out := MaskText(b.String()+sep+body, note)
	return out, what
}

// MaskText masks the passwords of URIs and password parameters in any
// text (a ladder, a From header); note, when not nil, hears what was
// masked.
func MaskText(text string, note func(string)) string {
	if note == nil {
		note = func(string) {}
	}
	text = replaceGroup(uriPassword, text, func() { note("URI password") })
	text = replaceGroup(paramSecret, text, func() { note("password parameter") })
	return xmlSecret.ReplaceAllStringFunc(text, func(m string) string {
		note("password element")
		g := xmlSecret.FindStringSubmatch(m)
		return g[1] + analysis.Masked + g[4]
	})
}

// maskCredentials masks one Authorization or Proxy-Authorization value
// (what follows the colon, continuation lines included).
func maskCredentials(name, value string, note func(string)) string {
	g := authScheme.FindStringSubmatch(value)
	if g == nil {
		return value
	}
	if !strings.EqualFold(g[2], "Digest") {
		note(name + " " + g[2] + " credentials")
		return g[1] + g[2] + g[3] + analysis.Masked + g[5]
	}
	return replaceGroup(digestSecret, value, func() { note(name + " response and cnonce") })
}

// replaceGroup replaces the value of every match of re in s by
// analysis.Masked, calling hit for each: the first group after the first
// (the prefix) that matched, so that a quoted value keeps its quotes.
func replaceGroup(re *regexp.Regexp, s string, hit func()) string {
	idx := re.FindAllStringSubmatchIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		for g := 2; 2*g+1 < len(m); g++ {
			if m[2*g] >= 0 {
				b.WriteString(s[last:m[2*g]])
				b.WriteString(analysis.Masked)
				last = m[2*g+1]
				hit()
				break
			}
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

func isAuthorization(name string) bool {
	return strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Proxy-Authorization")
}

// splitMessage cuts a message at the empty line that ends its headers:
// the headers, the body and the line breaks between them ("" when the
// message has no body).
func splitMessage(text string) (head, body, sep string) {
	for _, s := range []string{"\r\n\r\n", "\n\n"} {
		if i := strings.Index(text, s); i >= 0 {
			return text[:i+len(s)/2], text[i+len(s):], s[len(s)/2:]
		}
	}
	return text, "", ""
}

// headerBlocks splits the head of a message into its lines, each header
// with its continuation lines (RFC 3261 §7.3.1: a line that starts with
// a space or a tab continues the one before), line breaks kept.
func headerBlocks(head string) []string {
	var out []string
	for len(head) > 0 {
		end := strings.IndexByte(head, '\n') + 1
		if end == 0 {
			end = len(head)
		}
		line := head[:end]
		head = head[end:]
		if len(out) > 1 && (line[0] == ' ' || line[0] == '\t') {
			out[len(out)-1] += line // the first line (start line) takes no continuation
			continue
		}
		out = append(out, line)
	}
	return out
}
