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
	if m.list.Cursor != 2 || m.flow != nil {
		t.Fatalf("click on line 3: cursor %d, flow open %v", m.list.Cursor, m.flow != nil)
	}
	m = drive(t, m, 160, 48, click(10, 3))
	if m.flow == nil || m.flow.Calls[0] != m.list.Selected(m.store) {
		t.Fatal("a second click on the selected call did not open it")
	}
	m = drive(t, m, 160, 48, click(20, 5)) // line 0 is the title, 1 the ladder's header
	if m.flow.Row != 3 || m.flow.Focus != flow.FocusLadder {
		t.Fatalf("click on ladder line 4: row %d", m.flow.Row)
	}
	if len(m.flow.Findings) < 2 {
		t.Fatalf("call 3 of the demo has %d findings; the test needs two", len(m.flow.Findings))
	}
	// 160×48: the title, then the ladder and the message pane take 30
	// lines, then the separator; the verdict is on line 32 and the
	// findings list starts on line 33.
	m = drive(t, m, 160, 48, click(5, 32))
	if m.flow.Focus == flow.FocusFindings {
		t.Fatal("a click on the verdict line selected a finding")
	}
	m = drive(t, m, 160, 48, click(5, 34))
	f := m.flow.Findings[1]
	if m.flow.Focus != flow.FocusFindings || m.flow.Finding != 1 {
		t.Fatalf("click on the second finding: focus %v, finding %d", m.flow.Focus, m.flow.Finding)
	}
	if len(f.Messages) > 0 && m.flow.SelectedMsg() != f.Messages[0] {
		t.Errorf("the finding's message %d is not selected (%d)", f.Messages[0], m.flow.SelectedMsg())
	}
	// Without M the mouse is off: the terminal gets no mouse reports, and
	// a stray click does nothing.
	m = drive(t, m, 160, 48, press("M"), press("esc"), click(10, 1))
	if m.list.Cursor != 2 {
		t.Errorf("a click with the mouse off moved the cursor to %d", m.list.Cursor)
	}
}
