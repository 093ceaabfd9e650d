package lab

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// Ports of the probe's lab, apart from the capture lab's.
const (
	probeEdge = 5290
	probeCore = 5291
	probeUAS  = 5297
)

type probeRun struct {
	code           int
	stdout, stderr string
	json           map[string]any
}

func buildSipdbg(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sipdbg")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/sipdbg")
	cmd.Dir = testenv.Root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func probe(t *testing.T, bin string, env []string, args ...string) probeRun {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"probe"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := probeRun{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(args, " "), "--json") && r.code != 64 {
		if err := json.Unmarshal(out.Bytes(), &r.json); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
	}
	return r
}

// TestProbeAgainstKamailio sends test requests to a real Kamailio edge
// proxy/registrar (401 for REGISTER, 407 for INVITE) in front of a second
// Kamailio (401, realm core.sipdbg.test) and a SIPp UAS.
func TestProbeAgainstKamailio(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp) to run the live lab")
	}
	uas := `UAS_URI="sip:127.0.0.1:5297"`
	startKamailio(t, "edge", probeEdge, "WITH_TCP", uas, `CORE_URI="sip:127.0.0.1:5291"`)
	startKamailio(t, "core", probeCore, "IS_CORE", uas)
	startUAS(t, probeUAS, "127.0.0.1:5290")
	bin := buildSipdbg(t)
	edge := "127.0.0.1:5290"
	creds := filepath.Join(t.TempDir(), "creds")
	os.WriteFile(creds, []byte("sipdbg.test alice alicepw\ncore.sipdbg.test alice corepw\n"), 0o600)
	pw := []string{"PW=alicepw"}
	cases := []struct {
		name     string
		env      []string
		args     []string
		code     int
		result   string
		contains []string
	}{
		{"register ok", pw, []string{"register", "sip:alice@sipdbg.test", "--server", edge, "--password-env", "PW", "--json", "--unregister"}, 0, "ok", []string{"auth-accepted"}},
		{"register over tcp", pw, []string{"register", "sip:alice@sipdbg.test", "--server", edge, "--transport", "tcp", "--password-env", "PW", "--json"}, 0, "ok", []string{`"transport":"tcp"`, "auth-accepted"}},
		{"wrong password", []string{"PW=wrong"}, []string{"register", "sip:alice@sipdbg.test", "--server", edge, "--password-env", "PW", "--json"}, 1, "rejected", []string{"credentials-rejected"}},
		{"unknown user", pw, []string{"register", "sip:mallory@sipdbg.test", "--server", edge, "--password-env", "PW", "--json"}, 1, "rejected", []string{"credentials-rejected"}},
		{"two realms", nil, []string{"invite", "sip:bob@core.sipdbg.test", "--from", "sip:alice@sipdbg.test", "--server", edge, "--credentials", creds, "--json"}, 0, "ok", []string{"multiple-realms", "challenge-407", "challenge-401", "487 Request Terminated"}},
		{"invite answered", pw, []string{"invite", "sip:bob@sipdbg.test", "--from", "sip:alice@sipdbg.test", "--server", edge, "--password-env", "PW", "--json"}, 0, "ok", []string{"challenge-407", "auth-accepted", "487 Request Terminated"}},
		{"second realm refuses the first realm's password", pw, []string{"invite", "sip:bob@core.sipdbg.test", "--from", "sip:alice@sipdbg.test", "--server", edge, "--password-env", "PW", "--json"}, 1, "rejected", []string{"multiple-realms", "credentials-rejected"}},
		{"absent credentials file", pw, []string{"invite", "sip:bob@core.sipdbg.test", "--from", "sip:alice@sipdbg.test", "--server", edge, "--credentials", creds + ".absent"}, 64, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := probe(t, bin, c.env, c.args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, c.code, r.stdout, r.stderr)
			}
			if c.result != "" && r.json["result"] != c.result {
				t.Errorf("result %v, want %s", r.json["result"], c.result)
			}
			for _, s := range c.contains {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("output lacks %s:\n%s", s, r.stdout)
				}
			}
			// A cancelled INVITE waits for its 487 and ACKs it (RFC 3261
			// §9.1, §17.1.1.3): the ACK of the 407 and that of the 487.
			if strings.Contains(r.stdout, "487 Request Terminated") && strings.Count(r.stdout, `"first_line":"ACK `) < 2 {
				t.Errorf("the 487 was not ACKed:\n%s", r.stdout)
			}
			for _, secret := range []string{"alicepw", "corepw"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Errorf("the password %q appears in the output", secret)
				}
			}
		})
	}
}

