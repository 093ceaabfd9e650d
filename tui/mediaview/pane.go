package mediaview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Model is the streams pane: a table of a call's streams, a timeline a
// stream, and the selected stream's statistics below when there is room.
// The statistics are read at each draw: a call has a few streams, and in
// a live capture they grow.
type Model struct {
	Title   string            // what the pane is about: "call …"
	Empty   string            // what it says without a stream
	Streams []*session.Stream // in order of first packet
	Sel     int               // the selected stream
	Jitter  bool              // the timelines show jitter, not packets
}

// Move moves the selection by d streams.
func (m *Model) Move(d int) { m.Sel = min(max(0, m.Sel+d), max(0, len(m.Streams)-1)) }

// Selected is the selected stream, nil without one.
func (m *Model) Selected() *session.Stream {
	if m.Sel < len(m.Streams) {
		return m.Streams[m.Sel]
	}
	return nil
}

// tcol is a column of the table: dropped by priority when the screen is
// narrow (the lowest first), never cut.
type tcol struct {
	title string
	prio  int
	right bool
	value func(i int, st *session.Stream, sm media.Summary) string
}

var tcols = []tcol{
	{"#", 8, true, func(i int, _ *session.Stream, _ media.Summary) string { return strconv.Itoa(i + 1) }},
	{"Direction", 9, false, func(_ int, st *session.Stream, _ media.Summary) string {
		return st.Src.String() + " → " + st.Dst.String()
	}},
	{"Codec", 4, false, func(_ int, st *session.Stream, _ media.Summary) string { return CodecName(st.Codec) }},
	{"Pkts", 7, true, func(_ int, _ *session.Stream, sm media.Summary) string { return strconv.Itoa(sm.Packets) }},
	{"Lost", 6, true, func(_ int, _ *session.Stream, sm media.Summary) string {
		return strconv.FormatFloat(LossPct(sm), 'f', 1, 64) + "%"
	}},
	{"Jitter ms", 3, true, func(_ int, _ *session.Stream, sm media.Summary) string {
		return strconv.FormatFloat(sm.MeanJitter, 'f', 1, 64) + "/" + strconv.FormatFloat(sm.MaxJitter, 'f', 1, 64)
	}},
	{"Max Δ", 2, true, func(_ int, _ *session.Stream, sm media.Summary) string {
		return strconv.FormatFloat(float64(sm.MaxDelta)/1e6, 'f', 0, 64) + " ms"
	}},
	{"MOS", 5, true, func(_ int, st *session.Stream, sm media.Summary) string {
		return strconv.FormatFloat(MOS(st, sm).MOS, 'f', 2, 64)
	}},
}

const gap = "  " // between the table's columns

// View draws the pane in width×height cells.
func (m *Model) View(width, height int, sty styles.Styles) string {
	title := sty.Title.Render(ansi.Truncate(" Media streams of "+m.Title, width, "…"))
	if len(m.Streams) == 0 {
		return title + "\n\n" + sty.Dim.Render(ansi.Truncate(" "+m.Empty, width, "…"))
	}
	sums := make([]media.Summary, len(m.Streams))
	for i, st := range m.Streams {
		sums[i] = st.Stats()
	}
	// Each stream takes a table row and a timeline row; the title, the
	// table's header, the timeline's heading and its axis, two blank
	// lines, the rest.
	k := max(1, min(len(m.Streams), (height-6)/2))
	top := min(max(0, m.Sel-k+1), len(m.Streams)-k)
	lines := []string{title}
	lines = append(lines, m.table(sums, top, k, width, sty)...)
	lines = append(lines, "")
	lines = append(lines, m.timelines(sums, top, k, width, sty)...)
	if rest := height - len(lines) - 1; rest >= 4 {
		lines = append(lines, "")
		detail := Lines(m.Streams[m.Sel], sty)
		for _, l := range detail[:min(rest, len(detail))] {
			lines = append(lines, " "+ansi.Truncate(l, width-1, "…"))
		}
	}
	return strings.Join(lines, "\n")
}

