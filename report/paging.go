package report

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/sipdbg/sipdbg/session"
)

// A mapped capture's pages come back into memory as a report reads its
// messages, in the order of the calls, not of the file. A writer that
// can hand them back (cmd's, with capture.ReleaseBehind) implements
// Releaser. Every releaseCalls calls the report passes it the first
// message of the next call: calls come in the order of their first
// message, so the pages before it are not read again and can go back at
// no cost; what lies after it (the later messages of calls already read)
// goes back once too much of it is resident. Resident memory stays the
// index plus a window of the file, whatever its size.

// Releaser is implemented by a report's writer to hand back what the
// report has read. next is the raw bytes of the next call's first
// message, nil when there is none to go by (at the end, or calls read
// in no particular order).
type Releaser interface{ Release(next []byte) }

const releaseCalls = 128

// pager calls a Releaser as the calls are read: in order (done), or in
// any order from several goroutines (tick).
type pager struct {
	release func([]byte)
	s       *session.Store
	calls   []*session.Call
	last    int // calls read at the last release
	ticks   atomic.Int64
	mu      sync.Mutex // one release at a time, for tick
}

func newPager(w io.Writer, s *session.Store, calls []*session.Call) *pager {
	p := &pager{s: s, calls: calls}
	if r, ok := w.(Releaser); ok {
		p.release = r.Release
	}
	return p
}

// done records that calls[:n] have been read.
func (p *pager) done(n int) {
	if p == nil || p.release == nil || n-p.last < releaseCalls && n < len(p.calls) {
		return
	}
	p.last = n
	var next []byte
	if n < len(p.calls) && len(p.calls[n].Msgs) > 0 {
		next = p.s.Msg(int(p.calls[n].Msgs[0])).Raw()
	}
	p.release(next)
}

// tick records n more calls read, in no particular order: with no next
// call to go by, it only keeps the resident window (Release(nil)).
func (p *pager) tick(n int) {
	if p == nil || p.release == nil {
		return
	}
	now := p.ticks.Add(int64(n))
	if now/releaseCalls == (now-int64(n))/releaseCalls {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.release(nil)
}
