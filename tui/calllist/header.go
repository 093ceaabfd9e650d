package calllist

import (
	"strings"

	"github.com/sipdbg/sipdbg/analysis"

	"github.com/sipdbg/sipdbg/session"
)

// headerCache keeps a header column's value per call, so that a frame
// (or a sort of a million calls) reads each message's headers once, not
// once per draw. Entries live in chunks by call Seq, allocated as calls
// are looked at: scrolling to the end of a big capture costs one chunk,
// not a slot for every call. A Seq names one call for good, so an entry
// never needs to check whose it is; an eviction frees the chunks of
// calls that are gone (forget).
type headerCache struct {
	name   string
	chunks []*[headerChunk]headerEntry // by call Seq / headerChunk
}

const headerChunk = 1024

type headerEntry struct {
	scanned int32 // messages of the call examined
	streams int32 // streams of the call examined (Codec, Media)
	found   bool
	value   string
}

// get returns the header's value in the first message of c that has it,
// reading only the messages that arrived since the last look.
func (h *headerCache) get(s *session.Store, c *session.Call) string {
	e := h.entry(c)
	for ; !e.found && int(e.scanned) < len(c.Msgs); e.scanned++ {
		if v := s.Msg(int(c.Msgs[e.scanned])).Header(h.name); len(v) > 0 {
			e.found, e.value = true, printable(v[0])
		}
	}
	return e.value
}

// codec returns the call's codec: its first RTP stream's, else the one
// its session descriptions settled on (analysis.CallCodec); looked up
// again only when the call or its streams have grown since.
func (h *headerCache) codec(s *session.Store, c *session.Call) string {
	e := h.entry(c)
	if !e.found || int(e.scanned) != len(c.Msgs) || int(e.streams) != len(c.Streams) {
		e.value = streamCodec(s, c)
		if e.value == "" {
			e.value = analysis.CallCodec(s, c)
		}
		e.scanned, e.streams, e.found = int32(len(c.Msgs)), int32(len(c.Streams)), true
	}
	return e.value
}

// entry is the cache entry of call c.
func (h *headerCache) entry(c *session.Call) *headerEntry {
	i := c.Seq / headerChunk
	for len(h.chunks) <= i {
		h.chunks = append(h.chunks, nil)
	}
	if h.chunks[i] == nil {
		h.chunks[i] = new([headerChunk]headerEntry)
	}
	return &h.chunks[i][c.Seq%headerChunk]
}

// forget frees the chunks that hold no call the store still has: a live
// capture goes on for days, and its Seqs with it.
func (h *headerCache) forget(s *session.Store) {
	used := make(map[int]bool, len(h.chunks))
	for _, c := range s.Calls() {
		used[c.Seq/headerChunk] = true
	}
	for i := range h.chunks {
		if !used[i] {
			h.chunks[i] = nil
		}
	}
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
