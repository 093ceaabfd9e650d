package siplex

import (
	"strings"
	"testing"
)

func TestIsStart(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"INVITE sip:bob@example.com SIP/2.0\r\n", true},
		{"SIP/2.0 200 OK\r\n", true},
		{"SIP/2.0 407 Proxy Authentication Required\r\n", true},
		{"sip/2.0 180 Ringing\n", true},                   // version is case-insensitive (§7.1)
		{"DBREGISTER sip:1.1.1.1:5060 SIP/2.0\r\n", true}, // unknown methods are still SIP
		{"REGISTER sip:example.com SIP/2.0", true},        // no line end yet
		{"CANCEL sip:a@b SIP/2.0\r7Via: x\n", true},       // CR alone ends a line
		{"GET / HTTP/1.1\r\nHost: x\r\n", false},          // HTTP on a SIP port
		{"INVITE sip:a b SIP/2.0\r\n", false},             // space in the URI
		{"INVITE sip:0%s\x00239@x SIP/2.0\r\n", false},    // control character
		{"SIP/2.0 2OO OK\r\n", false},                     // status not digits
		{"\x80\x00\x12\x34 RTP payload here\r\n", false},  // binary
		{"INVITE sip:bob@example.com SIP/3.0\r\n", false}, // wrong version
		{"INV(TE sip:bob@example.com SIP/2.0\r\n", false}, // not a token
		{"SIP/2.0 200OK\r\n", false},                      // no space after code
		{"SIP\x0f2.0 200 OK\r\n", false},                  // a control byte is no '/', whatever its bit 5
		{"", false},
	}
	for _, c := range cases {
		if got := IsStart([]byte(c.in)); got != c.want {
			t.Errorf("IsStart(%q) = %v, want %v", c.in, got, c.want)
		}
		if got := IsStart(c.in); got != c.want {
			t.Errorf("IsStart(string %q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestIsStartLimit(t *testing.T) {
	long := "INVITE sip:" + strings.Repeat("a", MaxStartLine-len("INVITE sip:"))
	if !IsStart(long[:MaxStartLine-8] + " SIP/2.0") {
		t.Errorf("a start line of MaxStartLine bytes is refused")
	}
	if IsStart(long + " SIP/2.0") {
		t.Errorf("a start line over MaxStartLine bytes is accepted")
	}
}

func TestIsStartPrefix(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"INVITE sip:bob@example.com SIP/2.0", true},
		{"REGISTER sips:example.com SIP/2.0", true},
		{"MESSAGE tel:+15551234 SIP/2.0", true},
		{"INVITE urn:service:sos SIP/2.0", true},
		{"SUBSCRIBE PRES:bob@example.com SIP/2.0", true},
		{"SIP/2.0 200 OK", true},
		{"INVITE sip:", true}, // a prefix: the rest has not come yet
		{"SIP/2.0 9", false},
		{"SIP/2.0 ", false},
		{"sip/2.0 200 OK", false}, // unlike IsStart, the version as written
		{"GET http://example.com/ HTTP/1.1", false},
		{"GET / HTTP/1.1", false},
		{"invite sip:x", false},
		{"INVITE", false},
		{"INVITE sip", false},
		{"INVITE  sip:x", false},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ sip:x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsStartPrefix([]byte(tt.in)); got != tt.want {
			t.Errorf("IsStartPrefix(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
