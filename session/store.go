// Package session is the pure core of sipdbg: SIP messages indexed from
// their raw bytes, grouped into transactions (RFC 3261 §17), dialogs
// (§12) and calls (by Call-ID). It reads no files and no clocks: sources
// in capture feed it.
//
// It imports only siplex, sipdbg's SIP lexer, which reads the lines,
// headers and values it indexes, and media, which measures RTP streams. It has its own small types for what a
// source hands it (input.go), no goroutines, no pools, no I/O.
package session

import (
	"hash/maphash"
	"net/netip"
	"unsafe"
)

// Call is every message with one Call-ID. A call seen only from its
// middle (no initial request captured) is still a call.
type Call struct {
	// Seq is the call's handle: its number in order of first message,
	// from 0. Like Message.Seq it never changes (Store.Call finds the
	// call by it), so a view holds calls by Seq through an eviction.
	Seq     int
	CallID  string
	Method  string // method of the first request, or CSeq method of the first message
	From    string
	To      string
	XCallID string
	Start   int64 // capture time of the first message, Unix ns
	// Src, Dst and Transport are the first message's, kept here so that
	// a list of a hundred thousand calls sorts by them without reading
	// every first message again.
	Src, Dst  netip.AddrPort
	Transport Transport
	End       int64
	State     State
	Msgs      []int32 // the messages' Seqs in capture order, retransmissions included
	Retrans   int
	Txs       []Transaction
	Dialogs   []Dialog
	txIndex   map[uint64]int32
	// UserAgent is the User-Agent of the call's first request (RFC 3261
	// §20.41), "" when it has none: who the client is, for advice in its
	// own words and to tell scanners from phones.
	UserAgent string
	// methodKnown is set once Method comes from an initial request
	// rather than from the CSeq of a response or an in-dialog request.
	methodKnown bool
	sawRequest  bool // the first request was looked at for UserAgent
	// StartsWithRequest: the call's first message is a request (its
	// client is Src), not a response seen without its request.
	StartsWithRequest bool
	// PrivateAddrs: a message of the call names a private address other
	// than its source (Message.PrivateReach, PrivateMedia), so the NAT
	// checks need not walk a call that has none.
	PrivateAddrs bool
	// Streams are the Seqs of the call's media streams (Store.CallStreams).
	Streams []int32
}

// Transaction is one request and its responses (RFC 3261 §17). For an
// INVITE that got a non-2xx final response, the ACK belongs to it too
// (§17.1.1.3).
type Transaction struct {
	Method string // INVITE, REGISTER, …; ACK for the ACK of a 2xx
	CSeq   uint32
	// The messages are named by their Seq (Store.Msg).
	Request int32  // first copy of the request; -1 when it was not captured
	ACK     int32  // ACK of a non-2xx final response; -1 if none
	First   int32  // first message captured, request or response: its top Via has the branch
	Final   uint16 // first final status code; 0 while none
	// Credentials: the request carries Authorization or
	// Proxy-Authorization (read without going back to the message).
	Credentials bool
	key         uint64  // txKey of the first message
	Msgs        []int32 // every message of the transaction, in order
	Response    []int32 // first copy of each distinct response
}

// Dialog is one dialog of a call, identified by its two tags (§12).
type Dialog struct {
	FromTag, ToTag string
	First          int32 // Seq of its first message
	Msgs           int
}

// Stats counts what the store holds, next to what the decoder counted.
type Stats struct {
	Messages        int
	Retransmissions int
	Calls           int
	Undecodable     int
	Evicted         Evicted // dropped by Evict to stay within a memory budget
	// Filtered is how many messages the start-up filters left out
	// (Keeper): never stored, they are in no other count.
	Filtered int
	Decoder  DecoderStats
}

// maxUndecodable bounds the records kept; the count goes on.
const maxUndecodable = 100000

// Store holds every message, call and undecodable record of a source. It
// grows incrementally, by single messages (Message) or batches.
type Store struct {
	arena       arena
	msgs        [][]Message
	calls       []*Call
	byID        map[string]int32   // Call-ID → call Seq
	byXID       map[string][]int32 // X-Call-ID → Seqs of the calls that name it
	undecodable []Undecodable
	dns         []DNS  // the capture's DNS messages, in order (see DNSLog)
	icmp        []ICMP // the capture's ICMP errors quoting UDP, in order (see ICMPLog)
	stats       Stats
	keys        arena // the strings calls keep (see keep)
	bytes       int64 // Footprint
	dense       int   // messages whose Seq is their position: all of them until an eviction, then none
	// seed seeds the transaction keys' hash (txKey): random for each
	// store, so that no capture can be made to collide.
	seed    maphash.Seed
	status  statusLines // the status lines of its messages (statusline.go)
	evicted Evicted     // what Evict dropped
	backing Backing
	media   mediaState // RTP streams and the media addresses of the calls (media.go)
	aliases Aliases    // names of endpoints, for showing (alias.go)
}

