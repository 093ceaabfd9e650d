package tui

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/probeform"
)

func demoModel(t *testing.T, opt analysis.Options) Model {
	t.Helper()
	r, err := demo.Open()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return New("demo.pcap", pipeline.Stream(ctx, r, 1), 1, opt)
}

// drive runs the model without a program: Init's command and each
// command it leads to, then the given messages, as Bubble Tea would.
func drive(t *testing.T, m Model, w, h int, msgs ...tea.Msg) Model {
	t.Helper()
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for cmd := m.Init(); cmd != nil; {
		var next tea.Cmd
		tm, next = tm.Update(cmd())
		cmd = next
	}
	for _, msg := range msgs {
		tm, _ = tm.Update(msg)
	}
	return tm.(Model)
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func presses(ks ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range ks {
		out = append(out, press(k))
	}
	return out
}

func TestScreensGolden(t *testing.T) {
	cases := []struct {
		name string
		w, h int
		keys []string
	}{
		{"list-80x24", 80, 24, nil},
		{"list-160x48", 160, 48, []string{"j"}},
		{"save-80x24", 80, 24, []string{"S"}},
		{"save-flow-120x40", 120, 40, []string{"G", "enter", "S", "tab"}},
		{"flow-80x24", 80, 24, []string{"G", "enter", "j"}},
		{"flow-160x48", 160, 48, []string{"G", "enter", "j"}},
		{"findings-160x48", 160, 48, []string{"G", "enter", "tab", "j", "j"}},
		{"analysis-80x24", 80, 24, []string{"j", "j", "enter", "e"}},
		{"analysis-scrolled-80x24", 80, 24, []string{"j", "enter", "tab", "pgdown"}},
		{"help-80x24", 80, 24, []string{"?"}},
		{"filter-80x24", 80, 24, []string{"/", "a", "l", "i", "c", "e"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := demoModel(t, analysis.Options{})
			m.saveDir, m.now = "/home/alice/traces", func() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) }
			m = drive(t, m, c.w, c.h, presses(c.keys...)...)
			view := m.View().Content
			for i, line := range strings.Split(golden.ASCII(view), "\n") {
				if w := len([]rune(stripSGR(line))); w > c.w {
					t.Errorf("line %d is %d cells wide, screen %d", i, w, c.w)
				}
			}
			if n := strings.Count(view, "\n") + 1; n != c.h {
				t.Errorf("%d lines, screen %d", n, c.h)
			}
			golden.Check(t, c.name, view)
		})
	}
}

func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestFindingSelectsItsMessage(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 160, 48, presses("G", "enter", "tab", "j", "j")...)
	if m.cv.flow == nil || m.cv.flow.Finding != 2 {
		t.Fatalf("flow %v", m.cv.flow)
	}
	f := m.cv.flow.Findings[2]
	if m.cv.flow.SelectedMsg() != f.Messages[0] {
		t.Errorf("finding %s concerns #%d but message #%d is selected", f.Code, f.Messages[0]+1, m.cv.flow.SelectedMsg()+1)
	}
	m = drive(t, demoModel(t, analysis.Options{}), 160, 48, presses("G", "enter", "j", "esc")...)
	if m.cv.flow != nil {
		t.Error("esc did not go back to the list")
	}
}

