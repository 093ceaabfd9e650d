package tui

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
)

// sipdbg --problems starts the list on the calls whose verdict is an
// error or a warning (the demo's calls 2 and 3), once the capture is
// whole; the status line says so; esc shows every call again.
func TestListProblemsOnly(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}).WithListFilter("", true), 80, 24)
	for m.cv.list.Pending(m.cv.store) {
		m = drive(t, m, 80, 24, filterStepMsg{})
	}
	var got []string
	for i := 0; i < m.cv.list.Len(); i++ {
		m.cv.list.Cursor = i
		got = append(got, m.cv.list.Selected(m.cv.store).CallID)
	}
	want := "1-21958@127.0.0.1 f5b8e08294dfc950bb41@sipdbg-auth-lab"
	if strings.Join(got, " ") != want {
		t.Fatalf("problems only: %v, want %s", got, want)
	}
	if v := m.View().Content; !strings.Contains(v, "problems only") {
		t.Errorf("the screen does not say problems only:\n%s", v)
	}
	m = drive(t, m, 80, 24, press("esc"))
	if m.cv.list.Problems || m.cv.list.Len() != 4 {
		t.Errorf("after esc: problems %v, %d rows; want every call (4)", m.cv.list.Problems, m.cv.list.Len())
	}

	// --filter is the / filter's text, there to be edited.
	m = drive(t, demoModel(t, analysis.Options{}).WithListFilter("core.sipdbg", false), 80, 24)
	for m.cv.list.Pending(m.cv.store) {
		m = drive(t, m, 80, 24, filterStepMsg{})
	}
	if m.cv.list.Len() != 1 || m.cv.list.Filter != "core.sipdbg" {
		t.Errorf("--filter core.sipdbg: %d rows, filter %q; want 1 row", m.cv.list.Len(), m.cv.list.Filter)
	}
}