// Backing is what the bytes of a store's messages rest on, as the source
// that filled it knows (capture.Backing, given by the pipeline). The store
// hands it on and does not know why: it may be a mapped file that another
// process cuts short, or pages that should go back once read.
type Backing interface {
	// Guard runs fn, which reads messages' bytes, so that bytes lost
	// meanwhile end fn with an error rather than the process.
	Guard(fn func() error) error
	// Release says that the messages before the one whose bytes are next
	// will not be read again soon (nil: no order to go by), and that
	// what was read may go back.
	Release(next []byte)
}

const msgChunk = 4096

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{byID: make(map[string]int32), byXID: make(map[string][]int32), seed: maphash.MakeSeed()}
}

// Message indexes a framed message into the store, copying its bytes
// unless they are Stable.
func (s *Store) Message(in *Input) {
	m := newMessage(&s.arena, &s.status, in)
	s.add(&m)
}

// DNS records a DNS message of the capture: what a
// client waited for before it answered a challenge. The latest maxDNS
// are kept.
func (s *Store) DNS(q DNS) {
	if len(s.dns) >= maxDNS {
		s.dns = append(s.dns[:0], s.dns[maxDNS/2:]...)
	}
	s.dns = append(s.dns, q)
}

// maxDNS bounds the DNS messages a store keeps.
const maxDNS = 1 << 16

// DNSLog returns the DNS messages kept, in capture order.
func (s *Store) DNSLog() []DNS { return s.dns }

// Undecodable records a packet that could not be decoded.
func (s *Store) Undecodable(u Undecodable) {
	s.stats.Undecodable++
	if len(s.undecodable) < maxUndecodable {
		s.undecodable = append(s.undecodable, u)
	}
}

// SetFiltered records how many messages the start-up filters left out
// so far, for Stats.
func (s *Store) SetFiltered(n int) { s.stats.Filtered = n }

// SetDecoderStats records the decoder's counts for Stats.
func (s *Store) SetDecoderStats(d DecoderStats) { s.stats.Decoder = d }

// Builder builds messages outside a store, in its own arena, for a
// producer that hands them to a store's Add later (in batches, from
// another goroutine).
type Builder struct {
	arena  arena
	status statusLines
}

// Message builds an indexed message, copying its bytes into the
// builder's arena unless they are Stable.
func (b *Builder) Message(in *Input) Message { return newMessage(&b.arena, &b.status, in) }

// Drop gives back the arena bytes of m, the last message built, which is
// not handed to a store (a Keeper dropped it): what a filter drops takes
// no memory.
func (b *Builder) Drop(m *Message) {
	b.arena.giveBack(m.authCopy())
	b.arena.giveBack(m.Raw())
}

// newMessage builds an indexed message from a source's input, copying
// its bytes into a unless they are Stable.
func newMessage(a *arena, lines *statusLines, p *Input) Message {
	m := Message{
		Packet:    int32(p.Packet),
		TimeNs:    p.Time.UnixNano(),
		src:       a.addr(p.Src),
		dst:       a.addr(p.Dst),
		Transport: p.Transport,
		CaptureID: p.CaptureID,
	}
	if p.Stable {
		m.setRaw(p.Data) // it lies in a mapped file: no copy
	} else {
		m.setRaw(a.copy(p.Data))
	}
	if p.HEP {
		m.Flags |= FlagHEP
	}
	if p.Truncated {
		m.Flags |= FlagTruncated
	}
	if p.SrcInferred {
		m.Flags |= FlagSrcInferred
	}
	if p.DstInferred {
		m.Flags |= FlagDstInferred
	}
	if p.NoTime {
		m.Flags |= FlagNoTime
	}
	if p.Fragmented {
		m.Flags |= FlagFragmented
	}
	a.auth = a.auth[:0]
	lan := onLAN(p.Src.Addr(), p.Dst.Addr())
	index(&m, &a.auth, lan)
	if m.Flags&FlagSDP != 0 {
		m.noteSDP(lan)
	}
	if !m.IsRequest() {
		m.line = lines.id(firstLine(m.Raw()))
	}
	if p.Stable && len(a.auth) > 0 {
		m.keepAuth(a, a.auth) // the analysis reads these: see authblock.go
	}
	if p.Truncated {
		m.setErr("the capture holds only part of this message")
	}
	return m
}

// SetBacking records what the bytes of the store's messages rest on (see
// Backing). The pipeline sets it; without one, Guard just calls fn and
// Release does nothing.
func (s *Store) SetBacking(b Backing) { s.backing = b }