// TestWholeApp runs the real program loop (teatest): open the demo,
// select the INVITE, step to the 407, read the explanation, quit with
// ctrl+c (q in a flow goes back).
func TestWholeApp(t *testing.T) {
	tm := teatest.NewTestModel(t, demoModel(t, analysis.Options{}), teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "4 calls")
	for _, k := range presses("G", "enter", "j", "tab") {
		tm.Send(k)
	}
	waitFor(t, tm, "A 407 comes from a proxy in the path")
	tm.Send(press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(Model)
	if final.cv.flow == nil || final.cv.flow.Ladder.Rows[final.cv.flow.Row].Status != 407 {
		t.Errorf("the 407 is not selected at the end")
	}
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func TestSelectExtendHostAndSave(t *testing.T) {
	// Space on both calls, Enter: one flow with every message.
	m := drive(t, demoModel(t, analysis.Options{}), 160, 48, presses(" ", " ", "enter")...)
	calls := m.cv.store.Calls()
	if m.cv.flow == nil || len(m.cv.flow.Calls) != 2 || len(m.cv.flow.Ladder.Rows) != len(calls[0].Msgs)+len(calls[1].Msgs) {
		t.Fatalf("merged flow: %+v", m.cv.flow)
	}
	// s: one column per host (everything is on 127.0.0.1).
	m = drive(t, m, 160, 48, presses("s")...)
	if len(m.cv.flow.Ladder.Columns) != 1 {
		t.Errorf("by host: %d columns", len(m.cv.flow.Ladder.Columns))
	}
	// x on a call without related legs says so and shows the call.
	m = drive(t, demoModel(t, analysis.Options{}), 160, 48, presses("x")...)
	if m.cv.flow == nil || !strings.Contains(m.note, "no related legs") {
		t.Errorf("extended flow: note %q", m.note)
	}
}

// TestSaveDialog: S opens a dialog that asks for a format, the calls and
// a file name; enter writes exactly that file, in each format, says what
// it wrote in the dialog, and never overwrites.
func TestSaveDialog(t *testing.T) {
	dir := t.TempDir()
	run := func(m Model, keys ...tea.Msg) Model {
		t.Helper()
		var tm tea.Model = m
		for _, k := range keys {
			var cmd tea.Cmd
			tm, cmd = tm.Update(k)
			if k != press("enter") || cmd == nil {
				continue // the text field's cursor blinks: not run here
			}
			tm, _ = tm.Update(cmd())
		}
		return tm.(Model)
	}
	base := demoModel(t, analysis.Options{})
	base.saveDir = dir
	base = drive(t, base, 80, 24)
	for i, want := range []struct {
		ext   string
		check func([]byte) string
	}{
		{"pcap", func(b []byte) string {
			r, err := capture.NewReader(bytes.NewReader(b), "x.pcap", int64(len(b)))
			if err != nil {
				return err.Error()
			}
			s := session.NewStore()
			pipeline.Load(r, s)
			if s.Len() != 43 || len(s.Calls()) != 4 {
				return fmt.Sprintf("reads back as %d messages, %d calls", s.Len(), len(s.Calls()))
			}
			return ""
		}},
		{"txt", func(b []byte) string {
			if !strings.Contains(string(b), "401 Unauthorized") || !strings.Contains(string(b), "Verdict:") || strings.Contains(string(b), "\x1b[") {
				return "no ladder, verdict or findings, or colour codes:\n" + string(b)
			}
			return ""
		}},
		{"json", func(b []byte) string {
			var doc struct{ Calls []json.RawMessage }
			if err := json.Unmarshal(b, &doc); err != nil || len(doc.Calls) != 4 {
				return fmt.Sprintf("%d calls, %v", len(doc.Calls), err)
			}
			return ""
		}},
		{"csv", func(b []byte) string {
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil || len(recs) != 5 || recs[0][0] != "#" || !slices.Contains(recs[0], "Verdict") || !slices.Contains(recs[2], "error") {
				return fmt.Sprintf("%v %q", err, recs)
			}
			return ""
		}},
	} {
		m := run(base, press("S"))
		if m.dialog() == nil || !strings.Contains(golden.ASCII(m.View().Content), "Format") {
			t.Fatal("S does not open the save dialog")
		}
		if m.screen() != keys.Save || !strings.Contains(stripSGR(m.footer()), "enter save") {
			t.Errorf("the footer is not the dialog's: %q", stripSGR(m.footer()))
		}
		keysFor := []tea.Msg{press("tab")} // to the format
		for range i {
			keysFor = append(keysFor, press("right"))
		}
		keysFor = append(keysFor, press("tab"), press("tab")) // to the name
		for range 40 {
			keysFor = append(keysFor, press("backspace"))
		}
		name := "mine-" + want.ext + "." + want.ext
		for _, r := range name {
			keysFor = append(keysFor, press(string(r)))
		}
		m = run(m, append(keysFor, press("enter"))...)
		path := filepath.Join(dir, name)
		view := strings.Join(strings.Fields(stripSGR(m.View().Content)), " ")
		if !strings.Contains(view, "Saved 4 calls as "+want.ext+" to "+path) {
			t.Fatalf("%s: the dialog does not say what it wrote:\n%s", want.ext, view)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			t.Fatalf("%v (the directory has %v; the dialog says %q)", err, files, view)
		}
		if why := want.check(b); why != "" {
			t.Errorf("%s: %s", want.ext, why)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is mode %v: a capture holds credentials' hashes", path, st.Mode().Perm())
		}
		if m = run(m, press("x")); m.dialog() != nil {
			t.Error("a key after a save does not close the dialog")
		}
		// The same name again: refused, said, nothing overwritten.
		m = run(base, press("S"))
		m = run(m, append(keysFor, press("enter"))...)
		view = strings.Join(strings.Fields(stripSGR(m.View().Content)), " ")
		if m.dialog() == nil || !strings.Contains(view, "exists") {
			t.Errorf("%s: saving over a file is not refused in the dialog:\n%s", want.ext, view)
		}
		if m = run(m, press("esc")); m.dialog() != nil {
			t.Error("esc does not close the dialog")
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 4 {
		t.Errorf("files written: %v, want the 4 named", files)
	}
}

func TestCompareTwoMessages(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 160, 48, presses("G", "enter", " ", "j", "j", "j", " ")...)
	if m.cv.flow == nil || m.cv.flow.Compare == nil {
		t.Fatal("no comparison after marking two messages")
	}
	view := golden.ASCII(m.View().Content)
	if !strings.Contains(view, "Comparing #") || !strings.Contains(view, "≠") {
		t.Errorf("comparison view:\n%s", view)
	}
	golden.Check(t, "compare-160x48", m.View().Content)
	m = drive(t, m, 160, 48, presses("esc")...)
	if m.cv.flow == nil || m.cv.flow.Compare != nil {
		t.Error("esc should close the comparison and stay in the flow")
	}
}

func TestFollowAndPause(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 120, 30, presses("f")...)
	if !m.follow || m.cv.list.Cursor != m.cv.list.Len()-1 || !strings.Contains(m.statusLine(), "following") {
		t.Errorf("follow: cursor %d of %d", m.cv.list.Cursor, m.cv.list.Len())
	}
	m = drive(t, m, 120, 30, presses("p")...)
	if !m.paused || !strings.Contains(golden.ASCII(m.statusLine()), "display paused") {
		t.Error("p does not pause the display")
	}
}

// TestPasteScreen pastes each kind of trace as terminals deliver a paste
// (bracketed, line ends as CR; or CR LF) and opens it over the demo,
// which esc brings back.
func TestPasteScreen(t *testing.T) {
	tmuxPaste := func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }      // paste-buffer: each LF a CR
	shown := func(s string) string { return tmuxPaste(strings.ReplaceAll(s, "\r", "")) } // copied off a screen
	asIs := func(s string) string { return s }
	for _, c := range []struct {
		file        string
		msgs, calls int
		deliver     func(string) string
	}{
		{"asterisk-pjsip.log", 20, 2, tmuxPaste},
		{"asterisk-pjsip.log", 20, 2, shown},
		{"asterisk-pjsip.log", 20, 2, asIs},
		{"freeswitch-siptrace.log", 0, 0, tmuxPaste},
		{"sngrep-register-auth.txt", 0, 0, tmuxPaste},
		{"sngrep-register-auth.txt", 0, 0, shown},
	} {
		trace, err := os.ReadFile(filepath.Join("..", "testdata", "traces", c.file))
		if err != nil {
			t.Fatal(err)
		}
		want := loadTrace(t, trace)
		if c.msgs == 0 {
			c.msgs, c.calls = want.Len(), len(want.Calls())
		}
		m := drive(t, demoModel(t, analysis.Options{}), 120, 30, presses("P")...)
		if !m.showing(keys.Paste) || !strings.Contains(golden.ASCII(m.View().Content), "Paste a SIP trace") {
			t.Fatal("P does not open the paste screen")
		}
		var tm tea.Model = m
		text := c.deliver(string(trace))
		half := len(text) / 2 // a paste may come in pieces
		tm, _ = tm.Update(tea.PasteMsg{Content: text[:half]})
		tm, _ = tm.Update(tea.PasteMsg{Content: text[half:]})
		// A paired CR LF may lose a blank line between two messages; the
		// count is of lines, never "1 line" for a whole trace.
		if v := golden.ASCII(tm.View().Content); strings.Contains(v, "\n1 line,") || !strings.Contains(v, " lines, ") {
			t.Errorf("%s: the paste screen does not count the pasted lines:\n%s", c.file, v)
		}
		tm, cmd := tm.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
		for cmd != nil {
			var next tea.Cmd
			tm, next = tm.Update(cmd())
			cmd = next
		}
		got := tm.(Model)
		if got.showing(keys.Paste) || !strings.HasPrefix(got.cv.name, "pasted trace") || got.cv.store.Len() != c.msgs || len(got.cv.store.Calls()) != c.calls {
			t.Fatalf("%s after ctrl+s: pasting %v, %q, %d messages, %d calls, note %q", c.file, got.showing(keys.Paste), got.cv.name, got.cv.store.Len(), len(got.cv.store.Calls()), got.note)
		}
		for i, call := range got.cv.store.Calls() {
			if w := want.Calls()[i]; call.From != w.From || call.To != w.To || call.From == "" {
				t.Errorf("%s: call %d is %s → %s, the file gives %s → %s", c.file, i, call.From, call.To, w.From, w.To)
			}
		}
		got = drive(t, got, 120, 30, presses("esc")...)
		if got.cv.name != "demo.pcap" || len(got.stack) > 1 || len(got.cv.store.Calls()) != 4 {
			t.Errorf("%s: esc shows %q with %d calls, want the demo back", c.file, got.cv.name, len(got.cv.store.Calls()))
		}
	}
}

// loadTrace reads a trace file as sipdbg FILE would.
func loadTrace(t *testing.T, b []byte) *session.Store {
	t.Helper()
	src, err := source.FromReader(bytes.NewReader(b), "trace", int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	s := session.NewStore()
	if err := pipeline.Load(src, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestProbeForm fills the live-test form, sends it (to a stand-in for
// the network), shows the exchange as it happens and then whole with its
// findings, over the capture, which esc brings back; the password is kept
// from nothing but the request.
func TestProbeForm(t *testing.T) {
	var got probe.Config
	recs := demoRecords(t)
	fake := func(_ context.Context, cfg probe.Config, progress func([]probe.Record)) probe.Result {
		got = cfg
		progress(recs[:1])
		progress(recs[:2]) // the view skips to the latest
		return probe.Result{Outcome: probe.OutcomeOK, Final: 200, Reason: "SIP/2.0 200 OK", Records: recs}
	}
	m := demoModel(t, analysis.Options{}).WithProber(fake)
	m = drive(t, m, 120, 30, presses("T")...)
	if !m.showing(keys.Form) {
		t.Fatal("T does not open the form")
	}
	m.form.Set(probeform.Target, "sip:alice@sipdbg.test")
	m.form.Set(probeform.Password, "s3cret-pw")
	if strings.Contains(golden.ASCII(m.View().Content), "s3cret-pw") {
		t.Error("the form shows the password")
	}
	var tm tea.Model = m
	tm, cmd := tm.Update(press("enter"))
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("enter gave %T, not the probe and its progress", cmd())
	}
	done := batch[0]() // the probe runs, reporting as it goes
	tm, _ = tm.Update(batch[1]())
	m = tm.(Model)
	if m.probe == nil || m.cv.flow == nil || len(m.cv.flow.Msgs()) != 2 || !strings.Contains(m.cv.name, "sending") {
		t.Fatalf("while the probe runs: running %v, flow %v, %q", m.probe != nil, m.cv.flow != nil, m.cv.name)
	}
	tm, _ = tm.Update(done)
	m = tm.(Model)
	if got.Method != "REGISTER" || got.Target != "sip:alice@sipdbg.test" || len(got.Credentials) != 1 || got.Credentials[0].Secret.IsZero() {
		t.Errorf("config sent: %+v", got)
	}
	if m.showing(keys.Form) || m.cv.flow == nil || !strings.Contains(m.cv.name, "probe: ok") || m.cv.store.Len() != len(recs) {
		t.Fatalf("after the probe: probing %v, flow %v, %q", m.showing(keys.Form), m.cv.flow != nil, m.cv.name)
	}
	if strings.Contains(golden.ASCII(m.View().Content), "s3cret-pw") {
		t.Error("the result screen shows the password")
	}
	if v := stripSGR(m.View().Content); !strings.Contains(v, "Probe ok: SIP/2.0 200 OK") {
		t.Errorf("the probe's result is not above its exchange:\n%s", v)
	}
	m = drive(t, m, 120, 30, press("esc")) // one esc, as the status line says
	if len(m.stack) > 1 || m.cv.name != "demo.pcap" || len(m.cv.store.Calls()) != 4 || m.cv.list.Len() != 4 {
		t.Fatalf("esc did not bring the capture back: %q, %d calls", m.cv.name, len(m.cv.store.Calls()))
	}
}

// TestProbeFormFeedback: what stops the form is said in it, whole at
// 80×24; the timeout is a field; reopening says the passwords were
// cleared; a probe nobody answered says so in the body, not only in the
// status line.
func TestProbeFormFeedback(t *testing.T) {
	var got probe.Config
	fake := func(_ context.Context, cfg probe.Config, _ func([]probe.Record)) probe.Result {
		got = cfg
		return probe.Result{Outcome: probe.OutcomeNoAnswer, Reason: "no answer from 192.0.2.1:5060/udp within 3s"}
	}
	m := drive(t, demoModel(t, analysis.Options{}).WithProber(fake), 80, 24, presses("T")...)
	m.form.Set(probeform.Target, "sip:alice@sipdbg.test")
	m.form.Set(probeform.Timeout, "3")
	m = drive(t, m, 80, 24, press("enter"))
	view := strings.Join(strings.Fields(stripSGR(m.View().Content)), " ")
	if !m.showing(keys.Form) || !strings.Contains(view, "the password is empty: type it (a register is challenged; options needs none)") {
		t.Fatalf("an empty password is not said in the form:\n%s", view)
	}
	golden.Check(t, "probeform-80x24", m.View().Content)
	m.form.Set(probeform.Password, "pw")
	var tm tea.Model = m
	tm, cmd := tm.Update(press("enter"))
	batch := cmd().(tea.BatchMsg)
	tm, _ = tm.Update(batch[0]())
	m = tm.(Model)
	if got.Timeout != 3*time.Second {
		t.Errorf("the timeout sent is %v, want the form's 3s", got.Timeout)
	}
	view = strings.Join(strings.Fields(stripSGR(m.View().Content)), " ")
	if !strings.Contains(view, "Probe "+probe.OutcomeNoAnswer+": no answer from 192.0.2.1:5060/udp within 3s. Nothing was answered") {
		t.Errorf("the probe's failure is not in the body:\n%s", view)
	}
	golden.Check(t, "probe-noanswer-80x24", m.View().Content)
	m = drive(t, m, 80, 24, press("esc"), press("T"))
	view = strings.Join(strings.Fields(stripSGR(m.View().Content)), " ")
	if !strings.Contains(view, "The passwords typed before were cleared") || m.form.Config().Credentials != nil {
		t.Errorf("reopening does not say the passwords were cleared:\n%s", view)
	}
}

// demoRecords turns the demo's first call into probe records.
func demoRecords(t *testing.T) []probe.Record {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var out []probe.Record
	for _, mi := range s.Calls()[0].Msgs {
		msg := s.Msg(int(mi))
		out = append(out, probe.Record{Time: msg.Time(), Src: msg.Src(), Dst: msg.Dst(), Transport: "UDP", Data: msg.Raw(), Sent: msg.IsRequest()})
	}
	return out
}

func TestMouseWheelAndProgress(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 120, 30)
	if m.View().MouseMode != tea.MouseModeNone {
		t.Error("the mouse is on by default: text could not be selected")
	}
	m = drive(t, m, 120, 30, presses("M")...)
	if m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("M does not turn the mouse on")
	}
	m = drive(t, m, 120, 30, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.cv.list.Cursor != 3 {
		t.Errorf("wheel down: cursor %d", m.cv.list.Cursor)
	}
	if b := bar(45, 100); b != "[####......]" {
		t.Errorf("bar(45%%) = %q", b)
	}
}
