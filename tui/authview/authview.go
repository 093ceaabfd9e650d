// Package authview is the analysis pane: the call's findings in order,
// and the full explanation of the selected one.
package authview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/tui/styles"
)

var marks = map[analysis.Severity]string{analysis.Info: "i", analysis.Warning: "!", analysis.Error: "✗"}

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
func View(fs []analysis.Finding, selected int, msg int32, number func(int32) int, focused bool, width, height int, st styles.Styles) string {
	if len(fs) == 0 {
		return st.Dim.Render("No authentication findings for this call.")
	}
	top, listH := window(len(fs), selected, height)
	var lines []string
	for i := top; i < top+listH; i++ {
		f := fs[i]
		refs := make([]string, len(f.Messages))
		about := false
		for j, m := range f.Messages {
			refs[j] = "#" + strconv.Itoa(number(m))
			about = about || m == msg
		}
		line := marks[f.Severity] + " " + pad(string(f.Code), 21) + " " + pad(strings.Join(refs, ","), 10) + " " + f.Summary
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
		f := fs[selected]
		lines = append(lines, "")
		for _, l := range wrap(f.Explanation+" ("+f.RFC+")", width) {
			lines = append(lines, l)
		}
		for _, s := range f.Steps {
			lines = append(lines, ansi.Truncate("  "+pad(s.Name, 9)+" "+s.Formula+" = "+s.Value, width, "…"))
		}
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && ansi.StringWidth(line)+1+ansi.StringWidth(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// window is the part of the findings list shown: the first one and how
// many, the selected one kept in the middle.
func window(n, selected, height int) (top, rows int) {
	rows = min(n, max(3, height/2))
	return max(0, min(selected-rows/2, n-rows)), rows
}

// At returns the finding on line y of the pane as View drew it, or -1
// (the explanation below the list, or outside).
func At(fs []analysis.Finding, selected, height, y int) int {
	top, rows := window(len(fs), selected, height)
	if y < 0 || y >= rows || top+y >= len(fs) {
		return -1
	}
	return top + y
}
