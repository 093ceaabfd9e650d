package session_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/internal/gen"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

// mappedCapture writes a generated capture to a file and opens it mapped.
func mappedCapture(t *testing.T, messages int) (*capture.Reader, string, int) {
	t.Helper()
	b, _, err := gen.Capture(gen.Config{Seed: 3, Messages: messages})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.pcap")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := capture.OpenMapped(f, path)
	if r == nil {
		f.Close()
		t.Skip("capture files are not mapped on this platform")
	}
	t.Cleanup(func() { r.Close() })
	return r, path, len(b)
}

// A mapped capture that another process cuts short while it loads: the
// load ends with ErrShrank and keeps what it had read, where reading the
// lost pages would otherwise kill the process with SIGBUS.
func TestStreamSurvivesShrinkingFile(t *testing.T) {
	r, path, size := mappedCapture(t, 60000)
	s := session.NewStore()
	batches := session.Stream(context.Background(), r, 1)
	first := <-batches
	s.Apply(&first)
	// The producer runs at most two batches (8,192 messages) ahead: the
	// second half of 60,000 is still to be read.
	if err := os.Truncate(path, int64(size/2)); err != nil {
		t.Fatal(err)
	}
	var err error
	for b := range batches {
		s.Apply(&b)
		if b.Err != nil {
			err = b.Err
		}
	}
	if !errors.Is(err, capture.ErrShrank) {
		t.Fatalf("load of a file cut short ended with %v, want ErrShrank", err)
	}
	if s.Len() == 0 || s.Len() >= 60000 {
		t.Errorf("%d messages kept", s.Len())
	}
}
