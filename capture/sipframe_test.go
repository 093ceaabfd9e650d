package capture

import "testing"

func TestIsSIPStart(t *testing.T) {
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
		{"", false},
	}
	for _, c := range cases {
		if got := IsSIPStart([]byte(c.in)); got != c.want {
			t.Errorf("IsSIPStart(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestFrameMessage(t *testing.T) {
	msg := "OPTIONS sip:x SIP/2.0\r\nContent-Length: 4\r\n\r\nbody"
	cases := []struct {
		in     string
		n      int
		status frameStatus
	}{
		{msg, len(msg), frameOK},
		{msg + "NEXT", len(msg), frameOK},
		{msg[:len(msg)-1], 0, frameNeedMore},
		{"OPTIONS sip:x SIP/2.0\r\nContent-Length: 4\r\n", 0, frameNeedMore},
		{"OPTIONS sip:x SIP/2.0\nl: 2\n\nhi", len("OPTIONS sip:x SIP/2.0\nl: 2\n\nhi"), frameOK}, // LF only, compact form
		{"OPTIONS sip:x SIP/2.0\r\n\r\n", len("OPTIONS sip:x SIP/2.0\r\n\r\n"), frameOK},         // no Content-Length: empty body
		{"OPTIONS sip:x SIP/2.0\r\nContent-Length: 99999999\r\n\r\n", 0, frameTooLarge},
	}
	for _, c := range cases {
		n, st := frameMessage([]byte(c.in))
		if n != c.n || st != c.status {
			t.Errorf("frameMessage(%q) = %d, %d; want %d, %d", c.in, n, st, c.n, c.status)
		}
	}
}

func TestContentLength(t *testing.T) {
	for in, want := range map[string]int{
		"X: 1\r\nContent-Length: 12\r\n":   12,
		"x: 1\r\ncontent-length:   7 \r\n": 7,
		"l: 3\r\n":                         3,
		"L : 5\r\n":                        5,
	} {
		if got, ok := ContentLength([]byte(in)); !ok || got != want {
			t.Errorf("ContentLength(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"Content-Type: x\r\n", "Content-Length: x1\r\n", "Content-Length-X: 3\r\n"} {
		if _, ok := ContentLength([]byte(in)); ok {
			t.Errorf("ContentLength(%q) found a length", in)
		}
	}
}
