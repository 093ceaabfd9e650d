package session

// arena keeps raw message bytes in large chunks: one allocation per
// chunk instead of one per message, and no per-message slice headers for
// the garbage collector to chase. Bytes are never modified once written,
// which is what lets Message fields be zero-copy strings.
type arena struct {
	chunk []byte
	size  int
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
