package lab

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProbeFormInTmux is the live test as a user does it in a terminal:
// `sipdbg probe --server … --user bob` opens the form, the target and
// the password are typed, enter sends a REGISTER to Kamailio, the
// exchange is drawn with its findings, and the password is on no screen.
func TestProbeFormInTmux(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (kamailio, tmux) to run the live lab")
	}
	bin := buildSipdbg(t)
	startCaptureLabKamailio(t, 5482)
	sock := "sipdbg-form-" + filepath.Base(t.TempDir())
	tmux := func(args ...string) string {
		out, _ := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	tmux("new-session", "-d", "-s", "f", "-x", "140", "-y", "44", bin+" probe --server 127.0.0.1:5482 --user bob")
	wait := func(want string) string {
		t.Helper()
		var s string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if s = tmux("capture-pane", "-p", "-t", "f"); strings.Contains(s, want) {
				return s
			}
		}
		t.Fatalf("the screen never showed %q:\n%s", want, s)
		return ""
	}
	s := wait("Live credential test")
	if !strings.Contains(s, "127.0.0.1:5482") || !strings.Contains(s, "bob") {
		t.Errorf("the form is not filled from the flags:\n%s", s)
	}
	tmux("send-keys", "-t", "f", "Tab")
	tmux("send-keys", "-t", "f", "-l", "sip:bob@sipdbg.test")
	for range 6 { // server, transport, timeout, from, username, password
		tmux("send-keys", "-t", "f", "Tab")
	}
	tmux("send-keys", "-t", "f", "-l", "bobpw")
	if s := tmux("capture-pane", "-p", "-t", "f"); strings.Contains(s, "bobpw") {
		t.Errorf("the form shows the password:\n%s", s)
	}
	tmux("send-keys", "-t", "f", "Enter")
	s = wait("probe: ok")
	for _, want := range []string{"401 Unauthorized", "REGISTER +auth", "200 OK", "auth-accepted", "esc returns to live credential test"} {
		if !strings.Contains(s, want) {
			t.Errorf("the result screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "bobpw") {
		t.Errorf("the result shows the password:\n%s", s)
	}
	if !strings.Contains(s, "Probe ok: SIP/2.0 200 OK") {
		t.Errorf("the result does not head the exchange's screen:\n%s", s)
	}
	// One esc goes back, as the status line says.
	tmux("send-keys", "-t", "f", "Escape")
	wait("live credential test · 0 packets")
	tmux("send-keys", "-t", "f", "q")
}
