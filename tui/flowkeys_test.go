package tui

import (
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
)

// In a flow q and esc go back to the call list (sngrep's habit), n goes
// to the next problem step, and in the list esc clears a filter.
func TestFlowKeys(t *testing.T) {
	for _, k := range []string{"q", "esc"} {
		m := drive(t, demoModel(t, analysis.Options{}), 80, 24, presses("j", "enter", k)...)
		if m.cv.flow != nil {
			t.Errorf("%s in a flow did not go back", k)
		}
	}
	m := drive(t, demoModel(t, analysis.Options{}), 80, 24, presses("j", "enter", "n")...)
	if m.cv.flow == nil || m.cv.flow.Focus != 1 || m.cv.flow.Findings[m.cv.flow.Finding].Severity == analysis.Info {
		t.Fatalf("n in a flow did not select a problem step")
	}
	m = drive(t, demoModel(t, analysis.Options{}), 80, 24, presses("/", "b", "o", "b", "enter")...)
	if m.cv.list.Filter == "" {
		t.Fatal("the filter was not set")
	}
	m = drive(t, m, 80, 24, press("esc"))
	if m.cv.list.Filter != "" {
		t.Errorf("esc left the filter %q", m.cv.list.Filter)
	}
}
