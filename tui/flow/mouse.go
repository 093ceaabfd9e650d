package flow

import (
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/authview"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Click selects what is under cell (x, y) of the flow area, width×height
// as given to View: a ladder row (the ladder gets the focus) or a finding
// (the findings get it). Clicks elsewhere do nothing.
func (m *Model) Click(s *session.Store, x, y, width, height int, st styles.Styles) {
	if m.Compare != nil || len(m.Ladder.Rows) == 0 {
		return
	}
	y, height = y-1, height-1 // below the title line
	lw, lh, _, mh := layout(width, height, m.ShowMsg, m.Ladder.Need())
	if m.Expanded {
		lw, lh, mh = width, 0, 0 // the analysis pane has the whole screen
	}
	if y >= 1 && y < lh && x < lw { // line 0 is the ladder's header
		if r := m.top + y - 1; r < len(m.Ladder.Rows) {
			m.Focus = FocusLadder
			m.move(s, r-m.Row, st)
		}
		return
	}
	if lw == width {
		lh += mh // the message pane is below the ladder
	}
	fh := height - lh - 1
	if i := authview.At(m.Findings, m.Finding, width, fh, y-lh-1); i >= 0 {
		m.Focus, m.Finding = FocusFindings, i
		m.move(s, 0, st)
	}
}
