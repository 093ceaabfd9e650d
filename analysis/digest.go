package analysis

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
)

// Secret is what a candidate credential holds: a password, or the HA1
// that servers store instead of it (RFC 2617 §3.2.2.2). Its String never
// shows the value.
type Secret struct {
	password string
	ha1      string // lower-case hex
}

// Password returns a secret holding a password.
func Password(p string) Secret { return Secret{password: p} }

// HA1 returns a secret holding a precomputed H(username:realm:password).
func HA1(hexHA1 string) Secret { return Secret{ha1: strings.ToLower(hexHA1)} }

// String masks the secret so that it never reaches output by accident.
func (s Secret) String() string { return "********" }

// GoString masks the secret in %#v too.
func (s Secret) GoString() string { return "analysis.Secret{********}" }

// IsZero reports an empty secret.
func (s Secret) IsZero() bool { return s.password == "" && s.ha1 == "" }

// hashFor returns the hash of an algorithm name (RFC 7616 §3.2,
// RFC 8760 §2) and whether it is a -sess variant.
func hashFor(alg string) (func() hash.Hash, bool, error) {
	a := strings.ToUpper(alg)
	sess := strings.HasSuffix(a, "-SESS")
	switch strings.TrimSuffix(a, "-SESS") {
	case "", "MD5":
		return md5.New, sess, nil
	case "SHA-256":
		return sha256.New, sess, nil
	case "SHA-512-256":
		return sha512.New512_256, sess, nil
	}
	return nil, false, errors.New("algorithm " + alg + " is not a digest algorithm sipdbg can compute")
}

func hexHash(h func() hash.Hash, parts ...string) string {
	x := h()
	for i, p := range parts {
		if i > 0 {
			x.Write([]byte{':'})
		}
		x.Write([]byte(p))
	}
	return hex.EncodeToString(x.Sum(nil))
}

// DigestInput is everything a digest response is computed from.
type DigestInput struct {
	Method    string
	URI       string // the digest uri parameter, not necessarily the Request-URI
	Username  string // the user the secret belongs to (before any userhash)
	Realm     string
	Secret    Secret
	Nonce     string
	CNonce    string
	NC        string
	Qop       string // "", "auth" or "auth-int"
	Algorithm string
	Body      []byte // the message body, for qop=auth-int
}

// Step is one line of a digest computation for people to read. The
// secret appears masked, and so do the HA1 and HA1-sess values: HA1 =
// H(username:realm:password) answers any challenge of that realm as the
// password does, so it is a secret too (Masked stands for it).
type Step struct {
	Name    string // HA1, HA2, response
	Formula string // e.g. MD5(alice:sipdbg.test:********)
	Value   string
}

// Masked is what a step shows in place of a secret value.
const Masked = "********"

// Compute returns the response the input yields, with the steps (RFC
// 2617 §3.2.2.1–3, RFC 7616 §3.4.1–3).
func Compute(in DigestInput) (string, []Step, error) {
	h, sess, err := hashFor(in.Algorithm)
	if err != nil {
		return "", nil, err
	}
	name := strings.TrimSuffix(strings.ToUpper(in.Algorithm), "-SESS")
	if name == "" {
		name = "MD5"
	}
	var steps []Step
	ha1 := in.Secret.ha1
	if ha1 == "" {
		ha1 = hexHash(h, in.Username, in.Realm, in.Secret.password)
		steps = append(steps, Step{"HA1", name + "(" + in.Username + ":" + in.Realm + ":" + Masked + ")", Masked})
	} else {
		steps = append(steps, Step{"HA1", "given (HA1:" + Masked + ")", Masked})
	}
	if sess {
		ha1 = hexHash(h, ha1, in.Nonce, in.CNonce)
		steps = append(steps, Step{"HA1-sess", name + "(HA1:" + in.Nonce + ":" + in.CNonce + ")", Masked})
	}
	var ha2 string
	if strings.EqualFold(in.Qop, "auth-int") {
		hb := hexHash(h, string(in.Body))
		ha2 = hexHash(h, in.Method, in.URI, hb)
		steps = append(steps, Step{"HA2", name + "(" + in.Method + ":" + in.URI + ":H(body))", ha2})
	} else {
		ha2 = hexHash(h, in.Method, in.URI)
		steps = append(steps, Step{"HA2", name + "(" + in.Method + ":" + in.URI + ")", ha2})
	}
	var resp string
	if in.Qop == "" {
		resp = hexHash(h, ha1, in.Nonce, ha2) // RFC 2069 compatibility (RFC 2617 §3.2.2.1)
		steps = append(steps, Step{"response", name + "(HA1:" + in.Nonce + ":HA2)", resp})
	} else {
		resp = hexHash(h, ha1, in.Nonce, in.NC, in.CNonce, in.Qop, ha2)
		steps = append(steps, Step{"response", name + "(HA1:" + in.Nonce + ":" + in.NC + ":" + in.CNonce + ":" + in.Qop + ":HA2)", resp})
	}
	return resp, steps, nil
}

// UserHash returns H(username:realm), what a client sends as username
// with userhash=true (RFC 7616 §3.4.4).
func UserHash(alg, username, realm string) string {
	h, _, err := hashFor(alg)
	if err != nil {
		return ""
	}
	return hexHash(h, username, realm)
}
