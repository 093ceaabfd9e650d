package tui

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
)

// At 80×24 the analysis pane shows only the start of an explanation:
// pgdn scrolls it to its last line (the RFC reference closes it), with a
// mark for what is above, and e gives it the whole screen.
func TestAnalysisPaneScrollsToTheEnd(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 80, 24, presses("j", "enter", "tab")...)
	if m.cv.flow == nil || len(m.cv.flow.Findings) == 0 {
		t.Fatal("no flow with findings")
	}
	// The finding with the longest explanation.
	longest := 0
	for i, f := range m.cv.flow.Findings {
		if len(f.Explanation) > len(m.cv.flow.Findings[longest].Explanation) {
			longest = i
		}
	}
	for range longest {
		m = drive(t, m, 80, 24, press("down"))
	}
	f := m.cv.flow.Findings[m.cv.flow.Finding]
	words := strings.Fields(f.RFC + ")")
	last := words[len(words)-1] // the pane wraps at spaces: the last word ends the text
	if strings.Contains(golden.ASCII(m.View().Content), last) {
		t.Fatalf("the explanation of %s fits the pane: the test needs one that does not", f.Code)
	}
	if !strings.Contains(golden.ASCII(m.View().Content), "▼ more") {
		t.Error("no mark that the explanation goes on")
	}
	for i := 0; i < 40 && !strings.Contains(golden.ASCII(m.View().Content), last); i++ {
		m = drive(t, m, 80, 24, press("pgdown"))
	}
	view := golden.ASCII(m.View().Content)
	if !strings.Contains(view, last) {
		t.Fatalf("pgdn never reaches the end of %s's explanation:\n%s", f.Code, view)
	}
	if !strings.Contains(view, "▲") {
		t.Error("no mark for the lines scrolled past")
	}
	m = drive(t, m, 80, 24, press("e"))
	if v := golden.ASCII(m.View().Content); !strings.Contains(v, f.Summary[:20]) || strings.Contains(v, "127.0.0.1:51") {
		t.Errorf("e does not give the analysis the whole screen:\n%s", v)
	}
}

// Paging through an explanation shows every word of it, at every size:
// pgdn moves by what the pane shows, never past a line, and the last
// page holds the last line.
func TestPagingSkipsNoLine(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		base := drive(t, demoModel(t, analysis.Options{}), w, h)
		for row := range base.cv.list.Len() {
			m := base
			for range row {
				m = drive(t, m, w, h, press("down"))
			}
			m = drive(t, m, w, h, press("enter"), press("tab"))
			for i, f := range m.cv.flow.Findings {
				seen := golden.ASCII(m.View().Content)
				for range 60 {
					m = drive(t, m, w, h, press("pgdown"))
					seen += golden.ASCII(m.View().Content)
				}
				for _, word := range strings.Fields(f.Explanation + " (" + f.RFC + ")") {
					if !strings.Contains(seen, word) {
						t.Errorf("%d×%d, call %d, %s: %q never shows while paging", w, h, row, f.Code, word)
						break
					}
				}
				if i < len(m.cv.flow.Findings)-1 {
					m = drive(t, m, w, h, press("down"))
				}
			}
		}
	}
}
