package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// report --wav DIR: a file per G.711 stream, a line per file; a second
// run adds a suffix rather than overwrite; opus is skipped with its
// reason.
func TestReportWAV(t *testing.T) {
	pcaps := testenv.SharedPcaps(t)
	dir := filepath.Join(t.TempDir(), "new", "dir")
	g711 := filepath.Join(pcaps, "sipnab__sip-rtp-g711.pcap")
	names := []string{
		"call1-10.0.2.15_27942-to-10.0.2.20_6000-0x343da99b.wav",
		"call2-10.0.2.15_28102-to-10.0.2.20_6000-0x343ffa34.wav",
	}
	for run, suffix := range []string{"", "-2"} {
		code, out, errs := sipdbg(t, nil, "report", "--wav", dir, g711)
		if code != exitOK || errs != "" {
			t.Fatalf("run %d: exit %d, stderr %q", run, code, errs)
		}
		if n := strings.Count(out, "\n"); n != 2 {
			t.Errorf("run %d: %d lines:\n%s", run, n, out)
		}
		for _, n := range names {
			p := filepath.Join(dir, strings.TrimSuffix(n, ".wav")+suffix+".wav")
			if !strings.Contains(out, "wrote "+p+" (call ") {
				t.Errorf("run %d: no line for %s:\n%s", run, p, out)
			}
			if st, err := os.Stat(p); err != nil || st.Size() < 100000 || st.Mode().Perm() != 0o600 {
				t.Errorf("run %d: %s: %v", run, p, err)
			}
		}
	}
	code, out, errs := sipdbg(t, nil, "report", "--wav", dir, filepath.Join(pcaps, "sipnab__sip-rtp-opus-hybrid.pcap"))
	if code != exitOK || errs != "" || !strings.Contains(out, "skipped call 1 10.0.2.15:24196 → 10.0.2.20:6000 ssrc 0x043eee04 opus/48000/2: opus cannot be decoded to WAV") {
		t.Errorf("opus: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = sipdbg(t, nil, "report", "--wav", dir, fixturePath(t, "sll2-register-auth.pcap"))
	if code != exitOK || !strings.Contains(out, "no RTP stream in ") {
		t.Errorf("no RTP: exit %d, stdout %q", code, out)
	}
}

func TestReportWAVUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--wav", "d", "--json", "x.pcap"}, "--wav writes audio files instead of the report"},
		{[]string{"report", "--wav", "d", "-"}, "it needs a file, not standard input"},
	} {
		code, out, errs := sipdbg(t, nil, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errs)
		}
	}
	// A directory that cannot be made: one line naming it.
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	code, _, errs := sipdbg(t, nil, "report", "--wav", filepath.Join(file, "sub"), fixturePath(t, "sll2-register-auth.pcap"))
	if code != exitFail || !strings.Contains(errs, "f/sub") || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
