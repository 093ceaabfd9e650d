package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// The help lists every key of the screen it was opened on, from the key
// map (keys.Map.Keys), in as many columns as fit, and scrolls when they
// do not fit the height: nothing is cut at 80×24. The footer shows the
// same screen's main keys, the help key last, dropping others first when
// the width is short.

// helpScreen is the help of the screen it was opened on.
type helpScreen struct {
	of  keys.Screen // the screen the help is about
	top int         // the first line shown
}

func (h *helpScreen) clone() screen {
	c := *h
	return &c
}

func (h *helpScreen) kind() keys.Screen { return keys.Help }

// openHelp shows the help of the screen on show.
func (m *Model) openHelp() { m.push(&helpScreen{of: m.screen()}) }

// key scrolls the help, or closes it (any key but the scroll keys).
func (h *helpScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	page := max(1, m.height-6)
	switch {
	case key.Matches(msg, m.keys.Up):
		h.top--
	case key.Matches(msg, m.keys.Down):
		h.top++
	case key.Matches(msg, m.keys.PageUp):
		h.top -= page
	case key.Matches(msg, m.keys.PageDown):
		h.top += page
	default:
		m.pop()
		return nil
	}
	h.top = max(0, min(h.top, len(m.helpLines(h.of, m.width))-1))
	return nil
}

// helpLines lays out the keys of the help's screen for width w: one
// line per key in each column, a description wrapped under its own
// column when it is long.
func (m *Model) helpLines(of keys.Screen, w int) []string {
	bs := m.keys.Keys(of)
	keyW := 0
	for _, b := range bs {
		keyW = max(keyW, ansi.StringWidth(b.Help().Key))
	}
	// Two columns when each can hold a description of 34 cells.
	cols := 1
	if w >= 2*(keyW+2+34)+3 {
		cols = 2
	}
	colW := (w - 3*(cols-1)) / cols
	descW := max(10, colW-keyW-2)
	var cells [][]string // each key's lines
	for _, b := range bs {
		desc := report.Wrap(b.Help().Desc, descW)
		if len(desc) == 0 {
			desc = []string{""}
		}
		k := b.Help().Key
		lines := []string{m.st.Bold.Render(k) + strings.Repeat(" ", keyW-ansi.StringWidth(k)+2) + m.st.Dim.Render(desc[0])}
		for _, d := range desc[1:] {
			lines = append(lines, strings.Repeat(" ", keyW+2)+m.st.Dim.Render(d))
		}
		cells = append(cells, lines)
	}
	// Fill the columns in reading order, top to bottom: split the keys
	// where the first column's lines reach half of all of them.
	total := 0
	for _, c := range cells {
		total += len(c)
	}
	var columns [][]string
	cur, n := []string(nil), 0
	for _, c := range cells {
		if cols == 2 && len(columns) == 0 && n > 0 && n+len(c) > (total+1)/2 {
			columns, cur, n = append(columns, cur), nil, 0
		}
		cur = append(cur, c...)
		n += len(c)
	}
	columns = append(columns, cur)
	if len(columns) == 1 {
		return columns[0]
	}
	out := make([]string, max(len(columns[0]), len(columns[1])))
	for i := range out {
		left := ""
		if i < len(columns[0]) {
			left = columns[0][i]
		}
		right := ""
		if i < len(columns[1]) {
			right = columns[1][i]
		}
		out[i] = left + strings.Repeat(" ", max(0, colW-ansi.StringWidth(left))) + "   " + right
	}
	return out
}

// view draws the help in w×h: a title, the keys from top, and a line
// saying what more there is and how to close.
func (hs *helpScreen) view(m *Model, w, h int) string {
	lines := m.helpLines(hs.of, w)
	rows := max(1, h-3)
	top := max(0, min(hs.top, len(lines)-rows))
	end := min(len(lines), top+rows)
	var b strings.Builder
	b.WriteString(m.st.Title.Render("Keys: "+strings.ToLower(hs.of.String())) + "\n\n")
	for _, l := range lines[top:end] {
		b.WriteString(l + "\n")
	}
	for i := end - top; i < rows; i++ {
		b.WriteString("\n")
	}
	more := ""
	switch {
	case top > 0 && end < len(lines):
		more = "▲▼ more above and below (↑↓ pgup pgdn) · "
	case top > 0:
		more = "▲ more above (↑ pgup) · "
	case end < len(lines):
		more = "▼ more below (↓ pgdn) · "
	}
	b.WriteString(m.st.Dim.Render(more + "any other key closes the help"))
	return b.String()
}

// footer is the bottom line: the main keys of the screen on show, the
// help key kept when the width is short.
func (m Model) footer() string {
	bs := m.keys.Short(m.screen())
	sep := " • "
	item := func(b key.Binding) string {
		return m.st.Bold.Render(b.Help().Key) + " " + m.st.Dim.Render(b.Help().Desc)
	}
	if len(bs) == 0 {
		return ""
	}
	last := item(bs[len(bs)-1])
	room := m.width - ansi.StringWidth(last)
	var parts []string
	for _, b := range bs[:len(bs)-1] {
		it := item(b)
		if ansi.StringWidth(strings.Join(append(parts, it), sep))+ansi.StringWidth(sep) > room {
			break
		}
		parts = append(parts, it)
	}
	return ansi.Truncate(strings.Join(append(parts, last), sep), m.width, "…")
}
