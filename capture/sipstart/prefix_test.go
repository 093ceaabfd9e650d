package sipstart

import "testing"

func TestPrefix(t *testing.T) {
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
		{"SIP/2.0 9", false},
		{"SIP/2.0 ", false},
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
		if got := Prefix([]byte(tt.in)); got != tt.want {
			t.Errorf("Prefix(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
