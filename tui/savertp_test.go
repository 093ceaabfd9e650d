package tui

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// fileModel is the interface on a capture file, loaded whole.
func fileModel(t *testing.T, path string, withFile bool) Model {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(path, pipeline.Stream(ctx, r, 1), 1, analysis.Options{})
	if withFile {
		m = m.WithFile(path)
	}
	m.saveDir = t.TempDir()
	return drive(t, m, 120, 40)
}

// saveAll saves every call as pcap under name and returns what the
// dialog said.
func saveAll(t *testing.T, m Model, name string) string {
	t.Helper()
	var tm tea.Model = m
	tm, _ = tm.Update(press("S"))
	for range 60 {
		tm, _ = tm.Update(press("backspace"))
	}
	for _, r := range name {
		tm, _ = tm.Update(press(string(r)))
	}
	tm, cmd := tm.Update(press("enter"))
	if cmd == nil {
		t.Fatal("enter starts no save")
	}
	tm, _ = tm.Update(cmd())
	return strings.Join(strings.Fields(stripSGR(tm.(Model).View().Content)), " ")
}

// streamCounts loads a capture with the pipeline: packets per stream.
func streamCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, st := range s.Streams() {
		out[fmt.Sprintf("%s>%s %#08x %s call %d", st.Src, st.Dst, st.SSRC, st.Codec, st.Call)] = st.Stats().Packets
	}
	return out
}

// A call saved as pcap opens again with the same streams (the RTP read
// back from the capture among its messages), and tshark reads them.
func TestSavePcapTakesTheRTP(t *testing.T) {
	for _, file := range []string{"sipnab__sip-rtp-g711.pcap", "sip_captures__test_voip.pcap.pcapng"} {
		t.Run(file, func(t *testing.T) {
			src := filepath.Join(testenv.SharedPcaps(t), file)
			m := fileModel(t, src, true)
			want := streamCounts(t, src)
			n := len(callStreams(m.cv.store, m.cv.store.Calls()))
			if n == 0 {
				t.Fatal("no stream in a call")
			}
			view := saveAll(t, m, "with-rtp.pcap")
			saved := filepath.Join(m.saveDir, "with-rtp.pcap")
			if !strings.Contains(view, "to "+saved+", with the RTP of "+plural(n, "stream")) {
				t.Fatalf("the dialog says:\n%s", view)
			}
			got := streamCounts(t, saved)
			linked := 0
			for k, c := range got {
				if want[k] != c {
					t.Errorf("stream %s: %d packets saved, %d in the capture", k, c, want[k])
				}
				linked++
			}
			if linked != n {
				t.Errorf("%d streams saved, the calls have %d", linked, n)
			}
			if _, err := exec.LookPath("tshark"); err != nil {
				t.Skip("tshark is not installed: not checking that it reads the streams")
			}
			out, err := exec.Command("tshark", "-r", saved, "-q", "-z", "rtp,streams").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			rows := 0
			for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
				if strings.Contains(sc.Text(), " 0x") {
					rows++
				}
			}
			if rows != n {
				t.Errorf("tshark lists %d streams, want %d:\n%s", rows, n, out)
			}
		})
	}
}

// Without a file to read back (live, standard input, a paste) the pcap
// holds the SIP alone, and the dialog says so.
func TestSavePcapWithoutFileSaysSIPOnly(t *testing.T) {
	src := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	m := fileModel(t, src, false)
	view := saveAll(t, m, "sip-only.pcap")
	if !strings.Contains(view, "(SIP only: the RTP of 2 streams is not kept in memory") {
		t.Fatalf("the dialog says:\n%s", view)
	}
	if got := streamCounts(t, filepath.Join(m.saveDir, "sip-only.pcap")); len(got) != 0 {
		t.Errorf("streams in a SIP-only save: %v", got)
	}
}

// A capture that changed since it was loaded: nothing is saved, and the
// dialog says why in a line naming the file.
func TestSavePcapRefusesAChangedCapture(t *testing.T) {
	src := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	m := fileModel(t, src, true)
	m.base().file = filepath.Join(testenv.SharedPcaps(t), "sip_captures__test_voip.pcap.pcapng")
	view := saveAll(t, m, "changed.pcap")
	if !strings.Contains(view, "not saved: ") || !strings.Contains(view, "has changed since it was loaded") {
		t.Fatalf("the dialog says:\n%s", view)
	}
	if _, err := capture.Open(filepath.Join(m.saveDir, "changed.pcap")); err == nil {
		t.Error("a half-written pcap was left behind")
	}
}
