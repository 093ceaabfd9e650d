package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/config"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// commandModel is the demo with the commands of text.
func commandModel(t *testing.T, text string) Model {
	t.Helper()
	cfg, _, err := config.Parse("c.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	m := demoModel(t, analysis.Options{}).WithConfig(cfg)
	t.Cleanup(func() { m.Close() })
	return drive(t, m, 80, 24)
}

// runKey presses k, checks the status line says the command runs, runs
// its Cmd as Bubble Tea would and returns the model with the result.
func runKey(t *testing.T, m Model, k string) Model {
	t.Helper()
	tm, cmd := tea.Model(m).Update(press(k))
	if cmd == nil {
		t.Fatalf("%s runs nothing", k)
	}
	if s := stripSGR(tm.(Model).statusLine()); !strings.Contains(s, "running: ") {
		t.Errorf("the status line does not say the command runs: %q", s)
	}
	tm, _ = tm.Update(cmd())
	return tm.(Model)
}

func screenText(m Model) string { return stripSGR(m.View().Content) }

// TestCommandKey: the key runs its command on the call under the cursor,
// through /bin/sh, with the Call-ID and a pcap of the call; the result
// screen shows the command line, "exit 0" and the output; esc closes it.
// A failing command shows its status and output; {file} without a file
// is refused; the help lists the commands; Close removes the pcap.
func TestCommandKey(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "callid")
	text := `[[commands]]
key = "w"
title = "keep the call"
run = "printf %s {callid} > ` + out + `; cp {pcap} ` + dir + `/; echo copied"

[[commands]]
key = "ctrl+e"
title = "fail"
run = "echo oops >&2; exit 3"

[[commands]]
key = "F"
run = "echo {file}"

[[commands]]
key = "L"
run = "less {pcap}"
interactive = true
`
	m := commandModel(t, text)
	m = drive(t, m, 80, 24, presses("j")...)
	call := m.cv.list.Selected(m.cv.store)
	m = runKey(t, m, "w")
	s := screenText(m)
	if m.screen() != keys.Result || !strings.Contains(s, "Command: keep the call") || !strings.Contains(s, "exit 0") || !strings.Contains(s, "copied") ||
		!strings.Contains(s, "$ printf %s '"+call.CallID+"'") {
		t.Fatalf("the result screen:\n%s", s)
	}
	if !strings.Contains(stripSGR(m.footer()), "esc close") {
		t.Errorf("footer %q", stripSGR(m.footer()))
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != call.CallID {
		t.Errorf("the command got %q (%v), want the Call-ID %q", b, err, call.CallID)
	}
	pcaps, _ := filepath.Glob(filepath.Join(dir, "calls-*.pcap"))
	if len(pcaps) != 1 {
		t.Fatalf("copied pcaps: %v", pcaps)
	}
	b, err := os.ReadFile(pcaps[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err := capture.NewReader(bytes.NewReader(b), "x.pcap", int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	s2 := session.NewStore()
	pipeline.Load(r, s2)
	if len(s2.Calls()) != 1 || s2.Calls()[0].CallID != call.CallID || s2.Len() != len(call.Msgs) {
		t.Errorf("the pcap holds %d calls, %d messages; want the call's %d", len(s2.Calls()), s2.Len(), len(call.Msgs))
	}
	tmp := m.cmds.shared.dir
	if st, err := os.Stat(tmp); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("the temporary directory %s: %v %v", tmp, st, err)
	}

	m = drive(t, m, 80, 24, press("esc"))
	if m.screen() != keys.List {
		t.Fatalf("esc leaves %v", m.screen())
	}
	m = runKey(t, m, "ctrl+e")
	if s := screenText(m); !strings.Contains(s, "exit 3") || !strings.Contains(s, "oops") {
		t.Errorf("the failing command:\n%s", s)
	}
	m = drive(t, m, 80, 24, press("esc"))

	// {file}: the demo is no file.
	tm, cmd := tea.Model(m).Update(press("F"))
	tm, _ = tm.Update(cmd())
	if s := screenText(tm.(Model)); !strings.Contains(s, "not run: {file}: these calls come from no file") {
		t.Errorf("{file} without a file:\n%s", s)
	}

	// In a flow: the flow's call; interactive: ready to run on the terminal.
	m = drive(t, m, 80, 24, presses("enter")...)
	tm, cmd = tea.Model(m).Update(press("L"))
	if ready, ok := cmd().(commandReadyMsg); !ok || !strings.HasPrefix(ready.line, "less '"+tmp+"/calls-") {
		t.Errorf("interactive: %#v", ready)
	}
	m = tm.(Model)
	if s := stripSGR(strings.Join(m.helpLines(keys.Flow, 80), "\n")); !strings.Contains(s, "keep the call") || !strings.Contains(s, "ctrl+e") || !strings.Contains(s, "less {pcap}") {
		t.Errorf("the flow's help does not list the commands:\n%s", s)
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("Close left %s: %v", tmp, err)
	}
}

// TestCommandHostileCallID: a pasted trace's Call-ID made to break out
// of quotes reaches the command as itself, and runs nothing. Two marked
// calls give two words.
func TestCommandHostileCallID(t *testing.T) {
	dir := t.TempDir()
	canary := filepath.Join(dir, "pwned")
	out := filepath.Join(dir, "out")
	ids := []string{"x';touch" + canary + ";'$(touch${IFS}" + canary + ")`touch${IFS}" + canary + "`", "b\"c;d"}
	var trace strings.Builder
	for i, id := range ids {
		trace.WriteString("2026/11/28 10:47:2" + string(rune('3'+i)) + ".429793 127.0.0.1:5091 -> 127.0.0.1:5090\r" +
			"OPTIONS sip:sipdbg.test SIP/2.0\rVia: SIP/2.0/UDP 127.0.0.1:5091;branch=z9hG4bK-" + string(rune('a'+i)) + "\r" +
			"From: <sip:bob@sipdbg.test>;tag=1\rTo: <sip:bob@sipdbg.test>\rCall-ID: " + id + "\rCSeq: 1 OPTIONS\rContent-Length: 0\r\r\r")
	}
	m := commandModel(t, "[[commands]]\nkey = \"w\"\nrun = \"for a in {callid}; do printf '<%s>' \\\"$a\\\"; done > "+out+"\"\n")
	m = drive(t, m, 80, 24, press("P"), tea.PasteMsg{Content: trace.String()}, tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	if len(m.cv.store.Calls()) != 2 {
		t.Fatalf("the pasted trace has %d calls", len(m.cv.store.Calls()))
	}
	m = drive(t, m, 80, 24, presses("g", " ", "j", " ")...)
	m = runKey(t, m, "w")
	if s := screenText(m); !strings.Contains(s, "exit 0") {
		t.Fatalf("result:\n%s", s)
	}
	b, err := os.ReadFile(out)
	if want := "<" + strings.Join(ids, "><") + ">"; err != nil || string(b) != want {
		t.Errorf("the command got %q (%v), want %q", b, err, want)
	}
	if _, err := os.Stat(canary); err == nil {
		t.Error("a Call-ID ran a command")
	}
}

// runLine runs line as a background command would, and returns its
// result.
func runLine(t *testing.T, shared *commandShared, line string) commandDoneMsg {
	t.Helper()
	r := &commandRun{cmd: config.Command{Title: "t", Run: line}, values: map[string][]string{}, shared: shared}
	msg, ok := r.prepare().(commandDoneMsg)
	if !ok {
		t.Fatalf("%q: no result", line)
	}
	return msg
}

// How a command ended, and how much of its output is kept; Close ends a
// command still running.
func TestCommandStatus(t *testing.T) {
	shared := newCommandShared()
	for _, c := range []struct {
		line, status string
		ok           bool
	}{
		{"true", "exit 0", true},
		{"exit 3", "exit 3", false},
		{"kill -TERM $$", "killed by signal (terminated)", false},
		{"no-such-command-sipdbg", "exit 127: not found", false},
		{"sleep 10 & echo left", "exit 0 (a process it left behind still had its output open)", true},
	} {
		got := runLine(t, shared, c.line)
		if !strings.HasPrefix(got.status, c.status) || got.ok != c.ok {
			t.Errorf("%q: %q ok=%v, want %q ok=%v", c.line, got.status, got.ok, c.status, c.ok)
		}
	}
	got := runLine(t, shared, "head -c 20000 /dev/zero | tr '\\0' a; echo; echo last")
	if len(got.output) != outputKeep || got.dropped != 20006-outputKeep || !strings.HasSuffix(got.output, "a\nlast\n") {
		t.Errorf("output kept: %d bytes, %d dropped, ends %q", len(got.output), got.dropped, got.output[max(0, len(got.output)-10):])
	}
	done := make(chan commandDoneMsg)
	go func() { done <- runLine(t, shared, "sleep 30") }()
	time.Sleep(200 * time.Millisecond)
	if err := shared.close(); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-done:
		if !strings.HasPrefix(msg.status, "killed by signal") {
			t.Errorf("a command ended by Close: %q", msg.status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the command still running")
	}
}
