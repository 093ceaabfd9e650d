package main

import (
	"bytes"
	"crypto/tls"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/internal/testkit/tlstest"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

var tlsCli, tlsSrv = pcaptest.Addr("10.0.0.1:40001"), pcaptest.Addr("10.0.0.2:5061")

// digestRegister is a REGISTER challenged (401), sent again with its
// Authorization and accepted (RFC 3261 §22.2, RFC 8760).
func digestRegister() (req, resp [][]byte) {
	r1 := pcaptest.Request("REGISTER", "reg-tls", "z9hG4bK-1", 1, "")
	r2 := pcaptest.Request("REGISTER", "reg-tls", "z9hG4bK-2", 2, "")
	r2 = bytes.Replace(r2, []byte("\r\n\r\n"), []byte("\r\nAuthorization: Digest username=\"alice\", realm=\"edge.test\", nonce=\"n1\", uri=\"sip:bob@example.com\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5\r\n\r\n"), 1)
	c401 := pcaptest.Response(401, "Unauthorized", "REGISTER", "reg-tls", "z9hG4bK-1", 1, "t1")
	c401 = bytes.Replace(c401, []byte("\r\n\r\n"), []byte("\r\nWWW-Authenticate: Digest realm=\"edge.test\", nonce=\"n1\", algorithm=MD5\r\n\r\n"), 1)
	return [][]byte{r1, r2}, [][]byte{c401, pcaptest.Response(200, "OK", "REGISTER", "reg-tls", "z9hG4bK-2", 2, "t2")}
}

// tlsCapture writes an in-process TLS exchange of digestRegister as a
// pcap and its key log, and the same exchange over plain TCP.
func tlsCapture(t *testing.T, version, suite uint16) (pcap, keylog, plain string) {
	req, resp := digestRegister()
	s := tlstest.Exchange(t, version, suite, req, resp)
	dir := t.TempDir()
	pcap, keylog, plain = filepath.Join(dir, "tls.pcap"), filepath.Join(dir, "keys.log"), filepath.Join(dir, "tcp.pcap")
	var p tlstest.Session
	for i := range req {
		p.Events = append(p.Events, tlstest.Event{Side: 0, B: req[i]}, tlstest.Event{Side: 1, B: resp[i]})
	}
	for f, b := range map[string][]byte{pcap: tlstest.Pcap(s.Frames(tlsCli, tlsSrv, 1400)), keylog: s.Keylog,
		plain: tlstest.Pcap(p.Frames(tlsCli, pcaptest.Addr("10.0.0.2:5060"), 1400))} {
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pcap, keylog, plain
}

// TestReportKeylog: report reads --keylog, $SSLKEYLOGFILE and the
// configuration's keylog; without one the REGISTERs are not there; a
// missing file is one line naming it.
func TestReportKeylog(t *testing.T) {
	pcap, keylog, _ := tlsCapture(t, tls.VersionTLS13, 0)
	report := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append(append([]string{"report"}, args...), pcap), nil, &out, &errb)
		return code, out.String(), errb.String()
	}
	if _, out, _ := report(); strings.Contains(out, "REGISTER") {
		t.Errorf("decrypted without a key log:\n%s", out)
	}
	if code, out, errs := report("--keylog", keylog); code != exitOK || !strings.Contains(out, "REGISTER") {
		t.Errorf("--keylog: exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("SSLKEYLOGFILE", keylog)
	if _, out, _ := report(); !strings.Contains(out, "REGISTER") {
		t.Errorf("$SSLKEYLOGFILE: not decrypted\n%s", out)
	}
	t.Setenv("SSLKEYLOGFILE", "")
	writeConfig(t, "keylog = ["+strings.ReplaceAll(strconvQuote(keylog), `\`, `\\`)+"]\n")
	if _, out, errs := report(); !strings.Contains(out, "REGISTER") {
		t.Errorf("configuration keylog: not decrypted\n%s\n%s", out, errs)
	}
	missing := filepath.Join(t.TempDir(), "nope.log")
	code, _, errs := report("--keylog", missing)
	if code != exitUsage || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, missing) {
		t.Errorf("missing key log: exit %d, %q", code, errs)
	}
}

func strconvQuote(s string) string { return `"` + s + `"` }

func loadStore(t *testing.T, path string, keys *tlsrec.Keylog) *session.Store {
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.LoadConcurrentWith(r, s, pipeline.Options{Keylog: keys}); err != nil {
		t.Fatal(err)
	}
	return s
}

func codes(s *session.Store) []string {
	var out []string
	for _, c := range s.Calls() {
		for _, f := range analysis.Diagnose(s, c, analysis.Options{}) {
			out = append(out, string(f.Code))
		}
	}
	slices.Sort(out)
	return out
}

// TestTLSDiagnosesAsTCP: the exchange decrypted from TLS gives the
// findings the same exchange gives over plain TCP.
func TestTLSDiagnosesAsTCP(t *testing.T) {
	for _, v := range []struct{ version, suite uint16 }{{tls.VersionTLS13, 0}, {tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}} {
		pcap, keylog, plain := tlsCapture(t, v.version, v.suite)
		b, _ := os.ReadFile(keylog)
		k, _ := tlsrec.ParseKeylog(bytes.NewReader(b))
		st, sp := loadStore(t, pcap, k), loadStore(t, plain, nil)
		if len(st.Calls()) != 1 || len(sp.Calls()) != 1 {
			t.Fatalf("calls: TLS %d, TCP %d", len(st.Calls()), len(sp.Calls()))
		}
		if ct, cp := codes(st), codes(sp); !slices.Equal(ct, cp) {
			t.Errorf("version %x: TLS findings %v, TCP %v", v.version, ct, cp)
		}
	}
}

// TestTLSAgainstTshark: the SIP messages sipdbg decrypts are those tshark
// decrypts with the same key log (skipped without tshark).
func TestTLSAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed")
	}
	for _, v := range []struct{ version, suite uint16 }{{tls.VersionTLS13, 0}, {tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}, {tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}} {
		pcap, keylog, _ := tlsCapture(t, v.version, v.suite)
		out, err := exec.Command("tshark", "-n", "-r", pcap, "-o", "tls.keylog_file:"+keylog, "-d", "tcp.port==5061,tls",
			"-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "sip.Status-Code").Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		var theirs []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			theirs = append(theirs, strings.TrimSpace(l))
		}
		b, _ := os.ReadFile(keylog)
		k, _ := tlsrec.ParseKeylog(bytes.NewReader(b))
		s := loadStore(t, pcap, k)
		var ours []string
		for i := range s.Len() {
			m := s.Msg(i)
			if m.Transport != session.TLS {
				t.Errorf("message %d over %v", i, m.Transport)
			}
			if m.Status != 0 {
				ours = append(ours, strconv.Itoa(int(m.Status)))
			} else {
				ours = append(ours, m.Method())
			}
		}
		if !slices.Equal(ours, theirs) {
			t.Errorf("version %x suite %x: sipdbg %q, tshark %q", v.version, v.suite, ours, theirs)
		}
	}
}

// BenchmarkTLSLoad loads 500 INVITE/200 exchanges into a store (decoding,
// indexing, grouping) from a pcap, over TLS 1.3 with its key log and over
// plain TCP: decrypting should add at most 2× to the load time (issue 20;
// capture's BenchmarkTLSLoad measures the decoder alone, per suite).
func BenchmarkTLSLoad(b *testing.B) {
	var req, resp [][]byte
	for i := range 500 {
		id := "bench-" + strconv.Itoa(i)
		req = append(req, pcaptest.Request("INVITE", id, "z9hG4bK-"+id, 1, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"))
		resp = append(resp, pcaptest.Response(200, "OK", "INVITE", id, "z9hG4bK-"+id, 1, "t"))
	}
	var p tlstest.Session
	for i := range req {
		p.Events = append(p.Events, tlstest.Event{Side: 0, B: req[i]}, tlstest.Event{Side: 1, B: resp[i]})
	}
	dir := b.TempDir()
	type run struct {
		name string
		pcap []byte
		keys *tlsrec.Keylog
	}
	runs := []run{{"TCP", tlstest.Pcap(p.Frames(tlsCli, pcaptest.Addr("10.0.0.2:5060"), 1400)), nil}}
	for _, v := range []struct {
		name           string
		version, suite uint16
	}{{"TLS1.3", tls.VersionTLS13, 0},
		{"TLS1.2-AES128GCM", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{"TLS1.2-CHACHA20", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{"TLS1.2-AES128CBC-SHA", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}} {
		s := tlstest.Exchange(b, v.version, v.suite, req, resp)
		keys, _ := tlsrec.ParseKeylog(bytes.NewReader(s.Keylog))
		runs = append(runs, run{v.name, tlstest.Pcap(s.Frames(tlsCli, tlsSrv, 1400)), keys})
	}
	for _, c := range runs {
		path := filepath.Join(dir, c.name+".pcap")
		if err := os.WriteFile(path, c.pcap, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.pcap)))
			for b.Loop() {
				r, err := capture.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				st := session.NewStore()
				if err := pipeline.LoadConcurrentWith(r, st, pipeline.Options{Keylog: c.keys}); err != nil || st.Len() != 1000 {
					b.Fatalf("%d messages, %v", st.Len(), err)
				}
				r.Close()
			}
		})
	}
}
