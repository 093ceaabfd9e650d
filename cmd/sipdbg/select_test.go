package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
)

// demoFile writes the built-in capture to a file: calls 2 and 3 have an
// error verdict (a wrong password, an unACKed 407), 1 and 4 are
// authenticated (info).
func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.pcap")
	if err := os.WriteFile(path, demo.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// callIDs are the Call-IDs of the "Call N" lines of a text report.
func callIDs(out string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^Call \d+ +\S+ +.*? (\S+)$`).FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestReportSelection: --problems and --filter keep whole calls, judged
// once loaded, and say how many of how many they kept.
func TestReportSelection(t *testing.T) {
	path := demoFile(t)
	cases := []struct {
		args  []string
		ids   []string
		count string
	}{
		{[]string{"--problems"}, []string{"1-21958@127.0.0.1", "f5b8e08294dfc950bb41@sipdbg-auth-lab"}, "2 of 4 calls failed."},
		// Any message's text: only call 4 crossed core.sipdbg.test.
		{[]string{"--filter", "CORE.sipdbg"}, []string{"4afcff01fd1b79dfcef1@sipdbg-auth-lab"}, `1 of 4 calls match "CORE.sipdbg".`},
		// A verdict code, which no message says.
		{[]string{"--filter", "ack-2xx"}, nil, `0 of 4 calls match "ack-2xx".`},
		{[]string{"--filter", "ack-missing"}, []string{"f5b8e08294dfc950bb41@sipdbg-auth-lab"}, `1 of 4 calls match "ack-missing".`},
		{[]string{"--filter", "auth-accepted"}, []string{"1-21873@127.0.0.1", "4afcff01fd1b79dfcef1@sipdbg-auth-lab"}, `2 of 4 calls match "auth-accepted".`},
		{[]string{"--problems", "--filter", "INVITE"}, []string{"f5b8e08294dfc950bb41@sipdbg-auth-lab"}, `1 of 4 calls failed and match "INVITE".`},
	}
	for _, c := range cases {
		code, out, errs := sipdbg(t, nil, append(append([]string{"report"}, c.args...), path)...)
		if code != 0 || errs != "" {
			t.Fatalf("report %v: exit %d, stderr %q", c.args, code, errs)
		}
		if got := callIDs(out); strings.Join(got, " ") != strings.Join(c.ids, " ") {
			t.Errorf("report %v: calls %v, want %v", c.args, got, c.ids)
		}
		if c.count != "" && !strings.Contains(out, c.count) {
			t.Errorf("report %v: no %q in\n%s", c.args, c.count, out)
		}
	}
	code, _, errs := sipdbg(t, nil, "report", "--summary", "--filter", "x", path)
	if code != exitUsage || !strings.Contains(errs, "do not go together") {
		t.Errorf("report --summary --filter: exit %d, %q", code, errs)
	}
}

// TestDialogCountSelection: sngrep's -N counts what --problems keeps.
func TestDialogCountSelection(t *testing.T) {
	path := demoFile(t)
	for args, want := range map[string]string{"": "Dialog count: 4", "--problems": "Dialog count: 2"} {
		a := []string{"-N", "-I", path}
		if args != "" {
			a = append([]string{args}, a...)
		}
		code, out, errs := sipdbg(t, nil, a...)
		if code != 0 || strings.TrimSpace(out) != want {
			t.Errorf("sipdbg %v: exit %d, %q (stderr %q), want %q", a, code, out, errs, want)
		}
	}
}

// TestProblemsAreFailures: --problems keeps the calls whose verdict is an
// error (one-way audio), not a warning's (jitter, which degraded a call
// that went through); --filter finds the warning by its code.
func TestProblemsAreFailures(t *testing.T) {
	media := filepath.Join("..", "..", "testdata", "captures", "media")
	for _, c := range []struct {
		file, args, count string
	}{
		{"one-way-media.pcap", "--problems", "1 of 1 calls failed."},
		{"media-jitter.pcap", "--problems", "0 of 1 calls failed."},
		{"media-jitter.pcap", "--filter media-jitter", `1 of 1 calls match "media-jitter".`},
	} {
		args := append([]string{"report"}, strings.Fields(c.args)...)
		code, out, errs := sipdbg(t, nil, append(args, filepath.Join(media, c.file))...)
		if code != 0 || errs != "" || !strings.Contains(out, c.count) {
			t.Errorf("report %s %s: exit %d, stderr %q, no %q in\n%s", c.args, c.file, code, errs, c.count, out)
		}
	}
}
