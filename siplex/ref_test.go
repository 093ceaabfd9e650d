package siplex

import (
	"bytes"
	"strings"
)

// The lexers siplex replaced, kept verbatim (names prefixed with ref) so
// that the fuzz targets check each caller still reads what it read: the
// session indexer's (session/parse.go, headers.go), the text-trace
// parser's (capture/texttrace/sipheaders.go), framing's
// (capture/sipframe.go), capture/sipstart's and the digest parser's
// (analysis/authparams.go).

// session/parse.go: eachHeader, nextLine, unfold.
func refSessionEachHeader(raw []byte, fn func(name, value []byte)) {
	pos := bytes.IndexByte(raw, '\n') + 1
	if pos == 0 {
		return
	}
	for pos < len(raw) {
		line, next := refNextLine(raw, pos)
		if len(line) == 0 {
			return
		}
		if next < len(raw) && (raw[next] == ' ' || raw[next] == '\t') {
			line, next = refUnfold(raw, line, next)
		}
		pos = next
		if c := bytes.IndexByte(line, ':'); c > 0 {
			fn(bytes.TrimRight(line[:c], " \t"), bytes.TrimSpace(line[c+1:]))
		}
	}
}

func refNextLine(raw []byte, pos int) ([]byte, int) {
	e := bytes.IndexByte(raw[pos:], '\n')
	if e < 0 {
		return bytes.TrimRight(raw[pos:], "\r"), len(raw)
	}
	line := raw[pos : pos+e]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, pos + e + 1
}

func refUnfold(raw, line []byte, next int) ([]byte, int) {
	out := append([]byte(nil), line...)
	for next < len(raw) && (raw[next] == ' ' || raw[next] == '\t') {
		var cont []byte
		cont, next = refNextLine(raw, next)
		out = append(out, ' ')
		out = append(out, bytes.TrimLeft(cont, " \t")...)
	}
	return out, next
}

// session/parse.go: longForm over the compact table.
var refCompact = map[byte]string{
	'a': "accept-contact", 'b': "referred-by", 'c': "content-type",
	'd': "request-disposition", 'e': "content-encoding", 'f': "from",
	'i': "call-id", 'j': "reject-contact", 'k': "supported",
	'l': "content-length", 'm': "contact", 'n': "identity-info",
	'o': "event", 'r': "refer-to", 's': "subject", 't': "to",
	'u': "allow-events", 'v': "via", 'x': "session-expires", 'y': "identity",
}

// refCompactTable is the indexer's table as it was: an array, the
// letters without a compact form holding "".
var refCompactTable = func() (t [26]string) {
	for c, long := range refCompact {
		t[c-'a'] = long
	}
	return t
}()

func refLongForm(name string) (string, byte) {
	long := strings.ToLower(name)
	if len(long) == 1 && long[0] >= 'a' && long[0] <= 'z' && refCompactTable[long[0]-'a'] != "" {
		return refCompactTable[long[0]-'a'], long[0]
	}
	for i, l := range refCompactTable {
		if l == long {
			return long, byte('a' + i)
		}
	}
	return long, 0
}

// session/headers.go: is, param, topVia, nameAddr, indexUnquoted, the
// lexing of cseq.
func refIs(name []byte, long string, short byte) bool {
	if len(name) == 1 {
		return short != 0 && name[0]|0x20 == short
	}
	return len(name) == len(long) && refSessionPrefixFold(name, long)
}

func refSessionPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func refNameAddr(v []byte) (uri, tag []byte) {
	params := v
	if lt := refIndexUnquoted(v, '<'); lt >= 0 {
		rest := v[lt+1:]
		gt := bytes.IndexByte(rest, '>')
		if gt < 0 {
			return rest, nil
		}
		uri, params = rest[:gt], rest[gt+1:]
	} else {
		semi := bytes.IndexByte(v, ';')
		if semi < 0 {
			return bytes.TrimSpace(v), nil
		}
		uri, params = bytes.TrimSpace(v[:semi]), v[semi:]
	}
	return uri, refParam(params, "tag")
}

