package siplex

import (
	"slices"
	"testing"
)

func TestParam(t *testing.T) {
	for _, c := range []struct{ params, name, want string }{
		{";tag=1928301774", "tag", "1928301774"},
		{";TAG = 1928301774 ;x", "tag", "1928301774"},
		{";lr;tag=a", "tag", "a"},
		{";x=1, <sip:b>;tag=2", "tag", "2"}, // the search goes on past a comma
		{";expires=\"0\"", "expires", "0"},
		{";tag", "tag", ""},  // no value
		{"tag=a", "tag", ""}, // no ';' before it
		{";tags=a", "tag", ""},
	} {
		if got := Param(c.params, c.name); got != c.want {
			t.Errorf("Param(%q, %q) = %q, want %q", c.params, c.name, got, c.want)
		}
	}
}

// The name-addr and addr-spec examples of RFC 3261 §20.10, §20.20, §20.39.
func TestNameAddr(t *testing.T) {
	for _, c := range []struct{ in, uri, tag string }{
		{`"A. G. Bell" <sip:agb@bell-telephone.com> ;tag=a48s`, "sip:agb@bell-telephone.com", "a48s"},
		{"sip:+12125551212@server.phone2net.com;tag=887s", "sip:+12125551212@server.phone2net.com", "887s"},
		{"Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8", "sip:c8oqz84zk7z@privacy.org", "hyh8"},
		{`"Mr. Watson" <sip:watson@worcester.bell-telephone.com>`, "sip:watson@worcester.bell-telephone.com", ""},
		{`"<not the URI>" <sip:b@x>;tag=1`, "sip:b@x", "1"},                     // '<' inside the quoted display name
		{`"a \" <x>" <sip:c@x>`, "sip:c@x", ""},                                 // an escaped quote does not close it
		{"<sip:a@x;transport=tcp>;foo=bar;TAG=3", "sip:a@x;transport=tcp", "3"}, // the URI's parameters are not the header's
		{"<sip:cut@x;tag=1", "sip:cut@x;tag=1", ""},                             // no '>': the rest, no parameters
		{"  sip:bare@x  ", "sip:bare@x", ""},
	} {
		uri, params := NameAddr(c.in)
		if tag := Param(params, "tag"); uri != c.uri || tag != c.tag {
			t.Errorf("NameAddr(%q) = %q, tag %q; want %q, %q", c.in, uri, tag, c.uri, c.tag)
		}
	}
}

// authParams collects what Auth and Next read.
func authParams(v string) (string, [][2]string, bool) {
	scheme, p, ok := Auth(v)
	var out [][2]string
	for {
		n, v, more := p.Next()
		if !more {
			break
		}
		out = append(out, [2]string{n, v})
	}
	return scheme, out, ok
}

// Credentials from RFC 3261 §22.4 and §25.1 quoted-string with its
// quoted-pairs.
func TestAuthParams(t *testing.T) {
	in := `Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
 uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b",
 response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"`
	scheme, got, ok := authParams(in)
	want := [][2]string{
		{"username", "bob"}, {"realm", "biloxi.com"}, {"nonce", "dcd98b7102dd2f0e8b11d0f600bfb0c093"},
		{"uri", "sip:bob@biloxi.com"}, {"qop", "auth"}, {"nc", "00000001"}, {"cnonce", "0a4f113b"},
		{"response", "6629fae49393a05397450978507c4ef1"}, {"opaque", "5ccc069c403ebaf9f0171e9517f40e41"},
	}
	if scheme != "Digest" || !ok || !slices.Equal(got, want) {
		t.Errorf("Auth(§22.4 credentials) = %q %v\n%q", scheme, ok, got)
	}
	for _, c := range []struct {
		in   string
		want [][2]string
	}{
		{`Digest realm="a\"b", nonce="x\\y"`, [][2]string{{"realm", `a"b`}, {"nonce", `x\y`}}}, // quoted-pair
		{`Digest realm="a,b" , ,nonce=n1`, [][2]string{{"realm", "a,b"}, {"nonce", "n1"}}},     // comma inside quotes, empty element
		{`Digest Realm = x , stale=TRUE`, [][2]string{{"Realm", "x"}, {"stale", "TRUE"}}},      // names not folded
		{`Digest realm="open`, [][2]string{{"realm", "open"}}},                                 // no closing quote
		{`Digest realm="a"junk, nonce=n`, [][2]string{{"realm", "a"}, {"nonce", "n"}}},         // junk after the quote
		{`Digest realm=x, garbage, nonce=n`, [][2]string{{"realm", "x"}, {"garbage, nonce", "n"}}},
		{`Digest =x, nonce=n`, nil}, // no name: the list ends
	} {
		if _, got, _ := authParams(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Auth(%q) params %q, want %q", c.in, got, c.want)
		}
	}
	if scheme, _, ok := authParams("  Bearer  "); scheme != "Bearer" || ok {
		t.Errorf("a scheme alone: %q, %v", scheme, ok)
	}
}

func TestSplitCSeq(t *testing.T) {
	for _, c := range []struct {
		in     string
		seq    uint32
		method string
		ok     bool
	}{
		{"4711 INVITE", 4711, "INVITE", true},
		{"1\tACK ", 1, "ACK", true},
		{"INVITE", 0, "INVITE", false},
		{"12", 12, "", false},
		{"2147483648 BYE", 2147483648, "BYE", false},
		{"99999999999 BYE", 1410065407, "9 BYE", false}, // ten digits read, modulo 2³²
	} {
		seq, m, ok := SplitCSeq(c.in)
		if seq != c.seq || m != c.method || ok != c.ok {
			t.Errorf("SplitCSeq(%q) = %d %q %v; want %d %q %v", c.in, seq, m, ok, c.seq, c.method, c.ok)
		}
	}
}
