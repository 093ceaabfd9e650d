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

// Remap tells a consumer holding indexes how they changed in Evict: the
// new index of each old call and message, -1 for the dropped ones.
type Remap struct {
	Calls []int32
	Msgs  []int32
}

// Call returns the new index of call i, or -1.
func (r *Remap) Call(i int) int {
	if i < 0 || i >= len(r.Calls) {
		return -1
	}
	return int(r.Calls[i])
}

// Msg returns the new index of message i, or -1.
func (r *Remap) Msg(i int32) int32 {
	if i < 0 || int(i) >= len(r.Msgs) {
		return -1
	}
	return r.Msgs[i]
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
// screen). It returns nil when nothing was dropped; otherwise the map
// from old to new indexes, which every holder of an index must apply.
func (s *Store) Evict(target int64, keep func(*Call) bool) *Remap {
	if s.bytes <= target {
		return nil
	}
	drop := make([]bool, len(s.calls))
	freed := int64(0)
	over := func() bool { return s.bytes-freed > target }
	mark := func(c *Call) {
		if !drop[c.Index] && (keep == nil || !keep(c)) {
			drop[c.Index] = true
			freed += s.callBytes(c)
		}
	}
	for _, c := range s.calls {
		if !over() {
			break
		}
		if c.Done() {
			mark(c)
		}
	}
	if over() {
		byEnd := slices.Clone(s.calls)
		slices.SortStableFunc(byEnd, func(a, b *Call) int { return int(min(max(a.End-b.End, -1), 1)) })
		for _, c := range byEnd {
			if !over() {
				break
			}
			mark(c)
		}
	}
	if freed == 0 {
		return nil
	}
	return s.compact(drop)
}

// callBytes is what a call adds to the footprint.
func (s *Store) callBytes(c *Call) int64 {
	n := callOverhead + int64(len(c.Txs))*txOverhead
	for _, i := range c.Msgs {
		m := s.Msg(int(i))
		n += int64(len(m.Raw())+len(m.authCopy())) + msgOverhead
	}
	return n
}

// compact rebuilds the store without the dropped calls. Kept messages get
// their bytes copied into a new arena: the old chunks are shared with the
// dropped messages and would otherwise stay alive. A message's fields are
// offsets into its bytes, so they move with them.
func (s *Store) compact(drop []bool) *Remap {
	r := &Remap{Calls: make([]int32, len(s.calls)), Msgs: make([]int32, s.stats.Messages)}
	var (
		a    arena
		msgs [][]Message
		n    int32
	)
	for i := 0; i < s.stats.Messages; i++ {
		m := s.Msg(i)
		if drop[m.Call] {
			r.Msgs[i] = -1
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
		nm.Index = n
		last := &msgs[len(msgs)-1]
		*last = append(*last, nm)
		r.Msgs[i] = n
		n++
	}
	// The calls' own strings move to a new key arena too, or the old one
	// would stay alive for the few calls kept.
	s.keys = arena{}
	var calls []*Call
	for i, c := range s.calls {
		if drop[i] {
			r.Calls[i] = -1
			s.evicted.Calls++
			continue
		}
		r.Calls[i] = int32(len(calls))
		c.Index = len(calls)
		c.move(r, s.keep, s.keepMethod)
		calls = append(calls, c)
	}
	s.msgs, s.calls, s.stats.Messages = msgs, calls, int(n)
	s.byID = make(map[string]int32, len(calls))
	s.byXID = make(map[string][]int32)
	s.bytes = 0
	for _, c := range calls {
		s.byID[c.CallID] = int32(c.Index)
		if c.XCallID != "" {
			s.byXID[c.XCallID] = append(s.byXID[c.XCallID], int32(c.Index))
		}
		s.bytes += s.callBytes(c)
	}
	for i := 0; i < s.stats.Messages; i++ {
		m := s.Msg(i)
		m.Call = r.Calls[m.Call]
	}
	return r
}

// move renumbers a kept call's indexes and moves its strings.
func (c *Call) move(r *Remap, keep, keepMethod func(string) string) {
	for i, mi := range c.Msgs {
		c.Msgs[i] = r.Msgs[mi]
	}
	// The call's strings are the store's own (Store.keep): copied into
	// the new key arena.
	own := keep
	c.CallID, c.Method, c.From, c.To, c.XCallID = own(c.CallID), own(c.Method), own(c.From), own(c.To), own(c.XCallID)
	for i := range c.Txs {
		t := &c.Txs[i]
		t.Method = keepMethod(t.Method)
		t.Request, t.ACK, t.First = r.Msg(t.Request), r.Msg(t.ACK), r.Msg(t.First)
		for j, mi := range t.Msgs {
			t.Msgs[j] = r.Msgs[mi]
		}
		for j, mi := range t.Response {
			t.Response[j] = r.Msgs[mi]
		}
	}
	if c.txIndex != nil {
		c.indexTxs() // a new map: the old one's buckets stay as large as they grew
	}
	for i := range c.Dialogs {
		d := &c.Dialogs[i]
		d.FromTag, d.ToTag, d.First = own(d.FromTag), own(d.ToTag), r.Msgs[d.First]
	}
}

// Trim keeps a live store within a memory budget meant for the whole
// process. The store may hold a third of it: the garbage collector needs
// room for what was read but not yet freed, and a compaction briefly
// holds the old store and the new copy. Past that it is trimmed to a
// quarter, so that compactions (a pause of about 1 µs per kept message)
// are rare.
func (s *Store) Trim(budget int64, keep func(*Call) bool) *Remap {
	if budget <= 0 || s.bytes <= budget/3 {
		return nil
	}
	return s.Evict(budget/4, keep)
}