// TestProbeSave checks the saved exchange opens like any capture and
// holds no password (only the digest hash of it).
func TestProbeSave(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 to run the live lab")
	}
	startKamailio(t, "edge", probeEdge)
	bin := buildSipdbg(t)
	saved := filepath.Join(t.TempDir(), "probe.pcap")
	r := probe(t, bin, []string{"PW=alicepw"}, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5290", "--password-env", "PW", "--save", saved)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(saved)
	if err != nil || bytes.Contains(b, []byte("alicepw")) || !bytes.Contains(b, []byte("Authorization: Digest")) {
		t.Fatalf("saved capture: %v, %d bytes", err, len(b))
	}
	out, err := exec.Command(bin, "report", saved).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "4 SIP messages") || !strings.Contains(string(out), "auth-accepted") {
		t.Errorf("report of the saved capture: %v\n%s", err, out)
	}
}

func TestProbeNetworkFailures(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 to run the live lab")
	}
	bin := buildSipdbg(t)
	pw := []string{"PW=x"}
	r := probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5299", "--password-env", "PW", "--timeout", "3s")
	if r.code != 2 || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("nothing listening: exit %d, %q", r.code, r.stderr)
	}
	r = probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5299", "--transport", "tcp", "--password-env", "PW", "--timeout", "3s")
	if r.code != 2 || !strings.Contains(r.stderr, "refused") {
		t.Errorf("nothing listening on tcp: exit %d, %q", r.code, r.stderr)
	}
	silent, err := net.ListenPacket("udp", "127.0.0.1:5298") // reads, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	start := time.Now()
	r = probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5298", "--password-env", "PW", "--timeout", "2s")
	if r.code != 2 || !strings.Contains(r.stderr, "timeout") || time.Since(start) > 6*time.Second {
		t.Errorf("silent server: exit %d after %s, %q", r.code, time.Since(start), r.stderr)
	}
	r = probe(t, bin, pw, "options", "sip:x@nonexistent.invalid", "--password-env", "PW", "--timeout", "2s")
	if r.code != 2 || !strings.Contains(r.stderr, "DNS") {
		t.Errorf("unknown host: exit %d, %q", r.code, r.stderr)
	}
}

// TestProbeTLSAndWebSocket registers with the capture lab's Kamailio over
// TLS (its tls module, a certificate made here) and over WebSocket.
func TestProbeTLSAndWebSocket(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, kamailio-tls-modules) to run the live lab")
	}
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
		"-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=sipdbg.test", "-addext", "subjectAltName=DNS:sipdbg.test").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v %s", err, out)
	}
	startCaptureLabKamailio(t, 5890, "WITH_TLS", "TLS_PORT=5891", `TLS_CERT="`+cert+`"`, `TLS_KEY="`+key+`"`)
	bin := buildSipdbg(t)
	pw := []string{"PW=alicepw"}
	r := probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5891", "--transport", "tls", "--ca", cert, "--password-env", "PW", "--json")
	if r.code != 0 || r.json["result"] != "ok" {
		t.Errorf("TLS with the CA: exit %d %s", r.code, r.stderr)
	}
	r = probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:5891", "--transport", "tls", "--password-env", "PW")
	if r.code != 2 || !strings.Contains(r.stderr, "TLS: the server's certificate is signed by an unknown authority") {
		t.Errorf("TLS without the CA: exit %d %q", r.code, r.stderr)
	}
	r = probe(t, bin, pw, "register", "sip:alice@sipdbg.test", "--server", "127.0.0.1:8890", "--transport", "ws", "--password-env", "PW", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"transport":"ws"`) {
		t.Errorf("WebSocket: exit %d %s\n%.300s", r.code, r.stderr, r.stdout)
	}
}
