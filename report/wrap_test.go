package report

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
		want  []string
	}{
		{"", 10, nil},
		{"  \n ", 10, nil},
		{"one two three", 7, []string{"one two", "three"}},
		{"one  two\nthree", 100, []string{"one two three"}},
		{"with Proxy-Authorization computed", 20, []string{"with", "Proxy-Authorization", "computed"}},
		{"a verylongwordindeed b", 4, []string{"a", "verylongwordindeed", "b"}},
		{"é€ → ok", 4, []string{"é€ →", "ok"}},
	} {
		if got := Wrap(c.text, c.width); !slices.Equal(got, c.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

// No line is wider than width unless it is one word, and the words are
// all there, in order.
func FuzzWrap(f *testing.F) {
	f.Add("A 407 comes from a proxy in the path. It carries the challenge in Proxy-Authenticate;", 20)
	f.Fuzz(func(t *testing.T, text string, width int) {
		width = 1 + int(uint(width)%200)
		lines := Wrap(text, width)
		for _, l := range lines {
			// Invalid UTF-8 has no width of its own to check against.
			if utf8.ValidString(l) && ansi.StringWidth(l) > width && strings.Contains(l, " ") {
				t.Fatalf("line %q wider than %d", l, width)
			}
		}
		if got, want := strings.Fields(strings.Join(lines, " ")), strings.Fields(text); !slices.Equal(got, want) {
			t.Fatalf("words %q, want %q", got, want)
		}
	})
}
