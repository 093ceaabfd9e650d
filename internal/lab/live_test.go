package lab

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// startCaptureLabKamailio runs the capture lab's registrar
// (testdata/lab/kamailio-auth.cfg) with extra defines.
func startCaptureLabKamailio(t *testing.T, port int, defines ...string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(testenv.Root(t), "testdata", "lab", "kamailio-auth.cfg")
	args := []string{"-DD", "-E", "-f", cfg, "-A", "SIP_PORT=" + strconv.Itoa(port), "-A", "WS_PORT=" + strconv.Itoa(port+3000),
		"-P", filepath.Join(dir, "pid"), "-Y", dir, "-w", dir, "-m", "32", "-M", "8"}
	for _, d := range defines {
		args = append(args, "-A", d)
	}
	cmd := exec.Command("kamailio", args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	waitUDP(t, port)
}

// TestHEPFromKamailioSiptrace: Kamailio's siptrace mirrors every message
// it handles as HEPv3 to `sipdbg capture --hep`; each shows up with the
// addresses Kamailio saw.
func TestHEPFromKamailioSiptrace(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio) to run the live lab")
	}
	bin := buildSipdbg(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	capture := exec.CommandContext(ctx, bin, "capture", "--hep", "127.0.0.1:9460", "--duration", "4s", "--report")
	var out bytes.Buffer
	capture.Stdout, capture.Stderr = &out, &out
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	waitUDP(t, 9460)
	startCaptureLabKamailio(t, 5490, "WITH_HEP", `HEP_URI="sip:127.0.0.1:9460"`)
	r := probe(t, bin, []string{"PW=bobpw"}, "register", "sip:bob@sipdbg.test", "--server", "127.0.0.1:5490", "--password-env", "PW")
	if r.code != 0 {
		t.Fatalf("probe: exit %d %s", r.code, r.stderr)
	}
	if err := capture.Wait(); err != nil {
		t.Fatalf("capture: %v\n%s", err, out.String())
	}
	s := out.String()
	if !strings.Contains(s, "Totals: 4 packets, 4 SIP messages") || strings.Count(s, "127.0.0.1:5490") < 4 || !strings.Contains(s, "auth-accepted") ||
		strings.Count(s, "[HEP agent 2001]") != 4 { // hep_capture_id in kamailio-auth.cfg
		t.Errorf("HEP capture of the REGISTER exchange:\n%s", s)
	}
}

// TestLiveCaptureSoak drives SIPp at 1,500 OPTIONS a second (3,000 SIP
// messages a second) through Kamailio on loopback while `sipdbg capture
// -i lo --memory 64MiB` captures them: every message sent is counted,
// none is dropped by the kernel, old calls are dropped from memory to
// stay within the budget, and the peak memory stays under it (bounded:
// about 30 s).
func TestLiveCaptureSoak(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" || os.Geteuid() != 0 {
		t.Skip("set SIPDBG_LAB=1 and run as root for the soak test")
	}
	bin := buildSipdbg(t)
	startCaptureLabKamailio(t, 5590)
	keep := filepath.Join(t.TempDir(), "soak.pcapng")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	capture := exec.CommandContext(ctx, bin, "capture", "-i", "lo", "--duration", "12s", "--memory", "64MiB", "--write", keep, "udp port 5590")
	var out bytes.Buffer
	capture.Stdout, capture.Stderr = &out, &out
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	// 15,000 OPTIONS at 1500/s for 10 s, answered by Kamailio itself:
	// 45,000 messages, about 33 MB for the session to hold.
	sipp := exec.CommandContext(ctx, "sipp", "127.0.0.1:5590", "-sn", "uac", "-m", "15000", "-r", "1500", "-i", "127.0.0.1",
		"-p", "5591", "-mp", "16600", "-cp", "8599", "-nostdin", "-s", "sipdbg.test", "-timeout", "20s")
	sipp.Dir = t.TempDir()
	if b, err := sipp.CombinedOutput(); err != nil && !strings.Contains(string(b), "Successful call") {
		t.Logf("sipp: %v", err)
	}
	if err := capture.Wait(); err != nil {
		t.Fatalf("capture: %v\n%s", err, out.String())
	}
	report, err := exec.Command(bin, "report", "--json", keep).Output()
	if err != nil {
		t.Fatal(err)
	}
	tshark, err := exec.Command("tshark", "-r", keep, "-Y", "sip", "-T", "fields", "-e", "frame.number").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Count(string(tshark), "\n")
	t.Logf("tshark counts %d SIP messages in the --write file; sipdbg: %s", want, strings.TrimSpace(out.String()))
	if want < 15000 || !bytes.Contains(report, []byte(`"sip_messages":`+strconv.Itoa(want)+`,`)) {
		t.Errorf("captured: %s; tshark counts %d SIP messages in the same file", firstLine(report), want)
	}
	if !strings.Contains(out.String(), strconv.Itoa(want)+" SIP messages") || !strings.Contains(out.String(), "Kernel drops: 0") {
		t.Errorf("the live session counted %q, the file holds %d", strings.TrimSpace(out.String()), want)
	}
	m := regexp.MustCompile(`Memory: peak (\d+) MiB \(budget 64MiB\); (\d+) old calls`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no calls were dropped from memory within the budget:\n%s", out.String())
	}
	if peak, _ := strconv.Atoi(m[1]); peak > 64 {
		t.Errorf("peak memory %d MiB over the 64 MiB budget", peak)
	}
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// TestHEPPasswordFromKamailio: Kamailio's siptrace signs its HEPv3 with
// an auth key; `sipdbg capture --hep-password-env` shows what carries the
// right key and refuses (and counts) what carries another.
func TestHEPPasswordFromKamailio(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio) to run the live lab")
	}
	bin := buildSipdbg(t)
	for i, c := range []struct {
		key, want string
	}{
		{"hep-key-1", "Totals: 4 packets, 4 SIP messages"},
		{"another-key", "HEP packets refused (wrong or no password): 4"},
	} {
		hepPort, sipPort := 9461+i, 5491+i
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		capture := exec.CommandContext(ctx, bin, "capture", "--hep", "127.0.0.1:"+strconv.Itoa(hepPort), "--hep-password-env", "HEP_PW", "--duration", "4s")
		capture.Env = append(os.Environ(), "HEP_PW="+c.key)
		var out bytes.Buffer
		capture.Stdout, capture.Stderr = &out, &out
		if err := capture.Start(); err != nil {
			t.Fatal(err)
		}
		waitUDP(t, hepPort)
		startCaptureLabKamailio(t, sipPort, "WITH_HEP", `HEP_URI="sip:127.0.0.1:`+strconv.Itoa(hepPort)+`"`, `HEP_AUTH="hep-key-1"`)
		if r := probe(t, bin, []string{"PW=bobpw"}, "register", "sip:bob@sipdbg.test", "--server", "127.0.0.1:"+strconv.Itoa(sipPort), "--password-env", "PW"); r.code != 0 {
			t.Fatalf("probe: exit %d %s", r.code, r.stderr)
		}
		err := capture.Wait()
		cancel()
		if err != nil || !strings.Contains(out.String(), c.want) || strings.Contains(out.String(), c.key) {
			t.Errorf("with key %q: %v\n%s", c.key, err, out.String())
		}
	}
}
