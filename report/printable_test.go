package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain sip:alice@example.com", "plain sip:alice@example.com"},
		{"évident → ✓", "évident → ✓"},
		{"a\x1b]52;c;ZXZpbA==\x07b", `a\x1b]52;c;ZXZpbA==\x07b`},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`},
		{"tab\there\nline", `tab\x09here\x0aline`},
		{"del\x7f c1\u0085 bad\xff", `del\x7f c1\u0085 bad\xff`},
	} {
		if got := Printable(c.in); got != c.want {
			t.Errorf("Printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := string(appendPrintable(nil, []byte("one\ntwo\x1b"), true)); got != "one\ntwo\\x1b" {
		t.Errorf("with lines: %q", got)
	}
}

// Nothing that reaches a terminal control state survives.
func FuzzPrintable(f *testing.F) {
	f.Add("a\x1b]52;c;ZXZpbA==\x07b\u009b31m\xc2")
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("%q: invalid UTF-8 out", out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
				t.Fatalf("%q: control character %U left", out, r)
			}
		}
		if strings.ContainsRune(s, 0x1b) && strings.ContainsRune(out, 0x1b) {
			t.Fatal("ESC left")
		}
	})
}
