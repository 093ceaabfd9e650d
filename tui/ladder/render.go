package ladder

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/tui/styles"
)

// Widths of the fixed parts of a line.
const (
	timeWidth  = 12 // 15:04:05.000
	deltaWidth = 9  // +12.345s
	gutter     = timeWidth + 1 + deltaWidth + 1
	noteWidth  = 12
	minColumn  = 14
)

// View renders the rows [top, top+height) of the ladder in width cells,
// the header first; selected is a row index (-1 for none).
func (l Ladder) View(width, top, height, selected int, st styles.Styles) string {
	if width < gutter+noteWidth+minColumn || height < 2 {
		return ""
	}
	lanes := width - gutter - noteWidth
	colW := max(minColumn, lanes/max(1, len(l.Columns)))
	var b strings.Builder
	b.WriteString(l.header(width, colW, st))
	for i := top; i < len(l.Rows) && i < top+height-1; i++ {
		b.WriteByte('\n')
		b.WriteString(l.line(l.Rows[i], width, colW, i == selected, st))
	}
	return b.String()
}

func center(i, colW int) int { return gutter + colW*i + colW/2 }

func (l Ladder) header(width, colW int, st styles.Styles) string {
	line := []rune(strings.Repeat(" ", width))
	for i, c := range l.Columns {
		name := []rune(ansi.Truncate(c, colW-1, "…"))
		x := center(i, colW) - len(name)/2
		for j, r := range name {
			if x+j >= 0 && x+j < width {
				line[x+j] = r
			}
		}
	}
	copy(line, []rune(pad("time", timeWidth)+" "+pad("delta", deltaWidth)))
	return st.Header.Render(strings.TrimRight(string(line), " "))
}

// line draws one message: lanes as │, the arrow between its columns with
// the label on it, then the authentication note.
func (l Ladder) line(r Row, width, colW int, selected bool, st styles.Styles) string {
	cells := []rune(strings.Repeat(" ", width-gutter-noteWidth))
	for i := range l.Columns {
		if x := center(i, colW) - gutter; x < len(cells) {
			cells[x] = '│'
		}
	}
	a, b := center(r.From, colW)-gutter, center(r.To, colW)-gutter
	lo, hi := min(a, b), max(a, b)
	arrow := drawArrow(r, a, b, cells)
	left := string(cells[:min(lo, len(cells))])
	right := ""
	if hi+1 < len(cells) {
		right = string(cells[hi+1:])
	}
	style := st.ForStatus(r.Status)
	if r.Retrans {
		style = st.Dim
	}
	when := r.Time.Format("15:04:05.000")
	if r.NoTime {
		when = "   (no time)"
	}
	head := when + " " + pad(delta(r.Delta), deltaWidth) + " "
	note := " " + pad(r.Note, noteWidth-1)
	switch {
	case strings.HasPrefix(r.Note, "✗"):
		note = st.Error.Render(note) // a failure reads as one, not in the info colour
	case strings.HasPrefix(r.Note, "✓"):
		note = st.Success.Render(note)
	case r.Note != "":
		note = st.Info.Render(note)
	}
	out := head + left + style.Render(arrow) + right + note
	if selected {
		out = st.Selected.Render(ansi.Strip(out))
	}
	return out
}

// drawArrow returns the arrow text from column offset a to b (a self
// message when equal), fitted with its label.
func drawArrow(r Row, a, b int, cells []rune) string {
	label := r.Label
	if r.Retrans {
		label += " (rtx)"
	}
	if a == b {
		return string(cells[a]) + "↺ " + label
	}
	n := max(b, a) - min(a, b) + 1
	if max(a, b) >= len(cells) {
		n = len(cells) - min(a, b)
	}
	label = ansi.Truncate(label, max(0, n-6), "…")
	body := []rune(strings.Repeat("─", n))
	start := (n - len([]rune(label))) / 2
	copy(body[start:], []rune(label))
	if start > 0 {
		body[start-1] = ' '
	}
	if end := start + len([]rune(label)); end < n-1 {
		body[end] = ' '
	}
	if a < b {
		body[0], body[n-1] = '├', '►'
	} else {
		body[0], body[n-1] = '◄', '┤'
	}
	return string(body)
}

func delta(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return "+" + strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
}

func pad(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}
