package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDebugLogInTmux runs the interface in a real terminal with
// SIPDBG_DEBUG set and a password given twice, by --password-env for the
// capture's analysis and typed in the live test form for a probe that is
// challenged and answers: the log has the session's key events, and
// neither the password nor its HA1 anywhere.
func TestDebugLogInTmux(t *testing.T) {
	const pw = "debug-log-secret"
	dir := t.TempDir()
	bin := buildForTmux(t, dir)
	logFile := filepath.Join(dir, "debug.log")
	port := challenger(t)
	t.Setenv("SIPDBG_DEBUG_PW", pw) // the tmux server inherits it
	tm := startTmux(t, "SIPDBG_DEBUG="+logFile+" "+bin+" --user alice --password-env SIPDBG_DEBUG_PW "+fixturePath(t, "sll2-register-auth.pcap"))
	tm.wait("Destination")
	tm.keys("T")
	tm.wait("Target URI")
	tm.keys("Tab", "sip:alice@t.test", "Tab", "127.0.0.1:"+strconv.Itoa(int(port)))
	tm.keys("Tab", "Tab", "Tab", "Tab", "Tab", pw, "Enter")
	tm.wait("Probe ok")
	tm.keys("Escape")
	tm.wait("Destination")
	tm.keys("q")
	if !tm.gone() {
		t.Fatalf("q did not quit; the screen shows:\n%s", tm.screen())
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	for _, want := range []string{
		"start: sipdbg ", "source opened: file", "load done in ", " SIP messages",
		"screen: Call list → Live test form", "probe started: REGISTER sip:alice@t.test", "probe ended in ", ": ok (final 200)", "end: exit 0",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if st, err := os.Stat(logFile); err == nil && st.Mode().Perm() != 0o600 {
		t.Errorf("the log's mode is %v, not 0600", st.Mode().Perm())
	}
	for _, secret := range append([]string{pw}, append(ha1s("alice", "t.test", pw), ha1s("alice", "sipdbg.test", pw)...)...) {
		if strings.Contains(strings.ToLower(log), strings.ToLower(secret)) {
			t.Errorf("the log holds the secret %q:\n%s", secret, log)
		}
	}
	if strings.Contains(log, "Authorization") || strings.Contains(log, "Digest") {
		t.Errorf("the log holds a SIP message:\n%s", log)
	}
}
