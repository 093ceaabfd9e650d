package session

import (
	"net/netip"
	"unique"
	"unsafe"
)

// arena keeps raw message bytes in large chunks: one allocation per
// chunk instead of one per message, and no per-message slice headers for
// the garbage collector to chase. Bytes are never modified once written,
// which is what lets Message fields be zero-copy strings.
type arena struct {
	chunk []byte
	size  int
	addrs map[uint64]unique.Handle[netip.AddrPort] // IPv4 addresses interned (addr)
	// scratch is where an auth block is put together before its copy,
	// from the lines index found (auth).
	scratch []byte
	auth    []lineRange
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

// giveBack takes back b when it is the last copy made in the current
// chunk (Builder.Drop); anything else stays.
func (a *arena) giveBack(b []byte) {
	n := len(a.chunk) - len(b)
	if len(b) == 0 || n < 0 || unsafe.SliceData(a.chunk[n:]) != unsafe.SliceData(b) {
		return
	}
	a.chunk = a.chunk[:n]
	a.size -= len(b)
}

// maxAddrs bounds the addresses an arena remembers: a capture of a
// scan could otherwise hold one per packet.
const maxAddrs = 1 << 18

// addr interns an address: messages hold a handle, 8 bytes instead of 32,
// and equal addresses compare as equal handles. unique.Make takes about
// 100 ns, twice per message; an IPv4 address and port make an 8-byte
// key, looked up in a map several times faster than the 32-byte
// netip.AddrPort (a capture of a busy server has tens of thousands).
func (a *arena) addr(ap netip.AddrPort) unique.Handle[netip.AddrPort] {
	if !ap.Addr().Is4() {
		return unique.Make(ap)
	}
	b := ap.Addr().As4()
	k := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(ap.Port())
	if h, ok := a.addrs[k]; ok {
		return h
	}
	if a.addrs == nil || len(a.addrs) >= maxAddrs {
		a.addrs = make(map[uint64]unique.Handle[netip.AddrPort])
	}
	h := unique.Make(ap)
	a.addrs[k] = h
	return h
}
