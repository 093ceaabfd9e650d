package session

import (
	"net/netip"
	"unique"
)

// arena keeps raw message bytes in large chunks: one allocation per
// chunk instead of one per message, and no per-message slice headers for
// the garbage collector to chase. Bytes are never modified once written,
// which is what lets Message fields be zero-copy strings.
type arena struct {
	chunk []byte
	size  int
	addrs map[netip.AddrPort]unique.Handle[netip.AddrPort]
}

const (
	arenaChunk = 1 << 20
	arenaLarge = 64 << 10 // messages above this get their own allocation
)

// copy returns a copy of b that lives as long as the messages using it.
func (a *arena) copy(b []byte) []byte {
	if len(b) > arenaLarge {
		a.size += len(b)
		return append([]byte(nil), b...)
	}
	if cap(a.chunk)-len(a.chunk) < len(b) {
		a.chunk = make([]byte, 0, arenaChunk)
	}
	n := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	a.size += len(b)
	return a.chunk[n:len(a.chunk):len(a.chunk)]
}

// maxAddrs bounds the addresses an arena remembers: a capture of a
// scan could otherwise hold one per packet.
const maxAddrs = 1 << 16

// addr interns an address: messages hold a handle, 8 bytes instead of 32,
// and equal addresses compare as equal handles. A local map answers the
// usual case, a handful of addresses seen again and again, faster than
// unique.Make alone.
func (a *arena) addr(ap netip.AddrPort) unique.Handle[netip.AddrPort] {
	if h, ok := a.addrs[ap]; ok {
		return h
	}
	if a.addrs == nil || len(a.addrs) >= maxAddrs {
		a.addrs = make(map[netip.AddrPort]unique.Handle[netip.AddrPort])
	}
	h := unique.Make(ap)
	a.addrs[ap] = h
	return h
}
