package analysis

import (
	"strings"
)

// Digest is a parsed WWW-Authenticate / Proxy-Authenticate challenge or
// Authorization / Proxy-Authorization credentials (RFC 3261 §25.1
// challenge and credentials; RFC 7616 §3.3, §3.4). Parameter names are
// matched without regard to case; values have their quotes removed.
type Digest struct {
	Scheme    string // "Digest" (or another scheme, e.g. "Bearer", left unparsed)
	Realm     string
	Nonce     string
	Opaque    string
	Algorithm string // as written; "" means MD5 (RFC 2617 §3.2.1)
	Qop       string // challenge: the offered list, "auth,auth-int"; credentials: the one chosen
	Stale     bool
	Username  string
	URI       string
	Response  string
	CNonce    string
	NC        string
	UserHash  bool
	Auts      bool        // an AKA resynchronisation (RFC 3310 §3.4): the client asks for a fresh nonce
	Params    [][2]string // every parameter in order, names lower-cased
}

// ParseDigest parses one challenge or credentials header value. What it
// cannot parse is left out; Scheme is empty when the value is not a
// scheme followed by parameters.
func ParseDigest(v string) Digest {
	var d Digest
	parseDigest(&d, v, true)
	return d
}

// parseDigest is ParseDigest into d, which must be zero. The analysis
// passes params false: it never reads Params, and building them is the
// one allocation of a parse (a report parses every challenge and answer
// of a capture).
func parseDigest(d *Digest, v string, params bool) {
	v = strings.TrimSpace(v)
	sp := indexBlank(v)
	if sp <= 0 {
		d.Scheme = v
		return
	}
	d.Scheme = v[:sp]
	if params {
		// One allocation for the usual dozen parameters, not one per doubling.
		d.Params = make([][2]string, 0, 12)
	}
	rest := v[sp+1:]
	for {
		rest = trimSeparators(rest)
		if rest == "" {
			break
		}
		var name, val string
		name, val, rest = nextParam(rest)
		if name == "" {
			break
		}
		d.set(name, val, params)
	}
}

// nextParam reads name=value (value a token or a quoted string with
// backslash escapes, RFC 3261 §25.1 quoted-pair) up to the next comma.
func nextParam(s string) (name, val, rest string) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return "", "", ""
	}
	name = strings.ToLower(strings.TrimSpace(s[:eq]))
	s = trimBlanks(s[eq+1:])
	if strings.HasPrefix(s, `"`) {
		i, escaped := closingQuote(s)
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

// closingQuote returns the index of the quote that ends the quoted
// string s opens (len(s) when none does), and whether a backslash escape
// came before it.
func closingQuote(s string) (int, bool) {
	// Most quoted values have no escape: two byte searches find the end.
	q := strings.IndexByte(s[1:], '"')
	if q < 0 {
		q = len(s) - 1
	}
	if strings.IndexByte(s[1:1+q], '\\') < 0 {
		return 1 + q, false
	}
	i, escaped := 1, false
	for ; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			escaped = true
		}
	}
	return i, escaped
}

// The three helpers below are strings.IndexAny and strings.TrimLeft for
// the fixed sets of a header value (blanks, and the commas between
// parameters), without building a set for each parameter.

func indexBlank(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			return i
		}
	}
	return -1
}

func trimBlanks(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

func trimSeparators(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == ',') {
		s = s[1:]
	}
	return s
}

func (d *Digest) set(name, val string, params bool) {
	if params {
		d.Params = append(d.Params, [2]string{name, val})
	}
	switch name {
	case "realm":
		d.Realm = val
	case "nonce":
		d.Nonce = val
	case "opaque":
		d.Opaque = val
	case "algorithm":
		d.Algorithm = val
	case "qop":
		d.Qop = val
	case "stale":
		d.Stale = strings.EqualFold(val, "true")
	case "username":
		d.Username = val
	case "uri":
		d.URI = val
	case "response":
		d.Response = val
	case "cnonce":
		d.CNonce = val
	case "nc":
		d.NC = val
	case "userhash":
		d.UserHash = strings.EqualFold(val, "true")
	case "auts":
		d.Auts = true
	}
}

// IsDigest reports whether the scheme is Digest.
func (d Digest) IsDigest() bool { return strings.EqualFold(d.Scheme, "digest") }

// Alg returns the algorithm, MD5 when none was named (RFC 2617 §3.2.1).
func (d Digest) Alg() string {
	if d.Algorithm == "" {
		return "MD5"
	}
	return d.Algorithm
}

// QopOptions splits a challenge's qop list.
func (d Digest) QopOptions() []string {
	var out []string
	for _, q := range strings.Split(d.Qop, ",") {
		if q = strings.TrimSpace(q); q != "" {
			out = append(out, strings.ToLower(q))
		}
	}
	return out
}
