package lab

import (
	"encoding/binary"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hep3 builds a HEP3 packet carrying msg from 10.9.0.1:5060 to
// 10.9.0.2:5060 (HEP3 rev 12: generic chunks 1–4, 7–12, 15).
func hep3(msg []byte, at time.Time, key string) []byte {
	var b []byte
	chunk := func(typ uint16, v []byte) {
		h := make([]byte, 6)
		binary.BigEndian.PutUint16(h[2:], typ)
		binary.BigEndian.PutUint16(h[4:], uint16(6+len(v)))
		b = append(append(b, h...), v...)
	}
	u16 := func(n uint16) []byte { return binary.BigEndian.AppendUint16(nil, n) }
	u32 := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	chunk(1, []byte{2})  // IPv4
	chunk(2, []byte{17}) // UDP
	chunk(3, []byte{10, 9, 0, 1})
	chunk(4, []byte{10, 9, 0, 2})
	chunk(7, u16(5060))
	chunk(8, u16(5060))
	chunk(9, u32(uint32(at.Unix())))
	chunk(10, u32(uint32(at.Nanosecond()/1000)))
	chunk(11, []byte{1}) // SIP
	chunk(12, u32(7))
	chunk(14, []byte(key)) // the agents' password (heplify -hp)
	chunk(15, msg)
	out := append([]byte("HEP3"), u16(uint16(6+len(b)))...)
	return append(out, b...)
}

// TestHEPFloodStaysInBudget floods `sipdbg capture --hep` in a network
// namespace of its own, over UDP as fast as a socket sends and with 300
// idle TCP connections, for 8 s: it must not crash or hang, and its peak
// resident memory must stay within --memory. The agents' password (given
// by variable, never by flag) appears neither in its output nor in the
// --write file, which only its owner reads.
func TestHEPFloodStaysInBudget(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root) to run the live lab")
	}
	bin := buildSipdbg(t)
	ns := "sdbg-flood-" + strconv.Itoa(os.Getpid())
	exec.Command("ip", "netns", "del", ns).Run()
	ipCmd(t, "netns", "add", ns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	ipCmd(t, "-n", ns, "link", "set", "lo", "up")
	const budget = 96 << 20
	const key = "flood-hep-secret"
	written := filepath.Join(t.TempDir(), "flood.pcapng")
	cmd := exec.Command("ip", "netns", "exec", ns, bin, "capture", "--hep", "127.0.0.1:9060", "--hep-password-env", "HEPKEY",
		"--memory", "96MiB", "--duration", "8s", "--write", written, "--write-limit", "20")
	cmd.Env = append(os.Environ(), "HEPKEY="+key)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the listener binds
	sent := 0
	err := inNetns(ns, func() error {
		var idle []net.Conn
		defer func() {
			for _, c := range idle {
				c.Close()
			}
		}()
		for range 300 {
			c, err := net.Dial("tcp", "127.0.0.1:9060")
			if err != nil {
				break // refused past the cap, or the backlog: either is fine
			}
			idle = append(idle, c)
		}
		u, err := net.Dial("udp", "127.0.0.1:9060")
		if err != nil {
			return err
		}
		defer u.Close()
		end := time.Now().Add(6 * time.Second)
		for i := 0; time.Now().Before(end); i++ {
			msg := "OPTIONS sip:x@10.9.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1;branch=z9hG4bK" + strconv.Itoa(i) +
				"\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x@x>\r\nCall-ID: flood-" + strconv.Itoa(i) + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
			u.Write(hep3([]byte(msg), time.Now(), key))
			sent++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sipdbg capture: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("sipdbg capture did not end after its --duration:\n%s", out.String())
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	t.Logf("%d HEP datagrams sent; peak RSS %d MiB of a %d MiB budget; %s", sent, peak>>20, budget>>20, strings.TrimSpace(out.String()))
	if peak > budget {
		t.Errorf("peak RSS %d MiB past the %d MiB budget", peak>>20, budget>>20)
	}
	if strings.Contains(out.String(), key) {
		t.Error("the HEP password appears in the output")
	}
	files, _ := filepath.Glob(strings.TrimSuffix(written, ".pcapng") + "*")
	if len(files) == 0 {
		t.Fatal("no --write file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), key) {
			t.Errorf("%s holds the HEP password", f)
		}
		if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is mode %v", f, st.Mode().Perm())
		}
	}
	// What was sent and not shown was dropped, and the totals say so.
	var got, drops int
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "Totals:" {
			got, _ = strconv.Atoi(f[1])
		}
		if f := strings.Fields(l); len(f) > 2 && f[0] == "Kernel" && f[1] == "drops:" {
			drops, _ = strconv.Atoi(f[2])
		}
	}
	if got == 0 || got+drops < sent*9/10 {
		t.Errorf("%d datagrams sent, %d read, %d drops counted: the totals do not account for the flood", sent, got, drops)
	}
}