func refIndexUnquoted(v []byte, c byte) int {
	quoted := false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case c:
			if !quoted {
				return i
			}
		}
	}
	return -1
}

func refParam(params []byte, name string) []byte {
	for len(params) > 0 {
		semi := bytes.IndexByte(params, ';')
		if semi < 0 {
			return nil
		}
		params = params[semi+1:]
		p := params
		if e := bytes.IndexAny(p, ";,"); e >= 0 {
			p = p[:e]
		}
		eq := bytes.IndexByte(p, '=')
		if eq < 0 {
			continue
		}
		if k := bytes.TrimSpace(p[:eq]); len(k) == len(name) && refSessionPrefixFold(k, name) {
			return bytes.Trim(bytes.TrimSpace(p[eq+1:]), `"`)
		}
	}
	return nil
}

func refTopVia(v []byte) (sentBy, branch []byte) {
	if c := refIndexUnquoted(v, ','); c >= 0 {
		v = v[:c]
	}
	i := bytes.IndexAny(v, " \t")
	if i < 0 {
		return nil, nil
	}
	rest := bytes.TrimLeft(v[i:], " \t")
	end := bytes.IndexAny(rest, "; ")
	if t := bytes.IndexByte(rest, '\t'); t >= 0 && (end < 0 || t < end) {
		end = t
	}
	if end < 0 {
		return rest, nil
	}
	return rest[:end], refParam(rest[end:], "branch")
}

func refCSeq(v []byte) (uint32, []byte, bool) {
	n, i := 0, 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9' && i < 10; i++ {
		n = n*10 + int(v[i]-'0')
	}
	meth := bytes.TrimSpace(v[i:])
	bad := i == 0 || len(meth) == 0 || n > 1<<31-1
	return uint32(n), meth, !bad
}

func refParseUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// capture/texttrace/sipheaders.go: eachHeader (no joining),
// looksLikeHeader.
func refTraceEachHeader(msg []byte, fn func(name, value []byte) bool) {
	i := bytes.IndexByte(msg, '\n')
	for i >= 0 && i+1 < len(msg) {
		rest := msg[i+1:]
		j := bytes.IndexByte(rest, '\n')
		line := rest
		if j >= 0 {
			line = rest[:j]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return
		}
		if c := bytes.IndexByte(line, ':'); c > 0 {
			name := bytes.TrimRight(line[:c], " \t")
			if !fn(name, bytes.TrimSpace(line[c+1:])) {
				return
			}
		}
		if j < 0 {
			return
		}
		i += j + 1
	}
}

func refLooksLikeHeader(t []byte) bool {
	if len(t) > 0 && (t[0] == ' ' || t[0] == '\t') {
		return true
	}
	i := 0
	for i < len(t) && refIsTokenChar(t[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i < len(t) && t[i] == ':'
}

func refIsTokenChar(c byte) bool {
	if c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' {
		return true
	}
	return bytes.IndexByte([]byte("-.!%*_+`'~"), c) >= 0
}

// capture/sipframe.go: IsSIPStart with its helpers, which folded by
// ignoring bit 5 of every byte; headerEndFrom.
func refIsSIPStart(b []byte) bool {
	if len(b) < 12 || !(b[0]|0x20 >= 'a' && b[0]|0x20 <= 'z') {
		return false
	}
	end := refLineEnd(b)
	if end < 0 {
		return false
	}
	line := b[:end]
	return refIsStatusLine(line) || refIsRequestLine(line)
}

func refLineEnd(b []byte) int {
	for i, c := range b {
		switch {
		case c == '\r' || c == '\n':
			return i
		case c < 0x20 && c != '\t' || c == 0x7f:
			return -1
		case i >= 8<<10:
			return -1
		}
	}
	return len(b)
}

func refIsDigit(c byte) bool { return c >= '0' && c <= '9' }

func refIsStatusLine(l []byte) bool {
	return len(l) >= 11 && refBit5PrefixFold(l, "SIP/2.0 ") &&
		refIsDigit(l[8]) && refIsDigit(l[9]) && refIsDigit(l[10]) && (len(l) == 11 || l[11] == ' ')
}

func refIsRequestLine(l []byte) bool {
	sp1 := bytes.IndexByte(l, ' ')
	if sp1 < 1 || len(l) < sp1+10 || !(len(l) >= 8 && refBit5PrefixFold(l[len(l)-8:], " SIP/2.0")) {
		return false
	}
	for _, c := range l[:sp1] {
		if !refIsTokenChar(c) {
			return false
		}
	}
	uri := l[sp1+1 : len(l)-8]
	return len(uri) > 0 && bytes.IndexByte(uri, ' ') < 0
}

func refBit5PrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i]|0x20 != p[i]|0x20 {
			return false
		}
	}
	return true
}

