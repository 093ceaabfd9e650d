package analysis

import (
	"fmt"
	"strings"
	"testing"
)

// Published vectors: RFC 2617 §3.5 and RFC 7616 §3.9.1. The expected
// responses are copied from the RFCs, not computed here.
func TestDigestRFCVectors(t *testing.T) {
	cases := []struct {
		name string
		in   DigestInput
		want string
	}{
		{"RFC 2617 §3.5", DigestInput{Method: "GET", URI: "/dir/index.html", Username: "Mufasa", Realm: "testrealm@host.com",
			Secret: Password("Circle Of Life"), Nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", CNonce: "0a4f113b", NC: "00000001", Qop: "auth"},
			"6629fae49393a05397450978507c4ef1"},
		{"RFC 7616 §3.9.1 MD5", DigestInput{Method: "GET", URI: "/dir/index.html", Username: "Mufasa", Realm: "http-auth@example.org",
			Secret: Password("Circle of Life"), Nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
			CNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", NC: "00000001", Qop: "auth", Algorithm: "MD5"},
			"8ca523f5e9506fed4657c9700eebdbec"},
		{"RFC 7616 §3.9.1 SHA-256", DigestInput{Method: "GET", URI: "/dir/index.html", Username: "Mufasa", Realm: "http-auth@example.org",
			Secret: Password("Circle of Life"), Nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
			CNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", NC: "00000001", Qop: "auth", Algorithm: "SHA-256"},
			"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
	}
	for _, c := range cases {
		got, steps, err := Compute(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, got, err, c.want)
		}
		for _, s := range steps {
			if strings.Contains(s.Formula, "Circle") {
				t.Errorf("%s: a step shows the password: %q", c.name, s.Formula)
			}
		}
	}
}

// TestDigestVariants checks the algorithm, qop and HA1 paths against
// each other: an HA1 gives what its password gives; -sess, auth-int and
// SHA-512-256 change the result.
func TestDigestVariants(t *testing.T) {
	base := DigestInput{Method: "REGISTER", URI: "sip:sipdbg.test", Username: "alice", Realm: "sipdbg.test",
		Secret: Password("alicepw"), Nonce: "n", CNonce: "c", NC: "00000001", Qop: "auth", Body: []byte("v=0\r\n")}
	seen := map[string]string{}
	for _, alg := range []string{"MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"} {
		for _, qop := range []string{"", "auth", "auth-int"} {
			in := base
			in.Algorithm, in.Qop = alg, qop
			r, _, err := Compute(in)
			if err != nil {
				t.Fatalf("%s/%s: %v", alg, qop, err)
			}
			key := alg + "/" + qop
			for k, v := range seen {
				if v == r {
					t.Errorf("%s gives the same response as %s", key, k)
				}
			}
			seen[key] = r
			withHA1 := in
			withHA1.Secret = HA1(strings.ToUpper(UserHashLike(alg, "alice", "sipdbg.test", "alicepw")))
			if r2, _, _ := Compute(withHA1); r2 != r {
				t.Errorf("%s: HA1 gives %s, password gives %s", key, r2, r)
			}
		}
	}
	if _, _, err := Compute(DigestInput{Algorithm: "AKAv1-MD5"}); err == nil {
		t.Error("AKAv1-MD5 computed without the AKA secret")
	}
	if fmt.Sprint(Password("x")) != "********" || fmt.Sprintf("%#v", Password("x")) == "" || strings.Contains(fmt.Sprintf("%+v %#v", Password("topsecret"), Password("topsecret")), "topsecret") {
		t.Error("a Secret prints its value")
	}
}

// UserHashLike computes H(user:realm:password), the HA1, for the test.
func UserHashLike(alg, user, realm, pw string) string {
	h, _, _ := hashFor(alg)
	return hexHash(h, user, realm, pw)
}
