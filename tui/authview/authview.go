// Package authview is the analysis pane: the call's findings in order,
// and the full explanation of the selected one.
//
// It imports analysis, report (Printable and Wrap) and tui/styles only.
package authview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/tui/styles"
)

var marks = map[analysis.Severity]string{analysis.Info: "i", analysis.Warning: "!", analysis.Error: "✗"}

// Mark is a severity's mark in the interface: i, ! or ✗.
func Mark(s analysis.Severity) string { return marks[s] }

// Style renders text in a severity's style.
func Style(s analysis.Severity, st styles.Styles) func(...string) string { return sevStyle(s, st) }

func sevStyle(s analysis.Severity, st styles.Styles) func(...string) string {
	switch s {
	case analysis.Error:
		return st.Error.Render
	case analysis.Warning:
		return st.Warning.Render
	}
	return st.Info.Render
}

// View renders the findings list (the selected one marked, and those
// about the selected message emphasised) above the selected finding's
// explanation, in width×height cells. number is the number shown for a
// message (its arrival number, which a live budget's drops do not move).
//
// scroll is how many lines of the explanation are scrolled past; a mark
// says when there is more above or below.
func View(fs []analysis.Finding, selected int, msg int32, number func(int32) int, focused bool, width, height, scroll int, st styles.Styles) string {
	total := height
	if len(fs) == 0 {
		return st.Dim.Render("No findings for this call: nothing went wrong that sipdbg checks.")
	}
	var lines []string
	if v := analysis.VerdictOf(fs); v != nil {
		// The verdict first: the one line to read, the findings below
		// are its evidence.
		vl := verdictLines(v, width, total)
		for _, l := range vl {
			lines = append(lines, st.Bold.Render(sevStyle(v.Severity, st)(l)))
		}
		height -= len(vl)
	}
	top, listH := window(len(fs), selected, height)
	for i := top; i < top+listH; i++ {
		f := fs[i]
		refs := make([]string, len(f.Messages))
		about := false
		for j, m := range f.Messages {
			refs[j] = "#" + strconv.Itoa(number(m))
			about = about || m == msg
		}
		line := marks[f.Severity] + " " + pad(string(f.Code), 21) + " " + pad(strings.Join(refs, ","), 10) + " " + report.Printable(f.Summary)
		line = ansi.Truncate(line, width, "…")
		switch {
		case i == selected && focused:
			line = st.Selected.Render(line)
		case i == selected || about:
			line = st.Bold.Render(sevStyle(f.Severity, st)(line))
		default:
			line = sevStyle(f.Severity, st)(line)
		}
		lines = append(lines, line)
	}
	if selected >= 0 && selected < len(fs) {
		lines = append(lines, "")
		room := total - len(lines)
		exp := explanation(&fs[selected], width)
		scroll = min(max(0, scroll), MaxScroll(fs, selected, width, total))
		lines = append(lines, scrolled(exp, scroll, room, width, st)...)
	}
	if len(lines) > total {
		lines = lines[:total]
	}
	return strings.Join(lines, "\n")
}

// explanation is the selected finding's text as the pane wraps it: the
// explanation and its RFC, then the digest steps.
func explanation(f *analysis.Finding, width int) []string {
	out := report.Wrap(report.Printable(f.Explanation)+" ("+f.RFC+")", width)
	for _, s := range f.Steps {
		out = append(out, ansi.Truncate("  "+pad(s.Name, 9)+" "+report.Printable(s.Formula)+" = "+s.Value, width, "…"))
	}
	return out
}

// MaxScroll is how far the explanation of the selected finding can be
// scrolled in a pane of width×height: far enough to show its last line
// above the "more" mark.
func MaxScroll(fs []analysis.Finding, selected, width, height int) int {
	if selected < 0 || selected >= len(fs) {
		return 0
	}
	vh := verdictHeight(fs, width, height)
	_, rows := window(len(fs), selected, height-vh)
	room := height - vh - rows - 1
	n := len(explanation(&fs[selected], width))
	if room <= 1 || n <= room {
		return 0
	}
	return n - (room - 1) // the last line then says how much is above
}

// Page is how many lines of the selected finding's explanation the pane
// shows at once when it scrolls: what one pgdn moves, so that no line is
// skipped.
func Page(fs []analysis.Finding, selected, width, height int) int {
	if selected < 0 || selected >= len(fs) {
		return 1
	}
	vh := verdictHeight(fs, width, height)
	_, rows := window(len(fs), selected, height-vh)
	return max(1, height-vh-rows-1-1) // the room, less the line of marks
}

// scrolled is the part of the explanation exp that a room of that many
// lines shows from line scroll: all of it when it fits, else room-1
// lines and one line that says what is above and what below. The mark
// never takes a line of text: at 80×24 the room is two lines, and a mark
// above and one below would leave none.
func scrolled(exp []string, scroll, room, width int, st styles.Styles) []string {
	if len(exp) <= room || room <= 0 {
		return exp[:min(len(exp), max(room, 0))]
	}
	text := room - 1
	shown := append([]string(nil), exp[scroll:min(len(exp), scroll+text)]...)
	var marks []string
	if scroll > 0 {
		marks = append(marks, "▲ "+lines(scroll)+" above: pgup")
	}
	if scroll+text < len(exp) {
		marks = append(marks, "▼ more: pgdn scrolls, e gives the pane the whole screen")
	}
	return append(shown, st.Dim.Render(ansi.Truncate(strings.Join(marks, " · "), width, "…")))
}

func itoa(n int) string { return strconv.Itoa(n) }

func lines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return itoa(n) + " lines"
}

// verdictLines is the verdict as the pane shows it: its mark, severity
// and words, on at most two lines of width, four in a pane of 16 lines
// or more.
func verdictLines(v *analysis.Verdict, width, height int) []string {
	most := 2
	if height >= 16 {
		most = 4
	}
	ls := report.Wrap(marks[v.Severity]+" "+report.Printable(v.Summary), width)
	if len(ls) > most {
		ls = append(ls[:most-1:most-1], ansi.Truncate(strings.Join(ls[most-1:], " "), width, "…"))
	}
	return ls
}

// verdictHeight is how many lines the verdict takes at the top of a
// pane of width×height.
func verdictHeight(fs []analysis.Finding, width, height int) int {
	if v := analysis.VerdictOf(fs); v != nil {
		return len(verdictLines(v, width, height))
	}
	return 0
}

func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// window is the part of the findings list shown: the first one and how
// many, the selected one kept in the middle.
func window(n, selected, height int) (top, rows int) {
	// Half the pane, but never so much that the explanation gets fewer
	// than two lines and its marks (at 80×24 the pane is 7 lines).
	rows = min(n, max(1, min(max(3, height/2), height-4)))
	return max(0, min(selected-rows/2, n-rows)), rows
}

// At returns the finding on line y of the pane as View drew it in
// width×height, or -1 (the verdict above the list, the explanation
// below it, or outside).
func At(fs []analysis.Finding, selected, width, height, y int) int {
	vh := verdictHeight(fs, width, height)
	y -= vh
	top, rows := window(len(fs), selected, height-vh)
	if y < 0 || y >= rows || top+y >= len(fs) {
		return -1
	}
	return top + y
}
