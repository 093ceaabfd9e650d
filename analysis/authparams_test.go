package analysis

import (
	"reflect"
	"testing"
)

// TestParseDigest pins what ParseDigest makes of the values met in
// captures and of damaged ones (RFC 3261 §25.1 quoted strings with
// escapes, a missing closing quote, blanks and empty parameters).
func TestParseDigest(t *testing.T) {
	cases := []struct {
		in   string
		want Digest
	}{
		{`Digest realm="sipdbg.test", nonce="abc", algorithm=MD5, qop="auth,auth-int", stale=TRUE, opaque="o"`,
			Digest{Scheme: "Digest", Realm: "sipdbg.test", Nonce: "abc", Algorithm: "MD5", Qop: "auth,auth-int", Stale: true, Opaque: "o",
				Params: [][2]string{{"realm", "sipdbg.test"}, {"nonce", "abc"}, {"algorithm", "MD5"}, {"qop", "auth,auth-int"}, {"stale", "TRUE"}, {"opaque", "o"}}}},
		{`Digest username="bob", realm="r", nonce="n", uri="sip:r", response="0a", cnonce="c", nc=00000001, qop=auth, userhash=true`,
			Digest{Scheme: "Digest", Username: "bob", Realm: "r", Nonce: "n", URI: "sip:r", Response: "0a", CNonce: "c", NC: "00000001", Qop: "auth", UserHash: true,
				Params: [][2]string{{"username", "bob"}, {"realm", "r"}, {"nonce", "n"}, {"uri", "sip:r"}, {"response", "0a"}, {"cnonce", "c"}, {"nc", "00000001"}, {"qop", "auth"}, {"userhash", "true"}}}},
		{`Digest realm="a\"b", username="x\\y"`,
			Digest{Scheme: "Digest", Realm: `a"b`, Username: `x\y`, Params: [][2]string{{"realm", `a"b`}, {"username", `x\y`}}}},
		{`Digest realm="abc`, Digest{Scheme: "Digest", Realm: "abc", Params: [][2]string{{"realm", "abc"}}}},
		{`Digest realm="abc\`, Digest{Scheme: "Digest", Realm: `abc\`, Params: [][2]string{{"realm", `abc\`}}}},
		{"  Digest\t, ,REALM = \"r\" ,NoNcE=n1 , nc = 01 ,", Digest{Scheme: "Digest", Realm: "r", Nonce: "n1", NC: "01",
			Params: [][2]string{{"realm", "r"}, {"nonce", "n1"}, {"nc", "01"}}}},
		{`Digest realm="r"junk, nonce="n"`, Digest{Scheme: "Digest", Realm: "r", Nonce: "n", Params: [][2]string{{"realm", "r"}, {"nonce", "n"}}}},
		{`Digest =x, realm="r"`, Digest{Scheme: "Digest", Params: [][2]string{}}},
		{`Bearer`, Digest{Scheme: "Bearer"}},
		{` Digest `, Digest{Scheme: "Digest"}},
		{``, Digest{}},
	}
	for _, c := range cases {
		got := ParseDigest(c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseDigest(%q)\n got %+v\nwant %+v", c.in, got, c.want)
		}
		// The analysis parses without Params; the rest must not differ.
		var d Digest
		parseDigest(&d, c.in, false)
		got.Params = nil
		if !reflect.DeepEqual(d, got) {
			t.Errorf("parseDigest(%q, false) = %+v, want %+v", c.in, d, got)
		}
	}
}
