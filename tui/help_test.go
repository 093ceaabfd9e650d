package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// The help of each screen lists every key of that screen, at every size
// from 80×24 up: what does not fit is reached by scrolling, and no line is
// wider than the terminal.
func TestHelpListsEveryKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		for _, c := range []struct {
			screen keys.Screen
			open   []string
		}{
			{keys.List, nil},
			{keys.Flow, []string{"enter"}},
		} {
			m := drive(t, demoModel(t, analysis.Options{}), w, h, presses(append(c.open, "?")...)...)
			if !m.showing(keys.Help) || m.top().(*helpScreen).of != c.screen {
				t.Fatalf("%dx%d: ? on the %v does not open its help", w, h, c.screen)
			}
			seen := ""
			for range 20 { // page down until the end
				screen := stripSGR(m.View().Content)
				for i, l := range strings.Split(screen, "\n") {
					if ansi.StringWidth(l) > w {
						t.Errorf("%dx%d %v help: line %d is %d cells wide", w, h, c.screen, i, ansi.StringWidth(l))
					}
				}
				seen += screen
				if !strings.Contains(screen, "more below") {
					break
				}
				m = drive(t, m, w, h, presses("pgdown")...)
				if !m.showing(keys.Help) {
					t.Fatalf("%dx%d: pgdn closed the help", w, h)
				}
			}
			flat := strings.Join(strings.Fields(seen), " ")
			for _, b := range m.keys.Keys(c.screen) {
				want := b.Help().Key + " " + strings.Fields(b.Help().Desc)[0]
				if !strings.Contains(flat, want) {
					t.Errorf("%dx%d: the %v help never shows %q", w, h, c.screen, want)
				}
			}
			if m = drive(t, m, w, h, presses("esc")...); m.showing(keys.Help) {
				t.Errorf("%dx%d: esc does not close the help", w, h)
			}
		}
	}
}

// The footer shows the keys of the screen on show, and keeps "? help"
// even at 80 columns.
func TestFooterIsTheScreens(t *testing.T) {
	list := drive(t, demoModel(t, analysis.Options{}), 80, 24)
	flow := drive(t, list, 80, 24, presses("enter")...)
	filter := drive(t, list, 80, 24, presses("/")...)
	for _, c := range []struct {
		name      string
		m         Model
		want, not []string
	}{
		{"list", list, []string{"enter open", "? help"}, []string{"esc back"}},
		{"flow", flow, []string{"esc back", "tab ladder", "? help"}, []string{"enter open", "/ filter"}},
		{"filter", filter, []string{"enter keep the filter", "esc clear it"}, []string{"? help"}},
	} {
		line := stripSGR(c.m.footer())
		if ansi.StringWidth(line) > 80 {
			t.Errorf("%s footer is %d cells wide: %q", c.name, ansi.StringWidth(line), line)
		}
		for _, w := range c.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s footer %q lacks %q", c.name, line, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(line, w) {
				t.Errorf("%s footer %q shows %q, a key of another screen", c.name, line, w)
			}
		}
	}
}
