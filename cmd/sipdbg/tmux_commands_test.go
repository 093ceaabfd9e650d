package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/session"
)

// loadCalls reads a capture file with the repository's own reader.
func loadCalls(t *testing.T, path string) *session.Store {
	t.Helper()
	s, err := authlab.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCommandKeysInTmux: a [[commands]] key pressed on the call list of
// a real capture, in a real terminal, runs its shell command with the
// Call-ID of the call under the cursor and a pcap of that call (with its
// packets, read back here); the screen shows the command line and
// "exit 0". A failing command shows "exit 3" and its output. The help
// lists the commands; quitting removes the temporary pcap's directory.
func TestCommandKeysInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildForTmux(t, dir)
	capFile, err := filepath.Abs(filepath.Join("..", "..", "testdata", "captures", "tcp-multi-per-segment.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	orig := loadCalls(t, capFile)
	if len(orig.Calls()) < 2 {
		t.Fatalf("%s has %d calls: the test selects the second", capFile, len(orig.Calls()))
	}
	want := orig.Calls()[1] // the list's second row
	out := filepath.Join(dir, "out")
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{out, tmp} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "config.toml")
	conf := `[[commands]]
key = "w"
title = "keep the call"
run = "printf %s {callid} > ` + out + `/callid; cp {pcap} ` + out + `/call.pcap; echo kept {file}"

[[commands]]
key = "E"
title = "fail on purpose"
run = 'echo boom "[$SIPDBG_CK_PW]" >&2; exit 3'

`
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(dir, "debug.log")
	const pw = "cmdkeys-secret"
	tm := startTmuxSized(t, "SIPDBG_CK_PW="+pw+" SIPDBG_DEBUG="+logFile+" SIPDBG_CONFIG="+cfg+" TMPDIR="+tmp+" "+bin+
		" --user alice --password-env SIPDBG_CK_PW "+capFile+"; echo exited $?; sleep 30", 80, 24)
	tm.wait("Verdict")
	tm.keys("?")
	tm.wait("Keys: call list")
	for range 20 {
		tm.keys("PageDown")
	}
	if s := tm.wait("fail on purpose"); !strings.Contains(s, "keep the call") {
		t.Errorf("the help does not list the commands:\n%s", s)
	}
	tm.keys("Escape")
	tm.wait("Verdict")

	tm.keys("j", "w")
	s := tm.wait("exit 0")
	if !strings.Contains(s, "Command: keep the call") || !strings.Contains(s, "$ printf %s '"+want.CallID[:min(len(want.CallID), 40)]) || !strings.Contains(s, "kept "+capFile[:min(len(capFile), 30)]) {
		t.Errorf("the result screen:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("a line of %d cells at 80 columns: %q", w, l)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "callid"))
	if err != nil || string(b) != want.CallID {
		t.Errorf("{callid} gave %q (%v), want %q", b, err, want.CallID)
	}
	got := loadCalls(t, filepath.Join(out, "call.pcap"))
	if len(got.Calls()) != 1 || got.Calls()[0].CallID != want.CallID || got.Len() != len(want.Msgs) {
		t.Errorf("{pcap} holds %d calls, %d messages; want the call %q's %d", len(got.Calls()), got.Len(), want.CallID, len(want.Msgs))
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "sipdbg-cmd-") {
		t.Errorf("the temporary directory: %v", entries)
	}

	tm.keys("Escape")
	tm.wait("Verdict")
	tm.keys("E")
	// The password's variable is not passed on: the command sees it empty.
	if s := tm.wait("exit 3"); !strings.Contains(s, "boom []") || !strings.Contains(s, "Command: fail on purpose") {
		t.Errorf("the failing command:\n%s", s)
	}
	tm.keys("Escape") // apart from the q: esc then q at once reads as alt+q
	tm.wait("Verdict")
	tm.keys("q")
	tm.wait("exited 0")
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("sipdbg left %v in TMPDIR", entries)
	}
	// The debug log names the commands and their status, not their
	// output nor their command line (the Call-ID is the packets').
	b, err = os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, w := range []string{`command "keep the call": exit 0 in `, `command "fail on purpose": exit 3 in `} {
		if !strings.Contains(log, w) {
			t.Errorf("the debug log lacks %q:\n%s", w, log)
		}
	}
	for _, no := range []string{"kept ", "boom", want.CallID, pw} {
		if strings.Contains(log, no) {
			t.Errorf("the debug log holds %q:\n%s", no, log)
		}
	}
}

// TestCommandTempRemovedOnHangup: when the terminal goes away (SIGHUP:
// the window closed, the ssh session dropped) sipdbg quits as q would,
// and the commands' temporary pcaps go with it.
func TestCommandTempRemovedOnHangup(t *testing.T) {
	dir := t.TempDir()
	bin := buildForTmux(t, dir)
	capFile, err := filepath.Abs(filepath.Join("..", "..", "testdata", "captures", "media", "clean-call.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[[commands]]\nkey = \"w\"\nrun = \"ls -l {pcap}\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(dir, "pid")
	// The shell execs sipdbg after writing its own pid: that pid is sipdbg's.
	tm := startTmuxSized(t, "sh -c 'echo $$ > "+pidFile+"; SIPDBG_CONFIG="+cfg+" TMPDIR="+tmp+" exec "+bin+" "+capFile+"'; echo exited $?; sleep 30", 80, 24)
	tm.wait("Verdict")
	tm.keys("w")
	tm.wait("exit 0")
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Fatalf("the command's temporary directory: %v", entries)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	tm.wait("exited")
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("after SIGHUP sipdbg left %v in TMPDIR", entries)
	}
}
