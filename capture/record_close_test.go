package capture

import (
	"errors"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// endless yields the same small frame until closed, as a busy interface.
type endless struct{ closed atomic.Bool }

func (e *endless) Next() (Frame, error) {
	if e.closed.Load() {
		return Frame{}, io.EOF
	}
	return Frame{Time: time.Now(), Link: layers.LinkTypeRaw, Data: []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}}, nil
}
func (e *endless) Close() error             { e.closed.Store(true); return nil }
func (e *endless) Name() string             { return "endless" }
func (e *endless) Progress() (int64, int64) { return 0, -1 }

// A recording closed from another goroutine (a signal, --duration) while
// frames still arrive holds exactly the frames its reader was given: no
// frame read but not written, no write after close (go test -race).
func TestRecordCloseWhileReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.pcapng")
	src, err := Record(&endless{}, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		src.Close()
	}()
	read := 0
	for {
		_, err := src.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("after %d frames: %v", read, err)
			}
			break
		}
		read++
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	written := 0
	for {
		if _, err := r.Next(); err != nil {
			break
		}
		written++
	}
	if read == 0 || written != read {
		t.Fatalf("the reader got %d frames, the file holds %d", read, written)
	}
}
