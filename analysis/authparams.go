package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/siplex"
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
// of a capture). The value is lexed by siplex.Auth: the scheme, then
// name=value auth-params whose quoted values lose their quotes and
// backslash escapes (RFC 3261 §25.1 quoted-pair).
func parseDigest(d *Digest, v string, params bool) {
	scheme, list, ok := siplex.Auth(v)
	d.Scheme = scheme
	if !ok {
		return
	}
	if params {
		// One allocation for the usual dozen parameters, not one per doubling.
		d.Params = make([][2]string, 0, 12)
	}
	for {
		name, val, more := list.Next()
		if !more {
			break
		}
		d.set(strings.ToLower(name), val, params)
	}
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
