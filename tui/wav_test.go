package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// saveWAV, as W in the flow calls it: a file per G.711 stream of the
// call, named by call, direction and SSRC; a second save adds a suffix.
func TestSaveWAV(t *testing.T) {
	src := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	m := fileModel(t, src, true)
	s := m.cv.store
	dir := filepath.Join(t.TempDir(), "audio")
	want := map[int]string{
		0: "call1-10.0.2.15_27942-to-10.0.2.20_6000-0x343da99b",
		1: "call2-10.0.2.15_28102-to-10.0.2.20_6000-0x343ffa34",
	}
	if len(s.Calls()) != 2 {
		t.Fatalf("%d calls", len(s.Calls()))
	}
	for run, suffix := range []string{"", "-2"} {
		for i, c := range s.Calls() {
			msg := saveWAV(s, c, m.cv.file, dir)().(wavSavedMsg)
			path := filepath.Join(dir, want[i]+suffix+".wav")
			if msg.err != nil || len(msg.files) != 1 || msg.files[0] != path || len(msg.skipped) != 0 {
				t.Fatalf("run %d, call %d: %+v", run, i+1, msg)
			}
			if msg.note != "Saved 1 WAV file in "+dir {
				t.Errorf("note %q", msg.note)
			}
			if st, err := os.Stat(path); err != nil || st.Size() < 100000 {
				t.Errorf("%s: %v", path, err)
			}
		}
	}
	tm, _ := m.wavSaved(wavSavedMsg{note: "Saved 1 WAV file in x"})
	if tm.(Model).note != "Saved 1 WAV file in x" {
		t.Error("the note is not shown")
	}
}

// Opus is skipped with its reason; a source that cannot be read again
// writes nothing and says why; a call without RTP says so.
func TestSaveWAVSkipsAndRefuses(t *testing.T) {
	pcaps := testenv.SharedPcaps(t)
	dir := t.TempDir()
	m := fileModel(t, filepath.Join(pcaps, "sipnab__sip-rtp-opus-hybrid.pcap"), true)
	msg := saveWAV(m.cv.store, m.cv.store.Calls()[0], m.cv.file, dir)().(wavSavedMsg)
	if len(msg.files) != 0 || msg.err != nil || !strings.Contains(msg.note, "skipped call 1 10.0.2.15:24196 → 10.0.2.20:6000 ssrc 0x043eee04 opus/48000/2: opus cannot be decoded to WAV") {
		t.Errorf("opus: %+v", msg)
	}
	m = fileModel(t, filepath.Join(pcaps, "sipnab__sip-rtp-g711.pcap"), false)
	msg = saveWAV(m.cv.store, m.cv.store.Calls()[0], m.cv.file, dir)().(wavSavedMsg)
	if len(msg.files) != 0 || !strings.HasPrefix(msg.note, "WAV not saved: the RTP payloads are not kept in memory") {
		t.Errorf("no file: %+v", msg)
	}
	d := demoModel(t, m.cv.opt)
	d = drive(t, d, 80, 24)
	msg = saveWAV(d.cv.store, d.cv.store.Calls()[0], "", dir)().(wavSavedMsg)
	if msg.note != "No WAV: the call has no RTP stream in the capture" {
		t.Errorf("no RTP: %+v", msg)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
}
