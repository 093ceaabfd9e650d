package tui

import "testing"

func TestPastedText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\nb\n", "a\nb\n"},                                       // LF text, as typed into a test
		{"a\r\nb\r\n", "a\nb\n"},                                   // CR LF delivered as is
		{"a\rb\r\rc\r", "a\nb\n\nc\n"},                             // LF text through a terminal: a blank line stays
		{"h1\r\rh2\r\r\r\rbody\r\r", "h1\nh2\n\nbody\n"},           // CR LF text through a terminal
		{"log\rh1\r\rh2\r\r\r\r\rlog\r", "log\nh1\nh2\n\n\nlog\n"}, // LF log lines around CR LF messages
		{"", ""},
	} {
		if got := pastedText(c.in); got != c.want {
			t.Errorf("pastedText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
