package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// fkey is a press of function key n (f5, f6, …): keys no default binding
// uses, to rebind every action to.
func fkey(n int) tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyF1 + rune(n-1)} }

// Every action rebound to a function key: each screen answers the new
// keys, and the old ones no longer act (a modal screen that hard-coded
// esc or enter would fail here).
func TestEveryScreenTakesReboundKeys(t *testing.T) {
	actions := keys.Actions()
	m := demoModel(t, analysis.Options{})
	key := map[string]tea.KeyPressMsg{}
	for i, a := range actions {
		n := 5 + i
		if p := fkey(n); p.String() != "f"+strconv.Itoa(n) {
			t.Fatalf("function key %d is %q", n, p.String())
		}
		if err := m.keys.Rebind(a, []string{"f" + strconv.Itoa(n)}); err != nil {
			t.Fatalf("rebind %s: %v", a, err)
		}
		key[a] = fkey(n)
	}
	m = drive(t, m, 100, 30)
	step := func(m Model, what string, msgs ...tea.Msg) Model {
		t.Helper()
		var tm tea.Model = m
		for _, msg := range msgs {
			var cmd tea.Cmd
			tm, cmd = tm.Update(msg)
			if cmd != nil && msg == key["send"] {
				if saved, ok := cmd().(savedMsg); ok {
					tm, _ = tm.Update(saved)
				}
			}
		}
		return tm.(Model)
	}
	// The old keys do nothing now.
	if got := step(m, "old keys", press("enter"), press("/"), press("?"), press("S"), press("P"), press("T")); got.cv.flow != nil || got.showing(keys.Filter) || got.showing(keys.Help) || got.dialog() != nil || got.showing(keys.Paste) || got.showing(keys.Form) {
		t.Fatal("a default key still acts after every action was rebound")
	}
	// Call list → flow → help of the flow → back.
	m2 := step(m, "open", key["open"])
	if m2.cv.flow == nil {
		t.Fatal("the rebound open key does not open the flow")
	}
	if m2 = step(m2, "help", key["help"]); !m2.showing(keys.Help) || m2.top().(*helpScreen).of != keys.Flow {
		t.Fatal("the rebound help key does not open the flow's help")
	}
	if help := stripSGR(m2.View().Content); !strings.Contains(help, "F"+strconv.Itoa(5+indexOf(actions, "back"))+" ") {
		t.Errorf("the help does not show the rebound back key:\n%s", help)
	}
	if m2 = step(m2, "close help", key["back"], key["back"]); m2.showing(keys.Help) || m2.cv.flow != nil {
		t.Fatal("the rebound back key does not close the help, then the flow")
	}
	// Filter prompt: the rebound apply keeps the filter.
	m3 := step(m, "filter", key["filter"], press("b"), press("o"), press("b"), key["apply"])
	if m3.showing(keys.Filter) || m3.cv.list.Filter != "bob" {
		t.Fatalf("filter: filtering %v, filter %q", m3.showing(keys.Filter), m3.cv.list.Filter)
	}
	// Paste: enter is text there; the rebound open_paste opens it.
	m4 := step(m, "paste", key["paste"])
	m4 = step(m4, "type", tea.PasteMsg{Content: "OPTIONS sip:a@b SIP/2.0\rVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\rCall-ID: x\rCSeq: 1 OPTIONS\rContent-Length: 0\r\r"})
	if m4 = step(m4, "open", key["open_paste"]); m4.showing(keys.Paste) || len(m4.stack) == 1 {
		t.Fatalf("the rebound open_paste does not open the paste (note %q)", m4.note)
	}
	// Save dialog: fields and choices by the rebound keys; back closes.
	m5 := step(m, "save", key["save"], key["next_field"])
	if m5.dialog() == nil || m5.dialog().focus != saveFormatField {
		t.Fatal("the rebound next_field does not move in the save dialog")
	}
	if m5 = step(m5, "choice", key["next_choice"]); m5.dialog().format != 1 {
		t.Fatal("the rebound next_choice does not change the format")
	}
	if m5 = step(m5, "close", key["back"]); m5.dialog() != nil {
		t.Fatal("the rebound back key does not close the save dialog")
	}
	// Probe form: fields by the rebound keys; back closes.
	fake := func(context.Context, probe.Config, func([]probe.Record)) probe.Result { return probe.Result{} }
	m6 := step(m.WithProber(fake), "probe", key["probe"])
	if !m6.showing(keys.Form) {
		t.Fatal("the rebound probe key does not open the form")
	}
	if m6 = step(m6, "field", key["next_field"]); m6.form.Focused() != 1 {
		t.Errorf("the rebound next_field does not move in the form (focus %d)", m6.form.Focused())
	}
	if m6 = step(m6, "close", key["back"]); m6.showing(keys.Form) {
		t.Fatal("the rebound back key does not close the form")
	}
	// Quit.
	if _, cmd := m.Update(key["quit"]); cmd == nil || cmd() != tea.Quit() {
		t.Error("the rebound quit key does not quit")
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// dialog is the save dialog when it is on top, else nil.
func (m Model) dialog() *saveDialog {
	d, _ := m.top().(*saveDialog)
	return d
}
