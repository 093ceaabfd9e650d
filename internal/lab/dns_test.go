package lab

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// Ports of the DNS lab (testdata/lab/dns/lab.test.conf names them):
// the Kamailio registrar, and a port where nothing listens that the SRV
// records list first. dnsmasq itself gets a free port.
const (
	dnsLabKamailio = 5790
	dnsLabDead     = 5791
)

// startDnsmasq serves testdata/lab/dns/lab.test.conf on 127.0.0.1 at a
// free port until the test ends, and returns host:port.
func startDnsmasq(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dnsmasq"); err != nil {
		t.Fatal("dnsmasq is not installed (apt-get install dnsmasq-base, as .ci/run does)")
	}
	port := freeUDPAndTCPPort(t)
	dir := t.TempDir()
	conf := filepath.Join(testenv.Root(t), "testdata", "lab", "dns", "lab.test.conf")
	cmd := exec.Command("dnsmasq", "--no-daemon", "--conf-file="+conf, "--no-resolv", "--no-hosts",
		"--port="+strconv.Itoa(port), "--listen-address=127.0.0.1", "--bind-interfaces",
		"--pid-file="+filepath.Join(dir, "pid"), "--log-queries", "--log-facility=-")
	log, _ := os.Create(filepath.Join(dir, "log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("dnsmasq: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "log"))
			t.Logf("dnsmasq log:\n%s", b)
		}
	})
	waitUDP(t, port)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// freeUDPAndTCPPort finds a port free on 127.0.0.1 for both UDP and TCP
// (dnsmasq binds both).
func freeUDPAndTCPPort(t *testing.T) int {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		l, err := net.Listen("tcp", addr)
		pc.Close()
		if err != nil {
			continue
		}
		l.Close()
		_, p, _ := net.SplitHostPort(addr)
		n, _ := strconv.Atoi(p)
		return n
	}
	t.Fatal("no free port for dnsmasq")
	return 0
}

// TestProbeDNS locates the lab's Kamailio through a real DNS server: the
// target sip:alice@lab.test, no --server, only --dns. NAPTR picks TCP,
// SRV lists a dead target first (the probe fails over to the next, RFC
// 3263 §4.3), then Kamailio answers the REGISTER with 401 and 200.
func TestProbeDNS(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, dnsmasq) to run the live lab")
	}
	dns := startDnsmasq(t)
	startKamailio(t, "dns", dnsLabKamailio, "WITH_TCP")
	bin := buildSipdbg(t)
	pw := []string{"PW=alicepw"}
	kam, dead := "127.0.0.1:"+strconv.Itoa(dnsLabKamailio), "127.0.0.1:"+strconv.Itoa(dnsLabDead)

	r := probe(t, bin, pw, "register", "sip:alice@lab.test", "--dns", dns, "--password-env", "PW", "--unregister")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"Server: tcp " + kam + " via naptr (NAPTR lab.test → SIP+D2T _sip._tcp.lab.test; SRV _sip._tcp.lab.test → dead.lab.test:5791 (prio 10 weight 0), kam.lab.test:5790 (prio 20 weight 0); A dead.lab.test → 127.0.0.1; A kam.lab.test → 127.0.0.1",
		"Tried: tcp " + dead + " (connection refused by " + dead + " (nothing listens there on tcp)), then tcp " + kam + " (answered)",
		"auth-accepted",
		"Result: ok (SIP/2.0 200 OK)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	// --transport given: its SRV alone, no NAPTR.
	r = probe(t, bin, pw, "register", "sip:alice@lab.test", "--dns", dns, "--transport", "udp", "--password-env", "PW", "--json")
	srv, _ := r.json["server"].(map[string]any)
	trace, _ := srv["trace"].([]any)
	if r.code != 0 || r.json["result"] != "ok" || srv["address"] != kam || srv["transport"] != "udp" || srv["via"] != "srv" ||
		len(trace) == 0 || trace[0] != "SRV _sip._udp.lab.test → kam.lab.test:5790 (prio 10 weight 0)" {
		t.Errorf("udp: exit %d %s, server %v", r.code, r.stderr, srv)
	}

	// A port given: A record only.
	r = probe(t, bin, pw, "register", "sip:alice@kam.lab.test:5790", "--dns", dns, "--password-env", "PW", "--json")
	srv, _ = r.json["server"].(map[string]any)
	if r.code != 0 || srv["address"] != kam || srv["via"] != "a" {
		t.Errorf("explicit port: exit %d %s, server %v", r.code, r.stderr, srv)
	}

	// A name the zone does not have: said in one line, exit 2.
	r = probe(t, bin, pw, "register", "sip:alice@nowhere.lab.test", "--dns", dns, "--password-env", "PW")
	if r.code != 2 || !strings.Contains(r.stderr, `DNS: no SRV or A record for "nowhere.lab.test"`) {
		t.Errorf("unknown name: exit %d %q", r.code, r.stderr)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, "alicepw") {
			t.Error("the password appears in the output")
		}
	}
}
