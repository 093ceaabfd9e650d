package session

import "testing"

func TestContainsFold(t *testing.T) {
	cases := []struct {
		hay, needle string
		want        bool
	}{
		{"SIP/2.0 407 Proxy Authentication Required", "407 proxy", true},
		{"WWW-Authenticate: Digest realm=\"X\"", "www-authenticate", true},
		{"abc", "abcd", false},
		{"", "a", false},
		{"anything", "", true},
		{"aaaB", "ab", true},
		{"Alice", "bob", false},
		{"1234", "34", true},
	}
	for _, c := range cases {
		if got := containsFoldBytes([]byte(c.hay), []byte(c.needle)); got != c.want {
			t.Errorf("containsFoldBytes(%q, %q) = %v", c.hay, c.needle, got)
		}
	}
}
