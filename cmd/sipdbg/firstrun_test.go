package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// readmeCommands returns the two commands of the README's set-up block.
func readmeCommands(t *testing.T) (demo, tests string) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Set-up.*?```sh\n(.*?)\n(.*?)\n```").FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("README.md has no set-up block with two commands")
	}
	strip := func(s string) string { return strings.TrimSpace(strings.SplitN(s, "#", 2)[0]) }
	return strip(m[1]), strip(m[2])
}

// TestREADMEQuickStart clones the repository as a newcomer would, runs the
// README's first command in a real terminal and sees the demo's calls;
// and checks that the README's test command is the one CI runs.
func TestREADMEQuickStart(t *testing.T) {
	demo, tests := readmeCommands(t)
	if demo != "go run ./cmd/sipdbg demo" || tests != "go test -race ./..." {
		t.Fatalf("README set-up commands: %q, %q", demo, tests)
	}
	ci, err := os.ReadFile(filepath.Join(testenv.Root(t), ".ci", "run"))
	if err != nil || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(tests)+`$`).Match(ci) {
		t.Errorf(".ci/run does not run the README's test command %q", tests)
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	clone := filepath.Join(t.TempDir(), "sipdbg")
	if out, err := exec.Command("git", "clone", "-q", testenv.Root(t), clone).CombinedOutput(); err != nil {
		t.Skipf("cannot clone the working tree (%v): %s", err, out)
	}
	sock := "sipdbg-first-" + filepath.Base(t.TempDir())
	tmux := func(args ...string) string {
		out, _ := exec.Command("tmux", append([]string{"-L", sock}, args...)...).CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	// The pane outlives the command, so that a failure (a build error)
	// is on the screen the test prints. A loaded CI machine compiles the
	// fresh clone slowly: up to 3 minutes.
	tmux("new-session", "-d", "-s", "first", "-x", "160", "-y", "48", "-c", clone, demo+"; echo exit status $?; sleep 60")
	var screen string
	for deadline := time.Now().Add(180 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if screen = tmux("capture-pane", "-p", "-t", "first"); strings.Contains(screen, "4 calls") || strings.Contains(screen, "exit status") {
			break
		}
	}
	if !strings.Contains(screen, "4 calls") || !strings.Contains(screen, "AUTH FAILED") {
		t.Fatalf("the demo's call list did not appear:\n%s", screen)
	}
	tmux("send-keys", "-t", "first", "q")
}
