package report

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks text into lines of at most width cells, at spaces; a word
// wider than width has a line of its own. Runs of white space, new lines
// included, count as one space: explanations are written as paragraphs
// of words. It is the one wrap of the report, the analysis pane and the
// help. Not ansi.Wordwrap: that one also breaks after a hyphen, which
// would cut header names ("Proxy-" / "Authenticate") in two.
func Wrap(text string, width int) []string {
	var lines []string
	var line strings.Builder
	n := 0 // cells in line (a control character has none)
	for _, word := range strings.Fields(text) {
		w := ansi.StringWidth(word)
		if line.Len() > 0 && n+1+w > width {
			lines = append(lines, line.String())
			line.Reset()
			n = 0
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += w
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