// Guard runs fn, which reads messages' bytes, under the backing's guard:
// a source that lost bytes meanwhile ends fn with an error. Each
// goroutine that reads bytes runs its work through Guard.
func (s *Store) Guard(fn func() error) error {
	if s.backing == nil {
		return fn()
	}
	return s.backing.Guard(fn)
}

// Release tells the backing that the messages before the one whose raw
// bytes are next will not be read again soon (nil: no order to go by):
// a reader that walks many messages (a report, a filter) calls it every
// so often, so that what it read need not stay in memory.
func (s *Store) Release(next []byte) {
	if s.backing != nil {
		s.backing.Release(next)
	}
}

// Len returns the number of messages held.
func (s *Store) Len() int { return s.stats.Messages }

// at returns the message at position i (0 ≤ i < Len) in the store.
func (s *Store) at(i int) *Message { return &s.msgs[i/msgChunk][i%msgChunk] }

// Msg returns the message whose handle is seq (Message.Seq), or nil when
// there is none: it was dropped by Evict, or never added. Until an
// eviction a handle is the message's position; after one, the messages
// kept are still in Seq order and a binary search finds it.
func (s *Store) Msg(seq int) *Message {
	if uint(seq) < uint(s.dense) {
		return &s.msgs[seq/msgChunk][seq%msgChunk] // inlined: the analysis asks for every message
	}
	return s.find(seq)
}

// find looks seq up by binary search (after an eviction).
func (s *Store) find(seq int) *Message {
	n := s.stats.Messages
	lo, hi := 0, n
	for lo < hi {
		i := int(uint(lo+hi) >> 1)
		if int(s.at(i).Seq) < seq {
			lo = i + 1
		} else {
			hi = i
		}
	}
	if lo < n && int(s.at(lo).Seq) == seq {
		return s.at(lo)
	}
	return nil
}

// Last returns the last message added, or nil when the store is empty.
func (s *Store) Last() *Message {
	if s.stats.Messages == 0 {
		return nil
	}
	return s.at(s.stats.Messages - 1)
}

// Calls returns the calls held, in order of their first message (and so
// of their Seq).
func (s *Store) Calls() []*Call { return s.calls }

// Call returns the call whose handle is seq (Call.Seq), or nil when it
// was dropped by Evict or never existed.
func (s *Store) Call(seq int) *Call {
	i := s.callPos(seq)
	if i < len(s.calls) && s.calls[i].Seq == seq {
		return s.calls[i]
	}
	return nil
}

// CallsFrom returns the calls held whose Seq is seq or later, in order:
// what a view that has looked at the calls before seq has yet to see.
func (s *Store) CallsFrom(seq int) []*Call { return s.calls[s.callPos(seq):] }

// callPos is the position of the first call whose Seq is at least seq.
func (s *Store) callPos(seq int) int {
	if s.evicted.Calls == 0 {
		return min(max(seq, 0), len(s.calls))
	}
	lo, hi := 0, len(s.calls)
	for lo < hi {
		i := int(uint(lo+hi) >> 1)
		if s.calls[i].Seq < seq {
			lo = i + 1
		} else {
			hi = i
		}
	}
	return lo
}

// Undecodables returns the records of what could not be decoded (at most
// the first 100,000; Stats counts them all).
func (s *Store) Undecodables() []Undecodable { return s.undecodable }

// Stats returns the counts.
func (s *Store) Stats() Stats {
	st := s.stats
	st.Calls = len(s.calls)
	st.Evicted = s.evicted
	return st
}

// Related returns the other calls linked to c by X-Call-ID / X-CID: the
// legs a B2BUA created for it, or the leg it was created for.
func (s *Store) Related(c *Call) []*Call {
	if c.XCallID == "" && len(s.byXID[c.CallID]) == 0 {
		return nil // most calls: no map to build (a report asks for every call)
	}
	var out []*Call
	seen := map[int32]bool{int32(c.Seq): true}
	add := func(h int32) {
		if o := s.Call(int(h)); o != nil && !seen[h] {
			seen[h] = true
			out = append(out, o)
		}
	}
	for _, i := range s.byXID[c.CallID] {
		add(i)
	}
	if c.XCallID != "" {
		if i, ok := s.byID[c.XCallID]; ok {
			add(i)
		}
		for _, i := range s.byXID[c.XCallID] {
			add(i)
		}
	}
	return out
}

// keep copies str into the store's own memory. What lasts as long as a
// call (its Call-ID, method, From and To, its transaction and dialog keys)
// must not point into a message: a message may lie in a mapped capture
// file whose pages are handed back as reading moves on, and every lookup
// would bring an old page back. The key arena makes this one copy with
// no allocation of its own.
func (s *Store) keep(str string) string {
	if str == "" {
		return ""
	}
	b := s.keys.copy(unsafe.Slice(unsafe.StringData(str), len(str)))
	return unsafe.String(&b[0], len(b))
}
