package probe

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
)

// chooseQop prefers qop=auth, then auth-int (RFC 7616 §3.3), none when
// none is offered (RFC 2069 compatibility).
func chooseQop(offered []string) string {
	for _, want := range []string{"auth", "auth-int"} {
		for _, q := range offered {
			if q == want {
				return q
			}
		}
	}
	return ""
}

func newCNonce() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// answer computes the credentials for challenge ch (RFC 2617 §3.2.2,
// RFC 7616 §3.4, RFC 8760): the request's method, digest uri and body,
// the candidate's secret. nc counts uses of this nonce.
func answer(ch analysis.Digest, method, uri string, body []byte, user string, secret analysis.Secret, nc int) (string, error) {
	qop := chooseQop(ch.QopOptions())
	in := analysis.DigestInput{Method: method, URI: uri, Username: user, Realm: ch.Realm, Secret: secret,
		Nonce: ch.Nonce, Qop: qop, Algorithm: ch.Alg(), Body: body}
	if qop != "" || strings.HasSuffix(strings.ToUpper(ch.Alg()), "-SESS") {
		in.CNonce, in.NC = newCNonce(), fmt.Sprintf("%08x", nc)
	}
	resp, _, err := analysis.Compute(in)
	if err != nil {
		return "", err
	}
	name := user
	if ch.UserHash {
		name = analysis.UserHash(ch.Alg(), user, ch.Realm)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", algorithm=%s`,
		name, ch.Realm, ch.Nonce, uri, resp, ch.Alg())
	if ch.Opaque != "" {
		fmt.Fprintf(&b, `, opaque="%s"`, ch.Opaque)
	}
	if qop != "" {
		fmt.Fprintf(&b, `, qop=%s, nc=%s, cnonce="%s"`, qop, in.NC, in.CNonce)
	} else if in.CNonce != "" {
		fmt.Fprintf(&b, `, cnonce="%s"`, in.CNonce)
	}
	if ch.UserHash {
		b.WriteString(", userhash=true")
	}
	return b.String(), nil
}
