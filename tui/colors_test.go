package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/sipdbg/sipdbg/internal/testkit/golden"
)

// TestConfiguredColours: [colors] reaches the screen. The list marks a
// rejected call in the error style, a flow draws a 407 in the
// client_error style; on a true-colour terminal their sequences are the
// configured colours, on a 256-colour one the nearest index, and with
// NO_COLOR no colour at all (the attributes stay).
func TestConfiguredColours(t *testing.T) {
	m := drive(t, configured(t, "[colors]\nerror = \"#ff5f5f\"\nclient_error = { fg = \"#00d7af\", underline = true }\n"), 160, 48)
	list := m.View().Content
	flow := drive(t, m, 160, 48, presses("G", "enter")...).View().Content
	out := func(p colorprofile.Profile, s string) string {
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: p}
		w.WriteString(s)
		return b.String()
	}
	const errorSGR, clientSGR = "38;2;255;95;95", "38;2;0;215;175"
	rejected := 0
	for _, l := range strings.Split(out(colorprofile.TrueColor, list), "\n") {
		if strings.Contains(stripSGR(l), "✗") && !strings.Contains(l, "\x1b[7m") { // not the cursor's row
			rejected++
			if !strings.Contains(l, errorSGR) || !strings.Contains(l, "\x1b[1;") {
				t.Errorf("a rejected call is not bold #ff5f5f: %q", l)
			}
		}
	}
	if rejected == 0 {
		t.Fatalf("no rejected call on the list:\n%s", golden.ASCII(list))
	}
	found := false
	for _, l := range strings.Split(out(colorprofile.TrueColor, flow), "\n") {
		if strings.Contains(stripSGR(l), "407") && strings.Contains(l, clientSGR) {
			found = true
			if !strings.Contains(l, ";4;") && !strings.Contains(l, "[4;") {
				t.Errorf("the 407 is #00d7af but not underlined: %q", l)
			}
		}
	}
	if !found {
		t.Errorf("no 407 in #00d7af in the flow:\n%q", out(colorprofile.TrueColor, flow))
	}
	// 256 colours: #ff5f5f is index 203, #00d7af index 43, both exact.
	if s := out(colorprofile.ANSI256, list+flow); !strings.Contains(s, "38;5;203") || !strings.Contains(s, "38;5;43") || strings.Contains(s, "38;2;") {
		t.Errorf("256 colours: 203 %v, 43 %v, true colour left %v", strings.Contains(s, "38;5;203"), strings.Contains(s, "38;5;43"), strings.Contains(s, "38;2;"))
	}
	p := colorprofile.Env([]string{"NO_COLOR=1", "TERM=xterm-256color", "COLORTERM=truecolor"})
	s := out(p, list+"\n"+flow)
	if sixteen, more, attrs := colourParams(s); sixteen+more != 0 || attrs == 0 {
		t.Errorf("NO_COLOR: %d colour codes, %d attributes", sixteen+more, attrs)
	}
}
