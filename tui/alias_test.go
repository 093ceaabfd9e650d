package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/internal/testkit/golden"
)

// TestConfiguredAliases: the configuration's aliases reach the call
// list, the ladder (two addresses of one name in one column) and the
// message pane's head (the name with the address); a pasted trace is
// named alike.
func TestConfiguredAliases(t *testing.T) {
	m := configured(t, `
[aliases]
"127.0.0.1:5194" = "alice-phone"
"127.0.0.1:5195" = "bob-phone"
"127.0.0.1:5190" = "edge"
"127.0.0.1:5191" = "edge"
"127.0.0.1" = "lab"

[list]
columns = ["#", "Method", { column = "Source", width = 14 }, { column = "Destination", width = 14 }, "State"]
`)
	m = drive(t, m, 80, 24)
	list := ansi.Strip(m.View().Content)
	for _, want := range []string{"alice-phone", "bob-phone", "edge"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "127.0.0.1:") {
		t.Errorf("the list shows an address that has an alias:\n%s", list)
	}
	m = drive(t, m, 80, 24, presses("end", "enter", "down")...) // the call through edge's two ports, its second message
	flow := m.View().Content
	golden.Check(t, "alias-flow-80x24", flow)
	lines := strings.Split(ansi.Strip(flow), "\n")
	var header string
	for _, l := range lines {
		if strings.HasPrefix(l, "#") && strings.Contains(l, "time") {
			header = l
			break
		}
	}
	if !strings.Contains(header, "bob-phone") || !strings.Contains(header, "edge") || !strings.Contains(header, "lab") || strings.Count(header, "edge") != 1 {
		t.Errorf("ladder header %q: bob-phone, one edge, lab", header)
	}
	if plain := ansi.Strip(flow); !strings.Contains(plain, "edge (127.0.0.1:5190) → bob-phone (127.0.0.1:5195)") {
		t.Errorf("the message pane's head does not give the names with the addresses:\n%s", plain)
	}
	// A paste is named as the capture is.
	var tm tea.Model = drive(t, m, 80, 24, presses("esc", "P")...)
	tm, _ = tm.Update(tea.PasteMsg{Content: "U 127.0.0.1:5194 -> 127.0.0.1:5190\nOPTIONS sip:x SIP/2.0\r\nCall-ID: p1\r\nCSeq: 1 OPTIONS\r\n\r\n"})
	tm, _ = tm.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	pasted := tm.(Model)
	if n, _ := pasted.cv.store.Aliases().Name(pasted.base().store.Calls()[0].Src); n != "alice-phone" || pasted.cv == pasted.base() {
		t.Errorf("the pasted trace's store names %q (a view of its own: %v)", n, pasted.cv != pasted.base())
	}
}
