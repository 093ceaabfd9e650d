package capture

import (
	"errors"
	"io"
	"strings"
	"time"
)

// Merge reads several sources at once (two interfaces, an interface and
// a HEP listener …) and yields their frames in arrival order, numbered
// anew. It ends when every source has ended, or with the first error.
func Merge(srcs ...Source) Source {
	if len(srcs) == 1 {
		return srcs[0]
	}
	m := &merged{srcs: srcs, frames: make(chan Frame, 1024), errs: make(chan error, len(srcs)), done: make(chan struct{})}
	for _, s := range srcs {
		go m.pump(s)
	}
	return m
}

type merged struct {
	srcs   []Source
	frames chan Frame
	errs   chan error
	done   chan struct{}
	ended  int
	num    int
}

// pump copies a source's frames (their buffers are reused) into the
// shared channel.
func (m *merged) pump(s Source) {
	for {
		f, err := s.Next()
		if errors.Is(err, ErrIdle) {
			continue
		}
		if err != nil {
			m.errs <- err
			return
		}
		f.Data = append([]byte(nil), f.Data...)
		select {
		case m.frames <- f:
		case <-m.done:
			return
		}
	}
}

func (m *merged) Next() (Frame, error) {
	for {
		select {
		case f := <-m.frames:
			m.num++
			f.Num = m.num
			return f, nil
		case err := <-m.errs:
			if !errors.Is(err, io.EOF) {
				return Frame{}, err
			}
			if m.ended++; m.ended == len(m.srcs) {
				return Frame{}, io.EOF
			}
		case <-time.After(100 * time.Millisecond):
			return Frame{}, ErrIdle
		}
	}
}

func (m *merged) Progress() (int64, int64) { return 0, -1 }

// Drops sums the drops of the sources that count them.
func (m *merged) Drops() uint64 {
	var n uint64
	for _, s := range m.srcs {
		if d, ok := Drops(s); ok {
			n += d
		}
	}
	return n
}

// RingBytes sums the sources' capture rings.
func (m *merged) RingBytes() int64 {
	var n int64
	for _, s := range m.srcs {
		n += Rings(s)
	}
	return n
}

// Refused sums what the sources refused.
func (m *merged) Refused() uint64 {
	var n uint64
	for _, s := range m.srcs {
		n += Refused(s)
	}
	return n
}

func (m *merged) Name() string {
	names := make([]string, len(m.srcs))
	for i, s := range m.srcs {
		names[i] = s.Name()
	}
	return strings.Join(names, " + ")
}

func (m *merged) Close() error {
	select {
	case <-m.done:
	default:
		close(m.done)
	}
	for _, s := range m.srcs {
		s.Close()
	}
	return nil
}
