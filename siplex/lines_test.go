package siplex

import (
	"slices"
	"testing"
)

func TestLine(t *testing.T) {
	s := "a\r\nb\nc\r\r\n\r\nd\r\r"
	var got []string
	for pos := 0; pos < len(s); {
		var l string
		l, pos = Line(s, pos)
		got = append(got, l)
	}
	// CRLF and bare LF both end a line; one CR goes with the LF; an
	// unterminated last line loses all its CRs.
	want := []string{"a", "b", "c\r", "", "d"}
	if !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
}

// headers collects what Headers or HeaderLines pass on.
func headers(msg string, each func(string, func(n, v string) bool)) [][2]string {
	var out [][2]string
	each(msg, func(n, v string) bool { out = append(out, [2]string{n, v}); return true })
	return out
}

// RFC 3261 §7.3.1: a header value may be folded onto continuation lines
// that start with white space; the example there.
func TestHeadersFolding(t *testing.T) {
	msg := "MESSAGE sip:x SIP/2.0\r\n" +
		"Subject: I know you're there,\r\n" +
		"         pick up the phone\r\n" +
		"\tand talk to me!\r\n" +
		"Subject  :   I know you're there, pick up the phone and talk to me!\r\n" +
		"\r\n" +
		"Body: not a header\r\n"
	want := [][2]string{
		{"Subject", "I know you're there, pick up the phone and talk to me!"},
		{"Subject", "I know you're there, pick up the phone and talk to me!"},
	}
	if got := headers(msg, Headers[string]); !slices.Equal(got, want) {
		t.Errorf("Headers:\n got %q\nwant %q", got, want)
	}
	// Without joining, the first line of a folded header is all its value,
	// and the continuation lines, without a colon, are no headers.
	want[0][1] = "I know you're there,"
	if got := headers(msg, HeaderLines[string]); !slices.Equal(got, want) {
		t.Errorf("HeaderLines:\n got %q\nwant %q", got, want)
	}
	stop := 0
	Headers(msg, func(n, v string) bool { stop++; return false })
	if stop != 1 {
		t.Errorf("Headers went on after fn returned false: %d calls", stop)
	}
}

func TestHeadersBareLF(t *testing.T) {
	msg := []byte("SIP/2.0 200 OK\nv: SIP/2.0/UDP h\n i: x\nno colon\n:empty name\nl:0\n\n")
	var got [][2]string
	Headers(msg, func(n, v []byte) bool { got = append(got, [2]string{string(n), string(v)}); return true })
	want := [][2]string{{"v", "SIP/2.0/UDP h i: x"}, {"l", "0"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHeaderEnd(t *testing.T) {
	for _, c := range []struct {
		in   string
		from int
		end  int
		ok   bool
	}{
		{"A\r\nB: 1\r\n\r\nbody", 0, 11, true},
		{"A\nB: 1\n\nbody", 0, 8, true},
		{"A\nB: 1\n\r\nbody", 0, 9, true},
		{"A\r\nB: 1\r\n", 0, 0, false},
		{"A\r\nB: 1\r\n\r", 0, 0, false},
		{"A\r\n\r\nB\r\n\r\n", 3, 10, true}, // from skips the first empty line
	} {
		end, ok := HeaderEnd(c.in, c.from)
		if end != c.end || ok != c.ok {
			t.Errorf("HeaderEnd(%q, %d) = %d, %v; want %d, %v", c.in, c.from, end, ok, c.end, c.ok)
		}
	}
}

func TestLooksLikeField(t *testing.T) {
	for in, want := range map[string]bool{
		"Via: x": true, "Via : x": true, " continued": true, "\tcontinued": true,
		"Vi a: x": false, ": x": false, "Via x": false, "": false, "Via": false,
	} {
		if LooksLikeField(in) != want {
			t.Errorf("LooksLikeField(%q) = %v", in, !want)
		}
	}
}

func TestUint(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "349": 349, "999999999": 999999999} {
		if n, ok := Uint(in); !ok || n != want {
			t.Errorf("Uint(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"", "1000000000", "12a", "-1", " 1", "+1"} {
		if _, ok := Uint(in); ok {
			t.Errorf("Uint(%q) is a number", in)
		}
	}
}
