package tui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/sipdbg/sipdbg/analysis"
)

// sgr finds every SGR sequence; colour parameters are 30–37, 39, 40–47,
// 49, 90–97, 100–107 (the 16 colours) and 38/48 (256 and true colour).
var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

func colourParams(s string) (sixteen, more, attrs int) {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		ps := strings.Split(m[1], ";")
		for i := 0; i < len(ps); i++ {
			n, _ := strconv.Atoi(ps[i])
			switch {
			case (n == 38 || n == 48) && i+2 < len(ps) && ps[i+1] == "5":
				if k, _ := strconv.Atoi(ps[i+2]); k < 16 {
					sixteen++ // an index below 16 is one of the 16 colours
				} else {
					more++
				}
				i += 2
			case n == 38 || n == 48 || n == 58:
				more++
				i = len(ps) // the rest are its arguments
			case n >= 30 && n <= 49 || n >= 90 && n <= 107:
				sixteen++
			case n == 1 || n == 2 || n == 7:
				attrs++
			}
		}
	}
	return
}

// screens renders the list and a flow with a rejected password (the
// most colourful screens) through a terminal of the given profile.
func screens(t *testing.T, p colorprofile.Profile) string {
	t.Helper()
	m := drive(t, demoModel(t, analysis.Options{}), 160, 48)
	list := m.View().Content
	m = drive(t, m, 160, 48, press("G"), press("enter"), press("j"), press("tab"))
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	w.WriteString(list + "\n" + m.View().Content)
	return b.String()
}

// The palette is the 16 ANSI colours, so that a 16-colour terminal shows
// it as meant; nothing asks for 256 or true colour.
func TestSixteenColours(t *testing.T) {
	out := screens(t, colorprofile.TrueColor)
	sixteen, more, _ := colourParams(out)
	if sixteen == 0 || more != 0 {
		t.Fatalf("%d colours of the 16, %d beyond them", sixteen, more)
	}
}

// NO_COLOR (https://no-color.org) leaves no colour at all, and what
// colour said is still said: the selection is reverse video, rejected
// calls carry ✗, findings their severity mark.
func TestNoColor(t *testing.T) {
	p := colorprofile.Env([]string{"NO_COLOR=1", "TERM=xterm-256color"})
	if p > colorprofile.Ascii {
		t.Fatalf("NO_COLOR gives the %v profile", p)
	}
	out := screens(t, p)
	sixteen, more, attrs := colourParams(out)
	if sixteen+more != 0 || attrs == 0 {
		t.Fatalf("NO_COLOR output has %d colour codes and %d attributes", sixteen+more, attrs)
	}
	if !strings.Contains(out, "\x1b[7m") {
		t.Error("the selected row is not in reverse video")
	}
	for _, mark := range []string{"✗", "407"} {
		if !strings.Contains(out, mark) {
			t.Errorf("without colour the screens lack %q", mark)
		}
	}
}
