package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

func sipdbg(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func fixturePath(t *testing.T, name string) string {
	return filepath.Join(testenv.Root(t), "testdata", "captures", name)
}

func TestReportText(t *testing.T) {
	code, out, errs := sipdbg(t, nil, "report", fixturePath(t, "sll2-register-auth.pcap"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"Call 1  REGISTER  REGISTERED  ",
		"Call 2  INVITE  COMPLETED  ",
		"127.0.0.1:5090        → 127.0.0.1:5092        udp  SIP/2.0 407 Proxy Authentication Required",
		"Totals: 20 packets, 20 SIP messages (0 retransmissions), 2 calls, 0 undecodable",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// --summary: per finding, the calls that have it and the first one.
func TestReportSummary(t *testing.T) {
	code, out, errs := sipdbg(t, nil, "report", "--summary", fixturePath(t, "sll2-register-auth.pcap"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"Findings (calls with each, of 2)",
		"challenge-407                  1 calls   50.0%  first: call 2  ",
		"Calls by state\n  COMPLETED             1\n  REGISTERED            1\n",
		"Totals: 20 packets, 20 SIP messages (0 retransmissions), 2 calls, 0 undecodable",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Call 1 ") {
		t.Errorf("summary lists the calls:\n%s", out)
	}
	code, timed, errs := sipdbg(t, nil, "report", "--summary", "--timings", fixturePath(t, "sll2-register-auth.pcap"))
	if code != 0 || timed != out || !regexp.MustCompile(`^sipdbg: timings: load [0-9.]+ s, report [0-9.]+ s \([0-9]+% of the load\)\n$`).MatchString(errs) {
		t.Errorf("--timings: exit %d, stderr %q, same output %v", code, errs, timed == out)
	}
}

type jsonDoc struct {
	Source struct {
		Files []string `json:"files"`
	} `json:"source"`
	Stats struct {
		Packets, SIPMessages, Retransmissions, Calls, Undecodable int
	} `json:"stats"`
	Calls []struct {
		CallID, Method, From, To, State, Start string
		Messages                               []struct {
			Index                     int
			Time, Src, Dst, Transport string
			FirstLine                 string `json:"first_line"`
			Retransmission            bool
		}
		Findings []struct {
			Code, Severity, Summary, Explanation, RFC string
			Messages                                  []int
		}
	} `json:"calls"`
	Undecodable []struct {
		Packet int
		Reason string
	} `json:"undecodable"`
}

func TestReportJSON(t *testing.T) {
	path := fixturePath(t, "sll2-register-auth.pcap")
	code, out, _ := sipdbg(t, nil, "report", path, "--json") // the flag may follow the file
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r jsonDoc
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(r.Source.Files) != 1 || r.Source.Files[0] != path || len(r.Calls) != 2 || r.Calls[1].Method != "INVITE" {
		t.Fatalf("report %+v", r)
	}
	if !strings.Contains(out, `"sip_messages":20`) || !strings.Contains(out, `"undecodable":[]`) {
		t.Errorf("JSON lacks the documented fields:\n%.400s", out)
	}
	var codes []string
	for _, f := range r.Calls[1].Findings {
		codes = append(codes, f.Code)
		if f.Summary == "" || f.Explanation == "" || !strings.HasPrefix(f.RFC, "RFC ") || len(f.Messages) == 0 || f.Severity == "" {
			t.Errorf("finding %+v lacks a field", f)
		}
	}
	if got := strings.Join(codes, " "); !strings.Contains(got, "challenge-407") || !strings.Contains(got, "auth-accepted") {
		t.Errorf("findings of the INVITE: %s", got)
	}
	m := r.Calls[1].Messages[1]
	if m.FirstLine != "SIP/2.0 407 Proxy Authentication Required" || m.Src != "127.0.0.1:5090" || m.Transport != "udp" ||
		!strings.HasPrefix(m.Time, "2026-") || !strings.Contains(m.Time, ".") || m.Index != 5 {
		t.Errorf("message %+v", m)
	}
}

func TestReportStdinAndGzip(t *testing.T) {
	data, err := os.ReadFile(fixturePath(t, "ws-masked.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	code, out, errs := sipdbg(t, gz.Bytes(), "report", "-")
	if code != 0 || !strings.Contains(out, "4 SIP messages") || !strings.Contains(out, " ws   REGISTER") {
		t.Errorf("exit %d stderr %q\n%s", code, errs, out)
	}
}

func TestReportTruncatedWarnsAndReports(t *testing.T) {
	data, err := os.ReadFile(fixturePath(t, "sll2-register-auth.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.pcap")
	os.WriteFile(path, data[:len(data)-100], 0o644)
	code, out, errs := sipdbg(t, nil, "report", path)
	if code != 0 || !strings.Contains(out, "19 SIP messages") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if !strings.Contains(errs, "warning") || !strings.Contains(errs, "cut.pcap") || !strings.Contains(errs, "frame 20") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr %q", errs)
	}
}

func TestReportErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a capture at all"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"report", filepath.Join(dir, "missing.pcap")}, "missing.pcap: no such file or directory"},
		{[]string{"report", text}, `notes.txt: text starting "not a capture at all", not a capture nor a SIP trace; sipdbg reads pcap, pcapng`},
		{[]string{"report", dir}, "is a directory; sipdbg reads pcap, pcapng and NetMon 2 captures (gzipped too) and text SIP traces"},
		{[]string{"report"}, "needs exactly one capture file"},
		{[]string{"report", "a", "b"}, "needs exactly one capture file"},
		{[]string{"report", "--bogus", "x"}, "flag provided but not defined"},
		{[]string{"report", "--summary", "--explain", "x"}, "--summary and --explain do not go together"},
		{[]string{"nonsense"}, "the interactive view needs a terminal; for a report use: sipdbg report nonsense"},
	}
	for _, c := range cases {
		code, out, errs := sipdbg(t, nil, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errs)
		}
	}
}

func TestDemoRunsOnTheBuiltInCapture(t *testing.T) {
	code, out, errs := sipdbg(t, nil, "demo")
	if code != 0 || errs != "" || !strings.Contains(out, "407 Proxy Authentication Required") || !strings.Contains(out, "401 Unauthorized") {
		t.Errorf("exit %d stderr %q\n%s", code, errs, out)
	}
}

func TestUsageVersionAndSngrepOptions(t *testing.T) {
	code, _, errs := sipdbg(t, nil)
	if code != exitUsage || !strings.Contains(errs, "Usage:") || !strings.Contains(errs, "sipdbg probe") || !strings.Contains(errs, "-i IFACE") {
		t.Errorf("no arguments: exit %d\n%s", code, errs)
	}
	code, out, _ := sipdbg(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(out, "sipdbg ") || !strings.Contains(out, "go1.") {
		t.Errorf("--version: %q", out)
	}
	code, out, _ = sipdbg(t, nil, "--help")
	if code != 0 || !strings.Contains(out, "sipdbg report") {
		t.Errorf("--help: %q", out)
	}
	code, out, errs = sipdbg(t, nil, "-N", "-I", fixturePath(t, "sll2-register-auth.pcap"))
	if code != 0 || out != "Dialog count: 2\n" {
		t.Errorf("-N -I: exit %d %q %q", code, out, errs)
	}
	code, out, errs = sipdbg(t, nil, "report", "--help")
	if code != exitOK || errs != "" || !strings.Contains(out, "--credentials FILE") {
		t.Errorf("report --help: exit %d %q %q", code, out, errs)
	}
}

// TestTextTracesReadLikeTheCapture: the PBX/proxy log formats of one
// exchange give the calls, messages and findings of its pcap.
func TestTextTracesReadLikeTheCapture(t *testing.T) {
	codes := func(out string) string {
		var c []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 2 && (f[0] == "i" || f[0] == "!" || f[0] == "✗") {
				c = append(c, f[2])
			}
		}
		return strings.Join(c, " ")
	}
	_, want, _ := sipdbg(t, nil, "report", fixturePath(t, "sll2-register-auth.pcap"))
	traces := filepath.Join(testenv.Root(t), "testdata", "traces")
	for _, name := range []string{"asterisk-pjsip.log", "asterisk-chansip.log", "freeswitch-siptrace.log", "sngrep-register-auth.txt", "mixed-dirty.log"} {
		code, out, errs := sipdbg(t, nil, "report", filepath.Join(traces, name))
		if code != 0 || !strings.Contains(out, "20 SIP messages") || !strings.Contains(out, "2 calls") {
			t.Errorf("%s: exit %d %s\n%s", name, code, errs, out)
			continue
		}
		if codes(out) != codes(want) {
			t.Errorf("%s: findings %q, the pcap's %q", name, codes(out), codes(want))
		}
	}
	// Kamailio's sipdump and tcpdump recorded the same run.
	_, fromPcap, _ := sipdbg(t, nil, "report", filepath.Join(traces, "kamailio-sipdump.pcap"))
	_, fromDump, _ := sipdbg(t, nil, "report", filepath.Join(traces, "kamailio-sipdump.data"))
	if codes(fromDump) == "" || codes(fromDump) != codes(fromPcap) || !strings.Contains(fromDump, "12 SIP messages") {
		t.Errorf("sipdump findings %q, its pcap's %q", codes(fromDump), codes(fromPcap))
	}
}

// TestTextTraceGapsAreSaid: a pasted trace without times or addresses
// shows order only and marks the addresses it inferred.
func TestTextTraceGapsAreSaid(t *testing.T) {
	code, out, _ := sipdbg(t, nil, "report", filepath.Join(testenv.Root(t), "testdata", "traces", "plain-pasted.txt"))
	if code != 0 || !strings.Contains(out, "(no time in the trace)") || !strings.Contains(out, "~192.0.2.1:5060") || strings.Contains(out, "+0.") {
		t.Errorf("exit %d\n%s", code, out)
	}
	_, out, _ = sipdbg(t, nil, "report", "--json", filepath.Join(testenv.Root(t), "testdata", "traces", "plain-pasted.txt"))
	if !strings.Contains(out, `"time":""`) || !strings.Contains(out, `"dst_inferred":true`) {
		t.Errorf("JSON does not say what the trace lacks:\n%.600s", out)
	}
}
