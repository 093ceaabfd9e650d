package calllist

import (
	"fmt"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
)

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

// releases records what the store told its backing.
type releases struct{ next [][]byte }

func (r *releases) Guard(fn func() error) error { return fn() }
func (r *releases) Release(next []byte)         { r.next = append(r.next, next) }

// A filter reads every message's text. After each step it tells the
// store how far it has read (the next call's first message), so that a
// mapped capture's pages need not all stay resident, and nil at the end.
func TestFilterReleasesWhatItRead(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	rec := &releases{}
	s.SetBacking(rec)
	var m Model
	m.Filter = "bob@"
	for m.Pending(s) {
		m.Step(s, 1) // one call at a time
	}
	calls := s.Calls()
	if len(rec.next) != len(calls) {
		t.Fatalf("%d releases for %d steps", len(rec.next), len(calls))
	}
	for i, next := range rec.next[:len(calls)-1] {
		if want := s.Msg(int(calls[i+1].Msgs[0])).Raw(); &next[0] != &want[0] {
			t.Errorf("step %d released up to %q, want the next call's first message", i, firstLine(next))
		}
	}
	if last := rec.next[len(calls)-1]; last != nil {
		t.Errorf("the last step released up to %q, want nil (nothing left to read)", firstLine(last))
	}
}

func firstLine(b []byte) string {
	for i, c := range b {
		if c == '\r' || c == '\n' {
			return string(b[:i])
		}
	}
	return string(b)
}

// The filter finds calls by their verdict's code, which no message
// text holds: "credentials-rej" keeps the call whose verdict is
// credentials-rejected, and a code no call has keeps none.
func TestFilterMatchesVerdictCodes(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var m Model
	m.SetFilter(s, "credentials-rej")
	for m.Pending(s) {
		m.Step(s, NextStep)
	}
	if m.Len() != 1 {
		t.Fatalf("%d calls match credentials-rej, want the demo's one", m.Len())
	}
	if c := m.Selected(s); c == nil || c.CallID != "1-21958@127.0.0.1" {
		t.Errorf("the call kept is %+v", c)
	}
	m.SetFilter(s, "loop-or-hops")
	for m.Pending(s) {
		m.Step(s, NextStep)
	}
	if m.Len() != 0 {
		t.Errorf("%d calls match loop-or-hops; the demo has none", m.Len())
	}
}
