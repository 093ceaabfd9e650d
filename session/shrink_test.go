package session_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// A mapped capture that another process cuts short while it loads: the
// load ends with ErrShrank and keeps what it had read, where reading the
// lost pages would otherwise kill the process with SIGBUS.
func TestStreamSurvivesShrinkingFile(t *testing.T) {
	r, path, rep, err := gen.Mapped(t.TempDir(), gen.Config{Seed: 3, Messages: 60000})
	if err != nil {
		t.Fatal(err)
	}
	if r == nil {
		t.Skip("capture files are not mapped on this platform")
	}
	defer r.Close()
	size := rep.Bytes
	s := session.NewStore()
	batches := pipeline.Stream(context.Background(), r, 1)
	first := <-batches
	first.Apply(s)
	// The producer runs at most two batches (8,192 messages) ahead: the
	// second half of 60,000 is still to be read.
	if err := os.Truncate(path, size/2); err != nil {
		t.Fatal(err)
	}
	err = nil
	for b := range batches {
		b.Apply(s)
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