func refHeaderEnd(b []byte, from int) (int, bool) {
	for i := from; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return 0, false
		}
		i += j + 1
		if i < len(b) && b[i] == '\n' {
			return i + 1, true
		}
		if i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n' {
			return i + 2, true
		}
	}
}

// capture/sipstart/prefix.go: Prefix.
func refPrefix(p []byte) bool {
	const status = "SIP/2.0 "
	if len(p) > len(status) && string(p[:len(status)]) == status {
		return p[len(status)] >= '1' && p[len(status)] <= '6'
	}
	i := 0
	if len(p) > 0 && p[0] >= 'A' && p[0] <= 'Z' {
		i = 1
		for i < len(p) && i <= 32 && refIsTokenChar(p[i]) {
			i++
		}
		if i > 32 {
			i = 0
		}
	}
	if i == 0 || i >= len(p) || p[i] != ' ' {
		return false
	}
	scheme, _, ok := strings.Cut(string(p[i+1:]), ":")
	if !ok || len(scheme) > 4 {
		return false
	}
	switch strings.Map(refASCIILower, scheme) {
	case "sip", "sips", "tel", "urn", "im", "pres":
		return true
	}
	return false
}

// analysis/authparams.go: the parameter loop of parseDigest, nextParam,
// closingQuote.
func refDigestParams(v string) (scheme string, params [][2]string, ok bool) {
	v = strings.TrimSpace(v)
	sp := strings.IndexAny(v, " \t")
	if sp <= 0 {
		return v, nil, false
	}
	rest := v[sp+1:]
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		var name, val string
		name, val, rest = refNextParam(rest)
		if name == "" {
			break
		}
		params = append(params, [2]string{name, val})
	}
	return v[:sp], params, true
}

func refNextParam(s string) (name, val, rest string) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return "", "", ""
	}
	name = strings.TrimSpace(s[:eq])
	s = strings.TrimLeft(s[eq+1:], " \t")
	if strings.HasPrefix(s, `"`) {
		i, escaped := refClosingQuote(s)
		val = s[1:min(i, len(s))]
		if escaped {
			var b strings.Builder
			for j := 0; j < len(val); j++ {
				if val[j] == '\\' && j+1 < len(val) {
					j++
				}
				b.WriteByte(val[j])
			}
			val = b.String()
		}
		rest = ""
		if i < len(s) {
			rest = s[i+1:]
		}
		if c := strings.IndexByte(rest, ','); c >= 0 {
			rest = rest[c+1:]
		} else {
			rest = ""
		}
		return name, val, rest
	}
	if c := strings.IndexByte(s, ','); c >= 0 {
		return name, strings.TrimSpace(s[:c]), s[c+1:]
	}
	return name, strings.TrimSpace(s), ""
}

func refClosingQuote(s string) (int, bool) {
	i, escaped := 1, false
	for ; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			escaped = true
		}
	}
	return i, escaped
}

func refASCIILower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
