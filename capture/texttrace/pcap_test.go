package texttrace_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// loadCapture decodes a capture with sipdbg's pcap pipeline.
func loadCapture(t *testing.T, path string) *session.Store {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSameAsCapture checks every fixture whose exchange was also
// captured against what the pcap pipeline decodes from the capture: the
// same messages (first line, Call-ID, the exact bytes), in the same
// order. The sipdump fixture and its capture were recorded in the same
// run; the other fixtures were made from sll2-register-auth.pcap.
func TestSameAsCapture(t *testing.T) { checkCaptures(t, tracesDir) }

func checkCaptures(t *testing.T, dir string) {
	for _, fx := range loadExpected(t, dir) {
		if fx.Capture == "" {
			continue
		}
		t.Run(fx.File, func(t *testing.T) {
			s := loadCapture(t, capturePath(dir, fx.Capture))
			byFrame := make(map[int]*session.Message)
			for i := range s.Len() {
				byFrame[int(s.Msg(i).Packet)] = s.Msg(i)
			}
			recs := parseFixture(t, dir, fx.File)
			if fx.File != "baresip-trace.log" && len(recs) != s.Len() {
				t.Fatalf("%d records, the capture has %d SIP messages", len(recs), s.Len())
			}
			last := -1
			for i, r := range recs {
				m := byFrame[fx.Rows[i].Frame]
				if m == nil {
					t.Fatalf("#%d: no SIP message in frame %d", i, fx.Rows[i].Frame)
				}
				if int(m.Seq) <= last {
					t.Errorf("#%d: capture message %d after %d: order differs", i, m.Seq, last)
				}
				last = int(m.Seq)
				checkSame(t, i, r.Data, r.Transport, m)
			}
		})
	}
}

// capturePath resolves a capture named relative to a fixture directory;
// "../captures/…" is the repository's when dir is a scratch directory.
func capturePath(dir, rel string) string {
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		return filepath.Join(tracesDir, rel)
	}
	return p
}

func checkSame(t *testing.T, i int, data []byte, tp capture.Transport, m *session.Message) {
	t.Helper()
	if got := firstLine(data); got != m.FirstLine() {
		t.Errorf("#%d: %q, capture has %q", i, got, m.FirstLine())
	}
	if got := callID(data); got != m.CallID() {
		t.Errorf("#%d: Call-ID %q, capture has %q", i, got, m.CallID())
	}
	if !bytes.Equal(data, m.Raw()) {
		t.Errorf("#%d: bytes differ from the capture's\n%q\n%q", i, data, m.Raw())
	}
	if tp.String() != m.Transport.String() {
		t.Errorf("#%d: transport %v, capture has %v", i, tp, m.Transport)
	}
}
