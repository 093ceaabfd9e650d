package calllist

import (
	"fmt"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
)

func TestContainsFold(t *testing.T) {
	cases := []struct {
		hay, needle string
		want        bool
	}{
		{"SIP/2.0 407 Proxy Authentication Required", "407 proxy", true},
		{"WWW-Authenticate: Digest realm=\"X\"", "www-authenticate", true},
		{"abc", "abcd", false},
		{"", "a", false},
		{"anything", "", true},
		{"aaaB", "ab", true},
		{"Alice", "bob", false},
		{"1234", "34", true},
	}
	for _, c := range cases {
		if got := containsFold([]byte(c.hay), []byte(c.needle)); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v", c.hay, c.needle, got)
		}
	}
}

// TestFilterStepsGiveTheFullResult: a filter scanned in small steps, as
// the interface does between keystrokes, finds what one full scan finds.
func TestFilterStepsGiveTheFullResult(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var full Model
	full.SetFilter(s, "bob@")
	var stepped Model
	stepped.Filter = "bob@"
	steps := 0
	for stepped.Pending(s) {
		stepped.Step(s, 1) // one call at a time
		steps++
	}
	if steps != len(s.Calls()) || fmt.Sprint(stepped.rows) != fmt.Sprint(full.rows) || len(full.rows) == 0 || len(full.rows) == len(s.Calls()) {
		t.Errorf("%d steps; stepped %v, full %v of %d calls", steps, stepped.rows, full.rows, len(s.Calls()))
	}
	full.SetFilter(s, "")
	if full.Len() != len(s.Calls()) {
		t.Errorf("clearing the filter shows %d of %d calls", full.Len(), len(s.Calls()))
	}
}
