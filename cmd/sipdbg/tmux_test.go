package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// tmuxTerm is sipdbg built and run in a real terminal: a tmux session
// of its own, 160×48.
type tmuxTerm struct {
	t    *testing.T
	sock string
}

// buildForTmux skips without tmux (fails under SIPDBG_LAB=1, where it must
// run), builds the binary into dir and returns its path.
func buildForTmux(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("SIPDBG_LAB") == "1" {
			t.Fatal("tmux is required here (SIPDBG_LAB=1)")
		}
		t.Skip("tmux is not installed")
	}
	bin := filepath.Join(dir, "sipdbg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// tmuxSessions numbers the tmux servers of this test process: each has a
// socket of its own, so that one being killed never meets the next.
var tmuxSessions atomic.Int64

// startTmux runs the shell command in a new tmux session of 160×48.
func startTmux(t *testing.T, command string) *tmuxTerm {
	t.Helper()
	return startTmuxSized(t, command, 160, 48)
}

// startTmuxSized runs the shell command in a new tmux session of w×h.
func startTmuxSized(t *testing.T, command string, w, h int) *tmuxTerm {
	t.Helper()
	tm := &tmuxTerm{t: t, sock: fmt.Sprintf("sipdbg-test-%d-%d", os.Getpid(), tmuxSessions.Add(1))}
	t.Cleanup(func() { tm.run("kill-server") })
	if out, err := tm.run("new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), command); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	return tm
}

func (tm *tmuxTerm) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", tm.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (tm *tmuxTerm) keys(keys ...string) {
	tm.run(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

func (tm *tmuxTerm) screen() string { out, _ := tm.run("capture-pane", "-p", "-t", "e2e"); return out }

// wait returns the screen once it shows want, within 10 s.
func (tm *tmuxTerm) wait(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s := tm.screen(); strings.Contains(s, want) {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("the screen never showed %q; it shows:\n%s", want, tm.screen())
	return ""
}

// gone reports whether the session ended (the program quit) within 5 s.
func (tm *tmuxTerm) gone() bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := tm.run("has-session", "-t", "e2e"); err != nil {
			return true
		}
	}
	return false
}

// TestTUIInTmux runs the built binary in a real terminal (tmux), types
// the keys a user would, and reads the screen: open the demo, select the
// INVITE, step to the 407, read the explanation, quit.
func TestTUIInTmux(t *testing.T) {
	tm := startTmux(t, buildForTmux(t, t.TempDir())+" demo")
	s := tm.wait("4 calls")
	if !strings.Contains(s, "REGISTERED") || !strings.Contains(s, "INVITE") {
		t.Errorf("call list:\n%s", s)
	}
	tm.keys("G", "Enter")
	tm.wait("Analysis (tab: to the findings")
	tm.keys("j", "Tab")
	s = tm.wait("A 407 comes from a proxy in the path")
	if !strings.Contains(s, "407 Proxy Authentication Required") || !strings.Contains(s, "challenge") {
		t.Errorf("flow screen:\n%s", s)
	}
	tm.keys("q") // in a flow q goes back, as in sngrep: the list's header shows again
	if s := tm.wait("Destination"); strings.Contains(s, "Call flow for") {
		t.Errorf("q in a flow did not go back:\n%s", s)
	}
	tm.keys("Enter")
	tm.wait("Call flow for")
	tm.keys("Escape") // and so does esc
	if s := tm.wait("Destination"); strings.Contains(s, "Call flow for") {
		t.Errorf("esc in a flow did not go back:\n%s", s)
	}
	tm.keys("q")
	if !tm.gone() {
		t.Errorf("q did not quit; the screen shows:\n%s", tm.screen())
	}
}

// TestPasteInTmux pastes text traces as a terminal delivers them: tmux's
// paste-buffer -p wraps the text in bracketed-paste marks and turns every
// LF into CR (the traces' SIP messages were logged with CR LF, so those
// lines end in two CRs). Each opens with its calls over the demo, whose
// list esc brings back. The calls named are the ones the trace files hold.
func TestPasteInTmux(t *testing.T) {
	bin := buildForTmux(t, t.TempDir())
	for _, c := range []struct{ file, want string }{
		{"asterisk-pjsip.log", "sip:alice@sipdbg.test"},
		{"freeswitch-siptrace.log", "sip:alice@sipdbg.test"},
		{"sngrep-register-auth.txt", "sip:alice@sipdbg.test"},
	} {
		t.Run(c.file, func(t *testing.T) {
			tm := startTmux(t, bin+" demo")
			tm.wait("4 calls")
			tm.keys("P")
			tm.wait("Paste a SIP trace")
			if out, err := tm.run("load-buffer", filepath.Join("..", "..", "testdata", "traces", c.file)); err != nil {
				t.Fatalf("load-buffer: %v %s", err, out)
			}
			if out, err := tm.run("paste-buffer", "-p", "-t", "e2e"); err != nil {
				t.Fatalf("paste-buffer: %v %s", err, out)
			}
			s := tm.wait(" lines, ")
			if strings.Contains(s, "\n1 line,") {
				t.Fatalf("the paste is one line:\n%s", s)
			}
			tm.keys("C-s")
			s = tm.wait("pasted trace (")
			if !strings.Contains(s, c.want) {
				t.Errorf("the pasted trace's calls do not show %s:\n%s", c.want, s)
			}
			tm.keys("Escape")
			if s := tm.wait("4 calls"); strings.Contains(s, "pasted trace") {
				t.Errorf("esc did not bring the demo back:\n%s", s)
			}
		})
	}
}

// TestLiveCaptureInTmux captures on lo in a real terminal (root only)
// while a SIP message crosses it, and keeps it in the --write file.
func TestLiveCaptureInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs tmux and root")
	}
	bin := filepath.Join(t.TempDir(), "sipdbg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	keep := filepath.Join(t.TempDir(), "live.pcapng")
	sock := "sipdbg-live-" + filepath.Base(t.TempDir())
	tmux := func(args ...string) string {
		out, _ := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	tmux("new-session", "-d", "-s", "live", "-x", "160", "-y", "40", bin+" -i lo --write "+keep+" udp port 5696")
	time.Sleep(500 * time.Millisecond)
	msg := "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5695;branch=z9hG4bKtmux\r\nFrom: <sip:alice@x>;tag=1\r\nTo: <sip:bob@x>\r\nCall-ID: tmux-live\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
	for i := 0; i < 3; i++ {
		if c, err := net.Dial("udp", "127.0.0.1:5696"); err == nil {
			c.Write([]byte(msg))
			c.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	var screen string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if screen = tmux("capture-pane", "-p", "-t", "live"); strings.Contains(screen, "MESSAGE") {
			break
		}
	}
	if !strings.Contains(screen, "MESSAGE") || !strings.Contains(screen, "interface lo") || !strings.Contains(screen, "0 kernel drops") {
		t.Fatalf("the live message is not listed:\n%s", screen)
	}
	tmux("send-keys", "-t", "live", "q")
	time.Sleep(300 * time.Millisecond)
	out, err := exec.Command(bin, "report", keep).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3 SIP messages") {
		t.Errorf("the --write file: %v\n%s", err, out)
	}
}

// TestTUIShrunkCapture truncates the capture under the open interface
// and opens a call, whose messages then lie in pages the file no longer
// has: the interface ends with a one-line error naming the file, and the
// terminal is restored (the shell after it runs), where SIGBUS would
// kill it.
func TestTUIShrunkCapture(t *testing.T) {
	dir := t.TempDir()
	bin := buildForTmux(t, dir)
	pcap, _, err := gen.File(dir, gen.Config{Seed: 6, Messages: 4000})
	if err != nil {
		t.Fatal(err)
	}
	errs := filepath.Join(dir, "stderr")
	tm := startTmux(t, bin+" "+pcap+" 2>"+errs+"; echo exited $?; sleep 30")
	tm.wait(" calls")
	if err := os.Truncate(pcap, 24); err != nil {
		t.Fatal(err)
	}
	// The last call: its messages lie past the first page, which the
	// file still has part of (the rest of a partial page reads as zeros).
	tm.keys("G", "Enter")
	tm.wait("exited 1")
	stderr, _ := os.ReadFile(errs)
	if !strings.Contains(string(stderr), pcap+": the capture file shrank while it was being read") {
		t.Errorf("stderr:\n%s", stderr)
	}
}
