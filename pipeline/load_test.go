package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/authlab"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

func openFixture(t *testing.T, name string) *capture.Reader {
	t.Helper()
	r, err := capture.Open(filepath.Join(testenv.Root(t), "testdata", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestStreamBuildsTheSameStore applies a stream of batches, as the TUI
// does while a capture loads, and compares with a synchronous load.
func TestStreamBuildsTheSameStore(t *testing.T) {
	want := fixture(t, "sll2-register-auth.pcap")
	got := session.NewStore()
	var batches, done int
	for b := range pipeline.Stream(context.Background(), openFixture(t, "sll2-register-auth.pcap"), 7) {
		if b.Gen != 7 {
			t.Fatalf("batch of generation %d", b.Gen)
		}
		b.Apply(got)
		batches++
		if b.Done {
			done++
			if b.Err != nil || b.Read != b.Size || b.Size <= 0 {
				t.Errorf("last batch: err %v, read %d of %d", b.Err, b.Read, b.Size)
			}
		}
	}
	if done != 1 || batches < 1 {
		t.Fatalf("%d batches, %d marked done", batches, done)
	}
	if got.Len() != want.Len() || len(got.Calls()) != len(want.Calls()) {
		t.Fatalf("stream: %d messages %d calls; load: %d, %d", got.Len(), len(got.Calls()), want.Len(), len(want.Calls()))
	}
	for i, c := range got.Calls() {
		if w := want.Calls()[i]; c.CallID != w.CallID || c.State != w.State || len(c.Msgs) != len(w.Msgs) {
			t.Errorf("call %d: %s %v %d, want %s %v %d", i, c.CallID, c.State, len(c.Msgs), w.CallID, w.State, len(w.Msgs))
		}
	}
	if got.Stats().Decoder.Frames != want.Stats().Decoder.Frames {
		t.Errorf("decoder stats not carried: %d frames", got.Stats().Decoder.Frames)
	}
}

func TestStreamStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := pipeline.Stream(ctx, openFixture(t, "sll2-register-auth.pcap"), 1)
	cancel()
	for range ch { // must be closed, whether or not batches were sent
	}
}

func TestStreamReportsATruncatedFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.Root(t), "testdata", "captures", "hep3.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.pcap")
	os.WriteFile(path, data[:len(data)-30], 0o644)
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	var last pipeline.Batch
	for b := range pipeline.Stream(context.Background(), r, 0) {
		b.Apply(s)
		last = b
	}
	if !last.Done || last.Err == nil || s.Len() != 19 {
		t.Errorf("done %v err %v, %d messages", last.Done, last.Err, s.Len())
	}
}

func fixture(t *testing.T, name string) *session.Store {
	t.Helper()
	s, err := authlab.Load(filepath.Join(testenv.Root(t), "testdata", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The session mirrors the capture's transports: the pipeline converts one
// into the other by number, so each number must name the same transport.
func TestTransportsMatch(t *testing.T) {
	for n := 0; n < 9; n++ {
		if c, s := capture.Transport(n).String(), session.Transport(n).String(); c != s {
			t.Errorf("transport %d: capture says %q, session %q", n, c, s)
		}
		if capture.Transport(n).Stream() != session.Transport(n).Stream() {
			t.Errorf("transport %d: capture and session disagree on whether it is a stream", n)
		}
	}
}

// With NoMedia the RTP of a capture is left out: no stream, no media
// packet counted; by default the streams are kept.
func TestNoMediaLeavesRTPOut(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	for _, noMedia := range []bool{false, true} {
		r, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s := session.NewStore()
		if err := pipeline.LoadConcurrentWith(r, s, pipeline.Options{NoMedia: noMedia}); err != nil {
			t.Fatal(err)
		}
		r.Close()
		n := len(s.Streams())
		if noMedia && (n != 0 || s.MediaPackets() != 0) || !noMedia && (n != 2 || s.MediaPackets() != 839) {
			t.Errorf("NoMedia %v: %d streams, %d RTP packets", noMedia, n, s.MediaPackets())
		}
	}
}
