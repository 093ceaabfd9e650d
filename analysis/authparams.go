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
	Params    [][2]string // every parameter in order, names lower-cased
}

// ParseDigest parses one challenge or credentials header value. What it
// cannot parse is left out; Scheme is empty when the value is not a
// scheme followed by parameters.
func ParseDigest(v string) Digest {
	v = strings.TrimSpace(v)
	sp := strings.IndexAny(v, " \t")
	if sp <= 0 {
		return Digest{Scheme: v}
	}
	// One allocation for the usual dozen parameters, not one per doubling.
	d := Digest{Scheme: v[:sp], Params: make([][2]string, 0, 12)}
	rest := v[sp+1:]
	for {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		var name, val string
		name, val, rest = nextParam(rest)
		if name == "" {
			break
		}
		d.set(name, val)
	}
	return d
}

// nextParam reads name=value (value a token or a quoted string with
// backslash escapes, RFC 3261 §25.1 quoted-pair) up to the next comma.
func nextParam(s string) (name, val, rest string) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return "", "", ""
	}
	name = strings.ToLower(strings.TrimSpace(s[:eq]))
	s = strings.TrimLeft(s[eq+1:], " \t")
	if strings.HasPrefix(s, `"`) {
		// Most quoted values have no escape: they are used as they are.
		i, escaped := 1, false
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				escaped = true
			}
		}
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

func (d *Digest) set(name, val string) {
	d.Params = append(d.Params, [2]string{name, val})
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
