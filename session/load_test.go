package session_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testenv"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
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
	for b := range session.Stream(context.Background(), openFixture(t, "sll2-register-auth.pcap"), 7) {
		if b.Gen != 7 {
			t.Fatalf("batch of generation %d", b.Gen)
		}
		got.Apply(&b)
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
	ch := session.Stream(ctx, openFixture(t, "sll2-register-auth.pcap"), 1)
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
	var last session.Batch
	for b := range session.Stream(context.Background(), r, 0) {
		s.Apply(&b)
		last = b
	}
	if !last.Done || last.Err == nil || s.Len() != 19 {
		t.Errorf("done %v err %v, %d messages", last.Done, last.Err, s.Len())
	}
}
