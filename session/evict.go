package session

import (
	"slices"
	"unsafe"
)

// A long live capture must not grow without bound, and must not stop at a
// dialog cap either (sngrep's silent 20,000). The store keeps an estimate
// of the memory it holds; Evict drops the oldest completed calls when it
// is over a budget, and compacts what remains so that the memory is really
// returned. Dropped calls are counted; a --write file still has them.

// Per-object overheads counted by Footprint besides the raw bytes: the
// structs themselves plus the index slices and map entries that point at
// them (an estimate, not a measure: it errs on the high side).
const (
	msgOverhead  = int64(unsafe.Sizeof(Message{})) + 16 // + its index in Call.Msgs and Transaction.Msgs
	callOverhead = int64(unsafe.Sizeof(Call{})) + 96    // + the byID entry and the pointer
	txOverhead   = int64(unsafe.Sizeof(Transaction{})) + 8
)

// Footprint estimates the bytes the store holds: raw messages, their
// indexes, calls and transactions.
func (s *Store) Footprint() int64 { return s.bytes }

// Evicted counts what Evict dropped over the store's life.
type Evicted struct {
	Calls, Messages int
}

// Done reports whether a call is over, so that dropping it loses nothing a
// live view still needs: its final state is reached.
func (c *Call) Done() bool {
	switch c.State {
	case StateCompleted, StateCancelled, StateRejected, StateBusy, StateDiverted,
		StateRegistered, StateUnregistered, StateChallenged, StateAuthFailed:
		return true
	}
	return false
}

// Evict drops calls until the footprint is at most target: first the
// oldest calls that are Done, then, if that is not enough, the calls
// whose last message is oldest (a call that never ends must not hold the
// memory forever). Calls for which keep returns true stay (the call on
// screen). It returns the number of calls dropped. Calls and messages
// are named by their Seq, which does not change: a view holding Seqs
// needs only to forget those Store.Call no longer finds.
func (s *Store) Evict(target int64, keep func(*Call) bool) int {
	if s.bytes <= target {
		return 0
	}
	drop := make([]bool, len(s.calls))
	freed := int64(0)
	over := func() bool { return s.bytes-freed > target }
	mark := func(i int) {
		if c := s.calls[i]; !drop[i] && (keep == nil || !keep(c)) {
			drop[i] = true
			freed += s.callBytes(c)
		}
	}
	for i, c := range s.calls {
		if !over() {
			break
		}
		if c.Done() {
			mark(i)
		}
	}
	if over() {
		byEnd := make([]int, len(s.calls))
		for i := range byEnd {
			byEnd[i] = i
		}
		slices.SortStableFunc(byEnd, func(a, b int) int { return int(min(max(s.calls[a].End-s.calls[b].End, -1), 1)) })
		for _, i := range byEnd {
			if !over() {
				break
			}
			mark(i)
		}
	}
	if freed == 0 {
		return 0
	}
	return s.compact(drop)
}

// callBytes is what a call adds to the footprint.
func (s *Store) callBytes(c *Call) int64 {
	n := callOverhead + int64(len(c.Txs))*txOverhead + int64(len(c.Streams))*streamOverhead
	for _, i := range c.Msgs {
		m := s.Msg(int(i))
		n += int64(len(m.Raw())+len(m.authCopy())) + msgOverhead
	}
	return n
}

// compact rebuilds the store without the calls whose position drop
// marks, and returns how many it dropped. Kept messages get their bytes
// copied into a new arena: the old chunks are shared with the dropped
// messages and would otherwise stay alive. A message's fields are
// offsets into its bytes, so they move with them; the Seqs that calls,
// transactions and views hold stay as they are.
func (s *Store) compact(drop []bool) int {
	var (
		a    arena
		msgs [][]Message
		n    int32
	)
	for i := 0; i < s.stats.Messages; i++ {
		m := s.at(i)
		if p := s.callPos(int(m.Call)); drop[p] {
			s.evicted.Messages++
			if m.Has(FlagRetransmission) {
				s.stats.Retransmissions--
			}
			continue
		}
		if n%msgChunk == 0 {
			msgs = append(msgs, make([]Message, 0, msgChunk))
		}
		nm := *m // its fields are offsets into Raw: they move with it
		nm.setRaw(a.copy(m.Raw()))
		if auth := m.authCopy(); auth != nil {
			e := *m.ext // the old one points into the old arena
			e.auth = a.copy(auth)
			nm.ext = &e
		}
		last := &msgs[len(msgs)-1]
		*last = append(*last, nm)
		n++
	}
	// The calls' own strings move to a new key arena too, or the old one
	// would stay alive for the few calls kept.
	s.keys = arena{}
	var calls []*Call
	dropped := 0
	for i, c := range s.calls {
		if drop[i] {
			dropped++
			continue
		}
		c.move(s.keep, s.keepMethod)
		calls = append(calls, c)
	}
	s.evicted.Calls += dropped
	keptCall := make(map[int]bool, len(calls))
	for _, c := range calls {
		keptCall[c.Seq] = true
	}
	s.msgs, s.calls, s.stats.Messages, s.dense = msgs, calls, int(n), 0
	s.compactMedia(func(seq int) bool { return keptCall[seq] })
	s.byID = make(map[string]int32, len(calls))
	s.byXID = make(map[string][]int32)
	s.bytes = 0
	for _, c := range calls {
		s.byID[c.CallID] = int32(c.Seq)
		if c.XCallID != "" {
			s.byXID[c.XCallID] = append(s.byXID[c.XCallID], int32(c.Seq))
		}
		s.bytes += s.callBytes(c)
	}
	s.bytes += int64(len(s.media.streams)-linked(s.media.streams)) * streamOverhead // the streams of no call
	return dropped
}

// move moves a kept call's strings into the new key arena.
func (c *Call) move(keep, keepMethod func(string) string) {
	// The call's strings are the store's own (Store.keep): copied into
	// the new key arena.
	own := keep
	c.CallID, c.Method, c.From, c.To, c.XCallID = own(c.CallID), own(c.Method), own(c.From), own(c.To), own(c.XCallID)
	for i := range c.Txs {
		c.Txs[i].Method = keepMethod(c.Txs[i].Method)
	}
	if c.txIndex != nil {
		c.indexTxs() // a new map: the old one's buckets stay as large as they grew
	}
	for i := range c.Dialogs {
		d := &c.Dialogs[i]
		d.FromTag, d.ToTag = own(d.FromTag), own(d.ToTag)
	}
}

// Trim keeps a live store within a memory budget meant for the whole
// process. The store may hold a third of it: the garbage collector needs
// room for what was read but not yet freed, and a compaction briefly
// holds the old store and the new copy. Past that it is trimmed to a
// quarter, so that compactions (a pause of about 1 µs per kept message)
// are rare.
func (s *Store) Trim(budget int64, keep func(*Call) bool) int {
	if budget <= 0 || s.bytes <= budget/3 {
		return 0
	}
	return s.Evict(budget/4, keep)
}

// linked counts the streams a call holds.
func linked(sts []*Stream) int {
	n := 0
	for _, st := range sts {
		if st.Call >= 0 {
			n++
		}
	}
	return n
}
