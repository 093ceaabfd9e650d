package probe

import (
	"strings"
	"testing"
)

// FuzzParseNAPTR: any RDATA parses or is refused without a panic, and a
// parsed replacement is a dotted name of labels of at most 63 bytes.
func FuzzParseNAPTR(f *testing.F) {
	f.Add([]byte("\x00\x0a\x00\x64\x01s\x07SIP+D2U\x00\x04_sip\x04_udp\x07example\x03com\x00"))
	f.Add([]byte("\x00\x01\x00\x01\x01s\x00\x00\xc0\x0c"))
	f.Add([]byte{0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseNAPTR(b)
		if err != nil {
			return
		}
		for _, l := range strings.Split(r.repl, ".") {
			if len(l) > 63 {
				t.Fatalf("label of %d bytes in %q", len(l), r.repl)
			}
		}
		if len(r.flags)+len(r.service)+len(r.regexp) > len(b) {
			t.Fatalf("strings longer than the record: %+v", r)
		}
	})
}
