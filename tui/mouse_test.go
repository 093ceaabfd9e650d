package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/tui/flow"
)

func click(x, y int) tea.MouseClickMsg {
	return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}
}

// Clicks select a call, open it when it is clicked again, select a
// ladder row, and select a finding (which selects its message).
func TestMouseClicks(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 160, 48, press("M"), click(10, 3))
	if m.cv.list.Cursor != 2 || m.cv.flow != nil {
		t.Fatalf("click on line 3: cursor %d, flow open %v", m.cv.list.Cursor, m.cv.flow != nil)
	}
	m = drive(t, m, 160, 48, click(10, 3))
	if m.cv.flow == nil || m.cv.flow.Calls[0] != m.cv.list.Selected(m.cv.store) {
		t.Fatal("a second click on the selected call did not open it")
	}
	m = drive(t, m, 160, 48, click(20, 5)) // line 0 is the title, 1 the ladder's header
	if m.cv.flow.Row != 3 || m.cv.flow.Focus != flow.FocusLadder {
		t.Fatalf("click on ladder line 4: row %d", m.cv.flow.Row)
	}
	if len(m.cv.flow.Findings) < 2 {
		t.Fatalf("call 3 of the demo has %d findings; the test needs two", len(m.cv.flow.Findings))
	}
	// 160×48: the title, then the ladder and the message pane take 30
	// lines, then the separator; the verdict is on line 32 and the
	// findings list starts on line 33.
	m = drive(t, m, 160, 48, click(5, 32))
	if m.cv.flow.Focus == flow.FocusFindings {
		t.Fatal("a click on the verdict line selected a finding")
	}
	m = drive(t, m, 160, 48, click(5, 34))
	f := m.cv.flow.Findings[1]
	if m.cv.flow.Focus != flow.FocusFindings || m.cv.flow.Finding != 1 {
		t.Fatalf("click on the second finding: focus %v, finding %d", m.cv.flow.Focus, m.cv.flow.Finding)
	}
	if len(f.Messages) > 0 && m.cv.flow.SelectedMsg() != f.Messages[0] {
		t.Errorf("the finding's message %d is not selected (%d)", f.Messages[0], m.cv.flow.SelectedMsg())
	}
	// Without M the mouse is off: the terminal gets no mouse reports, and
	// a stray click does nothing.
	m = drive(t, m, 160, 48, press("M"), press("esc"), click(10, 1))
	if m.cv.list.Cursor != 2 {
		t.Errorf("a click with the mouse off moved the cursor to %d", m.cv.list.Cursor)
	}
}
