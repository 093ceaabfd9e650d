package capture

import "testing"

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
	for _, in := range []string{"Content-Type: x\r\n", "Content-Length: x1\r\n", "Content-Length-X: 3\r\n", "Content_Length: 3\r\n", "L\r: 3\r\n", "Content\rLength: 9\r\n"} {
		if _, ok := ContentLength([]byte(in)); ok {
			t.Errorf("ContentLength(%q) found a length", in)
		}
	}
}

// A header name is compared as RFC 3261 §7.3.1 and §7.3.3 say, through
// siplex: letters without regard to case, the compact form, and nothing
// else (framing once folded every byte's bit 5, so that a CR stood for
// the '-' of Content-Length).
func TestContentLengthName(t *testing.T) {
	for hdr, want := range map[string]int{
		"Content-Length: 12\r\n":  12,
		"CONTENT-length: 7\r\n":   7,
		"l: 3\r\n":                3,
		"Content\rLength: 12\r\n": -1,
		"Content-Lengths: 12\r\n": -1,
		"X: 1\r\nL: 4\r\n":        4,
	} {
		n, ok := ContentLength([]byte(hdr))
		if !ok {
			n = -1
		}
		if n != want {
			t.Errorf("%q: %d, want %d", hdr, n, want)
		}
	}
}
