package calllist

import (
	"hash/maphash"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// headerCache keeps a header column's value per call, so that a frame
// (or a sort of a million calls) reads each message's headers once, not
// once per draw. Entries live in chunks allocated as calls are looked
// at: scrolling to the end of a big capture costs one chunk, not a slot
// for every call.
type headerCache struct {
	name   string
	seed   maphash.Seed
	chunks []*[headerChunk]headerEntry // by call index
}

const headerChunk = 1024

type headerEntry struct {
	// id is a hash of the Call-ID: an eviction renumbers the calls, and
	// an entry found under another call's Call-ID is that call's.
	id      uint64
	scanned int32 // messages of the call examined
	found   bool
	value   string
}

// get returns the header's value in the first message of c that has it,
// reading only the messages that arrived since the last look.
func (h *headerCache) get(s *session.Store, c *session.Call) string {
	i := c.Index / headerChunk
	for len(h.chunks) <= i {
		h.chunks = append(h.chunks, nil)
	}
	if h.chunks[i] == nil {
		h.chunks[i] = new([headerChunk]headerEntry)
	}
	e := &h.chunks[i][c.Index%headerChunk]
	if id := maphash.String(h.seed, c.CallID) | 1; e.id != id {
		*e = headerEntry{id: id} // | 1: never the zero of an unused entry
	}
	for ; !e.found && int(e.scanned) < len(c.Msgs); e.scanned++ {
		if v := s.Msg(int(c.Msgs[e.scanned])).Header(h.name); len(v) > 0 {
			e.found, e.value = true, printable(v[0])
		}
	}
	return e.value
}

// printable copies v (so that the cache holds no message memory, which
// an eviction frees) with control characters as spaces: a header comes
// from the network, and an escape sequence in it must not reach the
// terminal.
func printable(v string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return ' '
		}
		return r
	}, strings.Clone(v))
}
