package tui

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/tui/keys"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/tui/config"
)

func configured(t *testing.T, toml string) Model {
	t.Helper()
	cfg, _, err := config.Parse("config.toml", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	return demoModel(t, analysis.Options{}).WithConfig(cfg)
}

// TestConfiguredColumns: a column set of the configuration's, with two
// header columns (one found only in the responses), sorted by one of
// them; the filter still finds calls by any header.
func TestConfiguredColumns(t *testing.T) {
	m := configured(t, `
[list]
columns = ["Method", "#", "From", "hdr:User-Agent", {header = "Server", title = "Answered by", width = 24}, "Auth"]
`)
	// Sort positions: capture order (#), Method, From, User-Agent.
	m = drive(t, m, 110, 12, presses(">", ">", ">")...)
	if m.cv.list.SortName() != "User-Agent" {
		t.Fatalf("sorted by %q", m.cv.list.SortName())
	}
	view := m.View().Content
	golden.Check(t, "columns-110x12", view)
	plain := golden.ASCII(view)
	for _, want := range []string{"User-Agent▲", "Answered by", "sipdbg-auth-lab authclient.…", "sipdbg-auth-lab edge (k…", "sorted by User-Agent"} {
		if !strings.Contains(plain, want) {
			t.Errorf("the list lacks %q:\n%s", want, plain)
		}
	}
	m = drive(t, m, 110, 12, presses("/", "a", "u", "t", "h", "c", "l", "i", "e", "n", "t", "enter")...)
	if m.cv.list.Len() != 2 {
		t.Errorf("filtering by a User-Agent shows %d calls, want 2", m.cv.list.Len())
	}
	// The columns stay for a pasted trace.
	m = drive(t, m, 110, 12, presses("P")...)
	var tm tea.Model = m
	tm, _ = tm.Update(tea.PasteMsg{Content: "x"})
	tm, _ = tm.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	pasted := tm.(Model)
	if head := golden.ASCII(pasted.cv.list.View(pasted.cv.store, 110, 5, pasted.st)); !strings.Contains(head, "Answered by") {
		t.Errorf("after a paste the list lost its columns: %q", head)
	}
}

// TestReboundKeys: the new key does the action, the old one no longer
// does, and the help shows the new one.
func TestReboundKeys(t *testing.T) {
	m := configured(t, "[keys]\nfilter = [\"F\"]\nquit = [\"Q\"]\nnext_auth_error = [\"q\"]\n")
	m = drive(t, m, 200, 30)
	if got := drive(t, m, 200, 30, press("/")); got.showing(keys.Filter) {
		t.Error("/ still opens the filter")
	}
	if got := drive(t, m, 200, 30, press("F")); !got.showing(keys.Filter) {
		t.Error("F does not open the filter")
	}
	if _, cmd := m.Update(press("Q")); cmd == nil || cmd() != tea.Quit() {
		t.Error("Q does not quit")
	}
	got, cmd := m.Update(press("q"))
	if cmd != nil {
		t.Error("q still quits")
	}
	if next := got.(Model); next.cv.list.Cursor == 0 {
		t.Error("q does not go to the next call with a problem")
	}
	if line := stripSGR(m.bottomLine()); !strings.Contains(line, "F filter") || !strings.Contains(line, "Q quit") || strings.Contains(line, "/ filter") {
		t.Errorf("status help: %q", line)
	}
	help := strings.Join(strings.Fields(stripSGR(drive(t, m, 200, 30, press("?")).View().Content)), " ")
	for _, want := range []string{"F filter calls", "Q quit", "q next call with a problem"} {
		if !strings.Contains(help, want) {
			t.Errorf("the help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "/ filter") {
		t.Errorf("the help still shows / for the filter:\n%s", help)
	}
}

// TestMonoTheme: with theme = "mono" the screens carry no colour even
// on a terminal that shows every colour, and still mark the selection.
func TestMonoTheme(t *testing.T) {
	for _, theme := range []string{"mono", "light", "high-contrast"} {
		m := drive(t, configured(t, "theme = \""+theme+"\"\n"), 160, 48)
		list := m.View().Content
		m = drive(t, m, 160, 48, presses("G", "enter", "j", "tab", "?")...)
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.TrueColor}
		w.WriteString(list + "\n" + m.View().Content)
		sixteen, more, attrs := colourParams(b.String())
		switch {
		case theme == "mono" && (sixteen+more != 0 || attrs == 0 || !strings.Contains(b.String(), "\x1b[7m")):
			t.Errorf("mono: %d colour codes, %d attributes, reverse %v", sixteen+more, attrs, strings.Contains(b.String(), "\x1b[7m"))
		case theme != "mono" && (sixteen == 0 || more != 0):
			t.Errorf("%s: %d of the 16 colours, %d beyond", theme, sixteen, more)
		}
	}
}
