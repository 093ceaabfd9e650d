package flow

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/authview"
	"github.com/sipdbg/sipdbg/tui/msgview"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// SetSize lays the panes out for width×height and keeps the selection on
// screen.
func (m *Model) SetSize(width, height int) {
	height-- // the title line
	_, lh, _, _ := layout(width, height, m.ShowMsg, m.Ladder.Need())
	m.height, m.width, m.fullH = lh, width, height
	if m.Row >= m.top+lh-1 {
		m.top = max(0, m.Row-lh+2)
	}
}

// minMsgWidth is the narrowest the message pane gets beside the ladder:
// a header line and its value, most of them.
const minMsgWidth = 50

// layout returns the ladder width and height, the message pane width and
// height (0 when hidden or below), for the flow area. need is the width
// the ladder needs to show every label whole (ladder.Need): the ladder
// gets that, and the message pane sits beside it when what is left is
// wide enough, below it otherwise, as sngrep's does.
func layout(width, height int, showMsg bool, need int) (lw, lh, mw, mh int) {
	fh := min(max(6, height/3), 14)
	rest := max(3, height-fh-1)
	switch {
	case !showMsg:
		return width, rest, 0, 0
	case width >= 2*minMsgWidth && need <= width-minMsgWidth-1:
		lw = max(need, width/2)
		return lw, rest, width - lw - 1, rest
	}
	lh = max(3, rest/2)
	return width, lh, width, rest - lh
}

// View renders the screen in width×height cells.
func (m *Model) View(s *session.Store, width, height int, st styles.Styles) string {
	return m.title(width, st) + "\n" + m.body(s, width, height-1, st)
}

// title names what the screen shows, as sngrep's "Call flow for …":
// the call, its state, From → To.
func (m *Model) title(width int, st styles.Styles) string {
	t := " Call flow for "
	if len(m.Calls) == 1 {
		c := m.Calls[0]
		t += report.Printable(c.CallID) + "  " + c.State.String() + "  " + report.Printable(c.From) + " → " + report.Printable(c.To) // the state before the URIs, which a narrow screen cuts
	} else {
		t += itoa(len(m.Calls)) + " calls"
	}
	return st.Title.Render(ansi.Truncate(t, width, "…"))
}

func (m *Model) body(s *session.Store, width, height int, st styles.Styles) string {
	if m.Compare != nil {
		return m.compareView(s, width, height, st)
	}
	if m.Expanded {
		return m.analysisView(s, width, height, 0, st)
	}
	lw, lh, mw, mh := layout(width, height, m.ShowMsg, m.Ladder.Need())
	lad := m.Ladder.View(lw, m.top, lh, m.Row, st)
	var top string
	switch {
	case mw == 0:
		top = block(lad, lw, lh)
	case lw < width: // side by side
		msg := msgview.View(m.msgLines, m.msgTop, mw, mh)
		top = beside(block(lad, lw, lh), block(msg, mw, mh), lw)
	default:
		msg := msgview.View(m.msgLines, m.msgTop, mw, mh)
		top = block(lad, lw, lh) + "\n" + block(msg, mw, mh)
		lh += mh
	}
	return top + "\n" + m.analysisView(s, width, height, lh, st)
}

// analysisView is the analysis pane below the first top lines: its
// title rule, the verdict, the findings and the selected one's
// explanation, scrolled by ExpTop.
func (m *Model) analysisView(s *session.Store, width, height, top int, st styles.Styles) string {
	fh := height - top - 1
	// Tab says where it goes, not where the focus is.
	title := " Analysis (tab: " + map[bool]string{true: "back to the ladder", false: "to the findings"}[m.Focus == FocusFindings] + "; e: " +
		map[bool]string{true: "back to the ladder", false: "whole screen"}[m.Expanded] + ") "
	sep := st.Dim.Render(ansi.Truncate(title+strings.Repeat("─", max(0, width-ansi.StringWidth(title)-2)), width, ""))
	number := func(i int32) int { return int(s.Msg(int(i)).Seq) + 1 }
	findings := authview.View(m.Findings, m.Finding, m.SelectedMsg(), number, m.Focus == FocusFindings, width, fh, m.ExpTop, st)
	return sep + "\n" + block(findings, width, fh)
}

// paneHeight is the analysis pane's height as View lays it out.
func (m *Model) paneHeight() int {
	if m.Expanded {
		return m.fullH - 1
	}
	_, lh, _, mh := layout(m.width, m.fullH, m.ShowMsg, m.Ladder.Need())
	if lw, _, _, _ := layout(m.width, m.fullH, m.ShowMsg, m.Ladder.Need()); lw == m.width {
		lh += mh
	}
	return m.fullH - lh - 1
}

// scroll moves the explanation by a page, within what there is to see.
func (m *Model) scroll(dir int) {
	h := m.paneHeight()
	most := authview.MaxScroll(m.Findings, m.Finding, m.width, h)
	m.ExpTop = min(max(0, m.ExpTop+dir*authview.Page(m.Findings, m.Finding, m.width, h)), most)
}

// compareView shows the two marked messages side by side, lines that
// differ emphasised.
func (m *Model) compareView(s *session.Store, width, height int, st styles.Styles) string {
	a := msgview.Lines(s.Msg(int(m.Ladder.Rows[m.Compare[0]].Msg)), s.Aliases(), st)
	b := msgview.Lines(s.Msg(int(m.Ladder.Rows[m.Compare[1]].Msg)), s.Aliases(), st)
	inB, inA := map[string]bool{}, map[string]bool{}
	for _, l := range b {
		inB[ansi.Strip(l)] = true
	}
	for _, l := range a {
		inA[ansi.Strip(l)] = true
	}
	mark := func(lines []string, other map[string]bool) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			if other[ansi.Strip(l)] {
				out[i] = "  " + l
			} else {
				out[i] = st.Warning.Render("≠ ") + l
			}
		}
		return out
	}
	w := (width - 1) / 2
	title := st.Title.Render("Comparing #"+strconv.Itoa(int(s.Msg(int(m.Ladder.Rows[m.Compare[0]].Msg)).Seq)+1)+" and #"+
		strconv.Itoa(int(s.Msg(int(m.Ladder.Rows[m.Compare[1]].Msg)).Seq)+1)) + st.Dim.Render("  (≠ lines differ; "+cmp.Or(m.closeCompare, "space or esc")+" closes)")
	left := block(strings.Join(mark(a, inB), "\n"), w, height-1)
	right := block(strings.Join(mark(b, inA), "\n"), w, height-1)
	return title + "\n" + beside(left, right, w)
}

// block pads or cuts s to exactly h lines of at most w cells.
func block(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// beside joins two blocks of equal height line by line, the first padded
// to wa cells.
func beside(a, b string, wa int) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		r := ""
		if i < len(bl) {
			r = bl[i]
		}
		al[i] += strings.Repeat(" ", max(0, wa-ansi.StringWidth(al[i]))) + "│" + r
	}
	return strings.Join(al, "\n")
}

func itoa(n int) string { return strconv.Itoa(n) }
