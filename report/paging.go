package report

import (
	"sync"
	"sync/atomic"

	"github.com/sipdbg/sipdbg/session"
)

// What a report reads of its messages may come back into memory (the
// pages of a mapped capture), in the order of the calls, not of the file.
// Every releaseCalls calls the report tells the store (Store.Release) the
// first message of the next call: calls come in the order of their first
// message, so what lies before it is not read again and can go back at no
// cost; the store's backing sends the rest back once too much of it is
// resident. Resident memory stays the index plus a window of the file,
// whatever its size. The report does not know why: it only says how far
// it has read.

const releaseCalls = 128

// pager calls the store's Release as the calls are read: in order (done),
// or in any order from several goroutines (tick).
type pager struct {
	s     *session.Store
	calls []*session.Call
	last  int // calls read at the last release
	ticks atomic.Int64
	mu    sync.Mutex // one release at a time, for tick
}

func newPager(s *session.Store, calls []*session.Call) *pager {
	return &pager{s: s, calls: calls}
}

// done records that calls[:n] have been read.
func (p *pager) done(n int) {
	if p == nil || n-p.last < releaseCalls && n < len(p.calls) {
		return
	}
	p.last = n
	var next []byte
	if n < len(p.calls) && len(p.calls[n].Msgs) > 0 {
		next = p.s.Msg(int(p.calls[n].Msgs[0])).Raw()
	}
	p.s.Release(next)
}

// tick records n more calls read, in no particular order: with no next
// call to go by, it only keeps the resident window (Release(nil)).
func (p *pager) tick(n int) {
	if p == nil {
		return
	}
	now := p.ticks.Add(int64(n))
	if now/releaseCalls == (now-int64(n))/releaseCalls {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.s.Release(nil)
}
