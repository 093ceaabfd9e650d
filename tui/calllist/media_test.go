package calllist

import (
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// load reads committed captures of the media lab, one after the other,
// into one store.
func load(t *testing.T, names ...string) *session.Store {
	t.Helper()
	s := session.NewStore()
	for _, n := range names {
		r, err := capture.Open(filepath.Join(testenv.Root(t), "testdata", "captures", "media", n))
		if err != nil {
			t.Fatal(err)
		}
		err = pipeline.Load(r, s)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// The Media mark of real calls: both ways, one way, none although
// answered with SDP (in a capture that holds RTP), and blank for a call
// refused, and for a capture without any RTP (its media was not
// captured: that says nothing of whether it flowed).
func TestMediaMark(t *testing.T) {
	for _, c := range []struct {
		files []string
		want  []string // a mark per call
	}{
		{[]string{"clean-call.pcap"}, []string{MediaBoth}},
		{[]string{"one-way-media.pcap"}, []string{MediaOne}},
		{[]string{"no-media.pcap"}, []string{""}},
		{[]string{"clean-call.pcap", "no-media.pcap"}, []string{MediaBoth, MediaNone}},
		{[]string{"srtp-mismatch.pcap"}, []string{""}},
	} {
		s := load(t, c.files...)
		if len(s.Calls()) != len(c.want) {
			t.Fatalf("%v: %d calls", c.files, len(s.Calls()))
		}
		var m Model
		m.SetColumns(cols(t, "Media", "Codec"))
		for i, call := range s.Calls() {
			if got := MediaMark(s, call); got != c.want[i] {
				t.Errorf("%v call %d: %q, want %q", c.files, i+1, got, c.want[i])
			}
			if got := m.cols[0].value(&m, s, call); got != c.want[i] {
				t.Errorf("%v call %d: the column says %q", c.files, i+1, got)
			}
		}
	}
}

// The Codec column gives the codec the first stream carries, over the
// one the answer settled on: in this capture the caller sends PCMA where
// both descriptions say PCMU.
func TestCodecOfFirstStream(t *testing.T) {
	s := load(t, "codec-mismatch.pcap")
	call := s.Calls()[0]
	var m Model
	m.SetColumns(cols(t, "Codec"))
	st := s.CallStreams(call)
	if len(st) == 0 {
		t.Fatal("no stream")
	}
	if got := m.cols[0].value(&m, s, call); got != "PCMA" || analysis.CallCodec(s, call) != "PCMU" {
		t.Errorf("codec %q, want the first stream's PCMA (%s), not the answer's %s", got, st[0].Codec, analysis.CallCodec(s, call))
	}
}
