package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/probeform"
)

// Every screen at the three sizes an engineer uses, from 80×24 up: a
// golden each, no line wider than the terminal, the screen's height
// exactly, and the footer ending with the help key where the screen has
// one. The goldens are in testdata/screens/.
func TestEveryScreenGolden(t *testing.T) {
	trace, err := os.ReadFile(filepath.Join("..", "testdata", "traces", "asterisk-pjsip.log"))
	if err != nil {
		t.Fatal(err)
	}
	recs := demoRecords(t)
	fake := func(_ context.Context, _ probe.Config, _ func([]probe.Record)) probe.Result {
		return probe.Result{Outcome: probe.OutcomeOK, Final: 200, Reason: "SIP/2.0 200 OK", Records: recs}
	}
	paste := func(m Model) Model {
		var tm tea.Model = m
		tm, _ = tm.Update(tea.PasteMsg{Content: strings.ReplaceAll(string(trace), "\n", "\r")})
		return tm.(Model)
	}
	fill := func(m Model) Model {
		m.form.Set(probeform.Target, "sip:alice@sipdbg.test")
		m.form.Set(probeform.Password, "s3cret")
		return m
	}
	sent := func(m Model) Model {
		m = fill(m)
		var tm tea.Model = m
		tm, cmd := tm.Update(press("enter"))
		tm, _ = tm.Update(cmd().(tea.BatchMsg)[0]())
		return tm.(Model)
	}
	screens := []struct {
		name   string
		screen keys.Screen
		keys   []string
		then   func(Model) Model
	}{
		{"list", keys.List, nil, nil},
		{"flow", keys.Flow, []string{"G", "enter", "j"}, nil},
		{"help-list", keys.Help, []string{"?"}, nil},
		{"help-flow", keys.Help, []string{"G", "enter", "?"}, nil},
		{"filter", keys.Filter, []string{"/", "a", "l", "i", "c", "e"}, nil},
		{"paste", keys.Paste, []string{"P"}, paste},
		{"pasted", keys.List, []string{"P"}, func(m Model) Model {
			return drive(t, paste(m), m.width, m.height, tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
		}},
		{"save", keys.Save, []string{"S"}, nil},
		{"probeform", keys.Form, []string{"T"}, fill},
		{"probe-result", keys.Flow, []string{"T"}, sent},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		for _, sc := range screens {
			name := sc.name + "-" + strconv.Itoa(w) + "x" + strconv.Itoa(h)
			t.Run(name, func(t *testing.T) {
				m := demoModel(t, analysis.Options{}).WithProber(fake)
				m.saveDir, m.now = "/home/alice/traces", func() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) }
				m = drive(t, m, w, h, presses(sc.keys...)...)
				if sc.then != nil {
					m = sc.then(m)
				}
				if m.screen() != sc.screen {
					t.Fatalf("the screen is the %v, want the %v", m.screen(), sc.screen)
				}
				view := m.View().Content
				lines := strings.Split(view, "\n")
				if len(lines) != h {
					t.Errorf("%d lines, screen %d", len(lines), h)
				}
				for i, l := range lines {
					if n := ansi.StringWidth(l); n > w {
						t.Errorf("line %d is %d cells wide, screen %d", i, n, w)
					}
				}
				foot := stripSGR(lines[len(lines)-1])
				if (sc.screen == keys.List || sc.screen == keys.Flow) && !strings.HasSuffix(strings.TrimSpace(foot), "? help") {
					t.Errorf("the footer does not end with ? help: %q", foot)
				}
				if strings.Contains(stripSGR(view), "s3cret") {
					t.Error("the screen shows the password")
				}
				golden.Check(t, filepath.Join("screens", name), view)
			})
		}
	}
}
