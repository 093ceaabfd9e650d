package capture

import (
	"errors"

	"github.com/gopacket/gopacket/layers"
)

// ErrIdle is returned by a live source's Next when nothing arrived for a
// moment: not an end, a chance for the reader to hand over what it has.
var ErrIdle = errors.New("no traffic for a moment")

// Source yields frames: a capture file (Reader), a live interface, a HEP
// listener, or several of them merged.
type Source interface {
	// Next returns the next frame; io.EOF when the source ends. The
	// frame's Data is valid until the next call.
	Next() (Frame, error)
	// Progress returns bytes read and the total (-1 when unknown).
	Progress() (read, size int64)
	// Name says what the source is, for the status line.
	Name() string
	Close() error
}

// DropCounter is a source that can lose packets before reading them (a
// live interface's kernel buffer) and counts them.
type DropCounter interface {
	Drops() uint64
}

// Drops returns the drops a source (or the sources it merges) counted,
// and whether it counts them at all.
func Drops(s Source) (uint64, bool) {
	if d, ok := s.(DropCounter); ok {
		return d.Drops(), true
	}
	return 0, false
}

// RingHolder is a source that holds memory outside the Go heap for its
// life (a live interface's capture ring).
type RingHolder interface {
	RingBytes() int64
}

// Rings returns the memory a source (or the sources it merges) holds in
// capture rings, for a memory budget to count.
func Rings(s Source) int64 {
	if r, ok := s.(RingHolder); ok {
		return r.RingBytes()
	}
	return 0
}

// RefusedCounter is a source that turns packets away on purpose (a HEP
// listener with a password) and counts them.
type RefusedCounter interface {
	Refused() uint64
}

// Refused returns the packets a source (or the sources it merges)
// refused.
func Refused(s Source) uint64 {
	if r, ok := s.(RefusedCounter); ok {
		return r.Refused()
	}
	return 0
}

// LinkTypeHEP marks frames whose data is one HEP packet (as a HEP
// listener receives them) rather than a link-layer frame. The value is
// outside the range tcpdump.org assigns.
const LinkTypeHEP layers.LinkType = 0xfff0

// LinkTypeSIP marks frames whose data is one whole SIP message as a source
// that is not a capture found it (a text trace): no link, IP or transport
// header to decode, the addresses and transport in Frame.SIP. The value
// is outside the range tcpdump.org assigns.
const LinkTypeSIP layers.LinkType = 0xfff1