// shown picks the columns that fit width, dropping the lowest priority
// first, and returns them with their widths.
func shown(cells [][]string, width int) (cols []int, ws []int) {
	w := make([]int, len(tcols))
	for i, c := range tcols {
		w[i] = ansi.StringWidth(c.title)
		for _, row := range cells {
			w[i] = max(w[i], ansi.StringWidth(row[i]))
		}
	}
	keep := make([]bool, len(tcols))
	total := -len(gap)
	for i := range tcols {
		keep[i] = true
		total += w[i] + len(gap)
	}
	for p := 1; total+1 > width && p < 9; p++ { // one cell of margin on the left
		for i, c := range tcols {
			if keep[i] && c.prio == p {
				keep[i], total = false, total-w[i]-len(gap)
			}
		}
	}
	for i := range tcols {
		if keep[i] {
			cols, ws = append(cols, i), append(ws, w[i])
		}
	}
	return cols, ws
}

// table draws the header and the rows [top, top+k).
func (m *Model) table(sums []media.Summary, top, k, width int, sty styles.Styles) []string {
	cells := make([][]string, len(m.Streams))
	for i, st := range m.Streams {
		cells[i] = make([]string, len(tcols))
		for j, c := range tcols {
			cells[i][j] = c.value(i, st, sums[i])
		}
	}
	cols, ws := shown(cells, width)
	row := func(vals []string) string {
		parts := make([]string, len(cols))
		for n, j := range cols {
			parts[n] = align(vals[j], ws[n], tcols[j].right)
		}
		return ansi.Truncate(" "+strings.Join(parts, gap), width, "…")
	}
	titles := make([]string, len(tcols))
	for j, c := range tcols {
		titles[j] = c.title
	}
	out := []string{sty.Header.Render(row(titles))}
	for i := top; i < top+k; i++ {
		l := row(cells[i])
		if i == m.Sel {
			l = sty.Selected.Render(l + strings.Repeat(" ", max(0, width-ansi.StringWidth(l))))
		}
		out = append(out, l)
	}
	return out
}

// timelines draws the heading, a timeline a stream of [top, top+k), and
// the axis.
func (m *Model) timelines(sums []media.Summary, top, k, width int, sty styles.Styles) []string {
	a := axisOf(sums)
	scale := scaleOf(sums, m.Jitter)
	what := "Packets a second (█ " + strconv.FormatFloat(scale, 'f', 0, 64) + ")"
	if m.Jitter {
		what = "Worst jitter a second (█ " + strconv.FormatFloat(scale, 'f', 1, 64) + " ms)"
	}
	head := " " + what + "; " + string(lossMark) + " loss, " + string(gapMark) + " no packet"
	out := []string{sty.Header.Render(ansi.Truncate(head, width, "…"))}
	label := len(strconv.Itoa(len(m.Streams))) + 2 // " 12 "
	cols := max(1, width-label-1)
	for i := top; i < top+k; i++ {
		line, lost := sparkline(cells(sums[i], a, cols), scale, m.Jitter)
		var b strings.Builder
		b.WriteString(align(strconv.Itoa(i+1), label-1, true) + " ")
		if i == m.Sel {
			b.Reset()
			b.WriteString(sty.Selected.Render(align(strconv.Itoa(i+1), label-1, true)) + " ")
		}
		for j := 0; j < len(line); {
			n := j
			for n < len(line) && lost[n] == lost[j] {
				n++
			}
			style := sty.Media
			if lost[j] {
				style = sty.Error
			}
			b.WriteString(style.Render(string(line[j:n])))
			j = n
		}
		out = append(out, b.String())
	}
	return append(out, sty.Dim.Render(axisLine(a, label, cols)))
}

func align(s string, w int, right bool) string {
	n := ansi.StringWidth(s)
	if n >= w {
		return s
	}
	if right {
		return strings.Repeat(" ", w-n) + s
	}
	return s + strings.Repeat(" ", w-n)
}
