package siplex

import (
	"strings"
	"testing"
)

// The URIs of RFC 3261 §19.1.3's examples.
func TestURIHost(t *testing.T) {
	for _, c := range []struct{ uri, host, port string }{
		{"sip:alice@atlanta.com", "atlanta.com", ""},
		{"sip:alice:secretword@atlanta.com;transport=tcp", "atlanta.com", ""},
		{"sips:alice@atlanta.com?subject=project%20x&priority=urgent", "atlanta.com", ""},
		{"sip:+1-212-555-1212:1234@gateway.com;user=phone", "gateway.com", ""},
		{"sips:1212@gateway.com", "gateway.com", ""},
		{"sip:alice@192.0.2.4", "192.0.2.4", ""},
		{"sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "atlanta.com", ""},
		{"sip:alice;day=tuesday@atlanta.com", "atlanta.com", ""}, // ';' is user-unreserved (§25.1)
		{"SIP:bob@192.168.1.10:5062;ob", "192.168.1.10", "5062"},
		{"sip:[2001:db8::10]:5070", "2001:db8::10", "5070"},
		{"tel:+1-212-555-1212", "", ""},
	} {
		h, p := URIHost(c.uri)
		if h != c.host || p != c.port {
			t.Errorf("%s: %q %q, want %q %q", c.uri, h, p, c.host, c.port)
		}
	}
}

func TestHasParam(t *testing.T) {
	params := ";branch=z9hG4bK776asdhds ; RPORT;received=192.0.2.1"
	if !HasParam(params, "rport") || !HasParam(params, "branch") || HasParam(params, "maddr") || HasParam(";rportx", "rport") {
		t.Error("HasParam")
	}
}

// FuzzURIHost: the host and port are parts of the input, and a port
// holds no ':' unless the host was bracketed.
func FuzzURIHost(f *testing.F) {
	f.Add("sip:alice@[2001:db8::1]:5060;transport=tcp")
	f.Add("sips:@")
	f.Fuzz(func(t *testing.T, uri string) {
		h, p := URIHost(uri)
		if !strings.Contains(uri, h) || !strings.Contains(uri, p) {
			t.Fatalf("%q: %q %q", uri, h, p)
		}
		_ = HasParam(uri, "rport")
	})
}
