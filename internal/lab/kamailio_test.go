package lab

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// startKamailio runs testdata/lab/auth/kamailio-auth-lab.cfg with the
// given defines on port until the test ends.
func startKamailio(t *testing.T, name string, port int, defines ...string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(testenv.Root(t), "testdata", "lab", "auth", "kamailio-auth-lab.cfg")
	args := []string{"-DD", "-E", "-f", cfg, "-A", "SIP_PORT=" + strconv.Itoa(port), "-P", filepath.Join(dir, "pid"),
		"-Y", dir, "-w", dir, "-m", "32", "-M", "8"}
	for _, d := range defines {
		args = append(args, "-A", d)
	}
	cmd := exec.Command("kamailio", args...)
	log, _ := os.Create(filepath.Join(dir, "log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("kamailio %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	})
	waitUDP(t, port)
}

// startUAS runs the probe lab's callee (testdata/lab/py/uas_ringing.py):
// it rings, and answers a CANCEL with 200 and the INVITE with 487, which
// the probe's INVITE must then see and ACK (RFC 3261 §9.1).
func startUAS(t *testing.T, port int, _ string) {
	t.Helper()
	script := filepath.Join(testenv.Root(t), "testdata", "lab", "py", "uas_ringing.py")
	cmd := exec.Command("python3", script, "127.0.0.1", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		t.Fatalf("uas_ringing.py: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitUDP(t, port)
}

// waitUDP waits until something is bound to the UDP port.
func waitUDP(t *testing.T, port int) {
	t.Helper()
	hex := strings.ToUpper(strconv.FormatInt(int64(port), 16))
	// Generous: on a loaded 2-core CI machine (every package's tests at
	// once, under -race) Kamailio's start has taken more than 5 s.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b := procNetUDP()
		if strings.Contains(string(b), ":"+strings.Repeat("0", 4-len(hex))+hex+" ") {
			return
		}
	}
	t.Fatalf("nothing listens on udp port %d", port)
}

// procNetUDP reads the UDP sockets of this thread's network namespace.
// Not /proc/net, which is the main thread's: the netns test's setns may
// leave the main thread wedged in a namespace of its own (the runtime
// parks, rather than ends, a main thread whose locked goroutine exited).
func procNetUDP() []byte {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b, _ := os.ReadFile("/proc/thread-self/net/udp")
	return b
}
