package media

import "time"

// Summary is what Stats reports of a stream.
type Summary struct {
	SSRC        uint32
	PT          uint8   // payload type of the first packet
	PTs         []uint8 // distinct payload types in order of appearance
	Packets     int
	Bytes       int // payload bytes
	First, Last time.Time

	// Expected is the extended highest sequence number less the first
	// one plus one; Lost is Expected less the packets received (RFC 3550
	// §6.4.1 and A.3): negative when duplicates outnumber losses.
	Expected, Lost int
	// SeqErrors counts packets whose sequence number is not the
	// successor of the highest so far (a jump ahead, a late packet or a
	// duplicate), as Wireshark's "Wrong sequence number" does.
	SeqErrors  int
	Duplicates int // sequence numbers seen twice within the last 128

	// MaxDelta is the largest arrival gap before a packet that is a
	// regular one of the stream (see regular); MaxDeltaAt is that
	// packet's number in the stream (1-based) and MaxDeltaTime its time.
	MaxDelta     time.Duration
	MaxDeltaAt   int
	MaxDeltaTime time.Time

	// Interarrival jitter in milliseconds (RFC 3550 §6.4.1, A.8), and its
	// mean and maximum over the regular packets. Zero without a clock.
	Jitter, MeanJitter, MaxJitter float64

	Markers int
	// TSJumps counts in-order packets whose timestamp advance is not a
	// whole number of frames at least as large as the sequence advance
	// (see tsState.advance).
	TSJumps int

	Seconds []Second // one per second since First
	DTMF    []Digit
}

// Second is one second of a stream, counted from Summary.First. It is
// 12 bytes so that an hour of stream costs 43 kB.
type Second struct {
	Packets   uint32
	Lost      uint32  // sequence numbers skipped by jumps ahead in this second
	MaxJitter float32 // ms, over the regular packets of this second
}
