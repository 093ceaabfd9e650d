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
	minColumn  = 8 // "…0:5060" and a lane
)

// The columns share the width by need: each is as wide as the widest
// label between two of them asks (widths), and a narrow screen first
// gives up the delta column, then the labels' reasons and "(SDP)"; a
// method or a status code is never cut.

// widths returns the column width at which every label and host shows
// whole (full), and the least at which every method and status code does.
func (l Ladder) widths() (full, least int) {
	full, least = minColumn, minColumn
	for _, c := range l.Columns {
		full = max(full, ansi.StringWidth(c)+1)
	}
	for _, r := range l.Rows {
		span := r.To - r.From
		if span < 0 {
			span = -span
		}
		if span == 0 {
			continue
		}
		// An arrow over span columns has colW*span+1 cells: its ends,
		// a space on each side of the label, a dash or two.
		full = max(full, (ansi.StringWidth(rowLabel(r))+6-1+span-1)/span)
		least = max(least, (ansi.StringWidth(essential(rowLabel(r)))+4-1+span-1)/span)
	}
	return full, least
}

// Need is the width at which the ladder shows everything whole.
func (l Ladder) Need() int {
	full, _ := l.widths()
	return l.numWidth() + gutter + noteWidth + full*max(1, len(l.Columns))
}

// geometry is how a width is shared: where the lanes start, how wide a
// column is, whether the delta column shows.
type geometry struct {
	left, colW int
	num        int // the # column's width, its space included
	delta      bool
}

// numWidth is the width of the # column: the findings cite messages by
// these numbers (#14), so the ladder shows them.
func (l Ladder) numWidth() int {
	most := 0
	for _, r := range l.Rows {
		most = max(most, r.Num)
	}
	return len(strconv.Itoa(most)) + 2 // "#", the digits, a space
}

func (l Ladder) geometry(width int) geometry {
	n := max(1, len(l.Columns))
	_, least := l.widths()
	num := l.numWidth()
	g := geometry{left: num + gutter, num: num, delta: true}
	if (width-g.left-noteWidth)/n < least {
		g = geometry{left: num + timeWidth + 1, num: num} // the delta column goes first
	}
	g.colW = max(least, (width-g.left-noteWidth)/n)
	return g
}

// View renders the rows [top, top+height) of the ladder in width cells,
// the header first; selected is a row index (-1 for none).
func (l Ladder) View(width, top, height, selected int, st styles.Styles) string {
	if width < l.numWidth()+timeWidth+1+noteWidth+minColumn || height < 2 {
		return ""
	}
	g := l.geometry(width)
	var b strings.Builder
	b.WriteString(l.header(width, g, st))
	for i := top; i < len(l.Rows) && i < top+height-1; i++ {
		b.WriteByte('\n')
		b.WriteString(ansi.Truncate(l.line(l.Rows[i], width, g, i == selected, st), width, ""))
	}
	return b.String()
}

func (g geometry) center(i int) int { return g.left + g.colW*i + g.colW/2 }

// hostName fits an endpoint's name in w cells, cutting from the left: the
// port and the end of the address tell endpoints apart, not "127.0.".
func hostName(c string, w int) string {
	if ansi.StringWidth(c) <= w {
		return c
	}
	r := []rune(c)
	return "…" + string(r[max(0, len(r)-(w-1)):])
}

func (l Ladder) header(width int, g geometry, st styles.Styles) string {
	line := []rune(strings.Repeat(" ", width))
	for i, c := range l.Columns {
		name := []rune(hostName(c, g.colW-1))
		x := g.center(i) - len(name)/2
		for j, r := range name {
			if x+j >= 0 && x+j < width {
				line[x+j] = r
			}
		}
	}
	left := pad("#", g.num) + pad("time", timeWidth)
	if g.delta {
		left += " " + pad("delta", deltaWidth)
	}
	copy(line, []rune(left))
	return st.Header.Render(strings.TrimRight(string(line), " "))
}

// line draws one message: lanes as │, the arrow between its columns with
// the label on it, then the authentication note.
func (l Ladder) line(r Row, width int, g geometry, selected bool, st styles.Styles) string {
	cells := []rune(strings.Repeat(" ", max(g.colW*len(l.Columns), width-g.left-noteWidth)))
	for i := range l.Columns {
		if x := g.center(i) - g.left; x < len(cells) {
			cells[x] = '│'
		}
	}
	a, b := g.center(r.From)-g.left, g.center(r.To)-g.left
	lo, hi := min(a, b), max(a, b)
	arrow := drawArrow(r, a, b, cells)
	left := string(cells[:min(lo, len(cells))])
	right := ""
	if hi+1 < len(cells) {
		right = string(cells[hi+1:])
	}
	if a == b {
		// A self arrow's label lies over the lanes to its right rather
		// than pushing them out of line (common with aliases: two
		// addresses of one name talking).
		ar := []rune(arrow)
		ar = ar[:min(len(ar), len(cells)-a)]
		arrow, right = string(ar), string(cells[a+len(ar):])
	}
	style := st.ForStatus(r.Status)
	num := "#" + strconv.Itoa(r.Num)
	switch {
	case r.Stream != nil:
		style, num = st.Media, ""
	case r.Retrans:
		style = st.Dim
	}
	when := r.Time.Format("15:04:05.000")
	if r.NoTime {
		when = "   (no time)"
	}
	head := pad(num, g.num) + when + " "
	if g.delta {
		head += pad(delta(r.Delta), deltaWidth) + " "
	}
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

// rowLabel is what the arrow of r carries.
func rowLabel(r Row) string {
	if r.Retrans {
		return r.Label + " (rtx)"
	}
	return r.Label
}

// essential is the part of a label that is never cut: the method, or the
// status code.
func essential(label string) string {
	if i := strings.IndexByte(label, ' '); i > 0 {
		return label[:i]
	}
	return label
}

// fit cuts a label to room cells, never into its method or status code:
// "407 Proxy Authentication Required" becomes "407 Proxy Auth…", then
// "407"; what does not fit even so is the column's to make room for.
func fit(label string, room int) string {
	if ansi.StringWidth(label) <= room {
		return label
	}
	ess := essential(label)
	if room >= ansi.StringWidth(ess)+3 { // the code, a space, something of the rest and "…"
		return ansi.Truncate(label, room, "…")
	}
	return ess
}

// drawArrow returns the arrow text from column offset a to b (a self
// message when equal), fitted with its label.
func drawArrow(r Row, a, b int, cells []rune) string {
	label := rowLabel(r)
	if a == b {
		return string(cells[a]) + "↺ " + label
	}
	n := max(b, a) - min(a, b) + 1
	if max(a, b) >= len(cells) {
		n = len(cells) - min(a, b)
	}
	room := n - 6 // "├─ " … " ─►"
	if ansi.StringWidth(essential(label)) > room {
		room = n - 4 // "├ " … " ►" when the code needs it
	}
	label = fit(label, max(0, room))
	label = ansi.Truncate(label, max(0, n-2), "") // a guard: the geometry gives the code its room
	lr := []rune(label)
	if len(lr) > max(0, n-2) { // zero-width runes: the arrow is laid out in runes
		lr = lr[:max(0, n-2)]
	}
	line := "─"
	if r.Stream != nil {
		line = "╌" // RTP, not SIP: told apart without colour too
	}
	body := []rune(strings.Repeat(line, n))
	start := (n - len(lr)) / 2
	copy(body[start:], lr)
	if start > 0 {
		body[start-1] = ' '
	}
	if end := start + len(lr); end < n-1 {
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
