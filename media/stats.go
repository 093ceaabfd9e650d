package media

import (
	"time"
)

// Stats accumulates the statistics of one RTP stream (one SSRC between
// two transport addresses) packet by packet. It keeps counters, a
// 128-packet window for duplicates and one small bucket per second of
// stream, never the packets: memory grows with the stream's duration
// (12 bytes a second) and its DTMF events, not with its packet count.
//
// The numbers follow RFC 3550 and are computed the way Wireshark 4.0's
// RTP stream analysis (tshark -z rtp,streams) computes them, so that the
// two agree on the same capture (tshark_test.go checks it on every
// shared capture). The deliberate differences, none of which shows in
// those captures:
//   - Expected counts to the highest sequence number (RFC 3550 A.3);
//     Wireshark counts to the last packet's, so a reordered last packet
//     changes its loss and not ours.
//   - A timestamp step is converted with the exact clock; Wireshark
//     divides by clock/1000 in integers (44 for L16's 44100 Hz).
//   - Across a change of clock rate on one SSRC jitter is not updated
//     (see updateJitter).
type Stats struct {
	clock   int      // Hz of the stream's codec for dynamic types; 0 = unknown
	clocks  []ptRate // per payload type overrides (SetClock)
	eventPT int      // telephone-event payload type, -1 when none
	eventHz int

	started  bool
	summary  Summary // counters kept as they will be reported
	pt       uint8   // payload type of the previous packet
	lastRate int     // cache of rate(lastRatePT)
	ratePT   int

	seq      seqState
	ts       tsState
	jitter   float64 // J(i), milliseconds
	meanJit  float64
	dtmf     dtmfState
	maxDelta float64 // milliseconds
}

type ptRate struct {
	pt uint8
	hz int
}

// maxSeconds bounds the buckets: a capture whose clock jumps by years
// must not allocate one per second of the jump. Packets past a day fall
// into the last bucket.
const maxSeconds = 24 * 3600

// NewStats returns the statistics of a stream whose codec ticks at clock
// Hz, which is used for the dynamic payload types (96–127, RFC 3551 §3)
// not given a rate by SetClock. The static types use their RFC 3551 §6
// rate. With clock 0 a dynamic type has no jitter.
func NewStats(clock int) *Stats {
	return &Stats{clock: clock, eventPT: -1, ratePT: -1}
}

// SetClock gives the clock rate of one payload type, as an SDP rtpmap
// does for a dynamic one (see ClockRate).
func (s *Stats) SetClock(pt uint8, hz int) {
	for i := range s.clocks {
		if s.clocks[i].pt == pt {
			s.clocks[i].hz = hz
			s.ratePT = -1
			return
		}
	}
	s.clocks = append(s.clocks, ptRate{pt, hz})
	s.ratePT = -1
}

// SetEventPT tells which payload type carries RFC 4733 telephone
// events, and its clock (0 means 8000, the rate nearly every SDP
// gives it; RFC 4733 §2.1 lets it differ). Those packets are decoded as
// DTMF and left out of the jitter: an event's packets all carry the
// timestamp of its start (§2.5.1.2), so their transit time says nothing.
func (s *Stats) SetEventPT(pt uint8, clock int) {
	if clock <= 0 {
		clock = 8000
	}
	s.eventPT, s.eventHz, s.ratePT = int(pt), clock, -1
}

// rate is the clock that jitter uses for payload type pt: 0 for
// telephone events and unknown types.
func (s *Stats) rate(pt uint8) int {
	if int(pt) == s.ratePT {
		return s.lastRate
	}
	hz := 0
	switch {
	case int(pt) == s.eventPT:
	case s.override(pt) > 0:
		hz = s.override(pt)
	case pt < 96:
		if c, ok := StaticCodec(pt); ok {
			hz = c.Clock
		}
	default:
		hz = s.clock
	}
	s.ratePT, s.lastRate = int(pt), hz
	return hz
}

func (s *Stats) override(pt uint8) int {
	for _, c := range s.clocks {
		if c.pt == pt {
			return c.hz
		}
	}
	return 0
}

// Add accounts for one packet of the stream, in capture order.
func (s *Stats) Add(p Packet) {
	sm := &s.summary
	if !s.started {
		s.start(p)
		return
	}
	sm.Packets++
	sm.Bytes += p.Size
	sm.Last = p.Time
	s.notePT(p.PT)
	if p.Marker {
		sm.Markers++
	}
	sec := s.second(p.Time)
	sec.Packets++
	gap := s.seq.add(p.Seq, sm)
	sec.Lost += uint32(gap)

	inTime := s.ts.inTime(p.TS)
	arr := float64(p.Time.Sub(sm.First)) / float64(time.Millisecond)
	hz := s.rate(p.PT)
	delta := arr - s.ts.refArr
	if inTime && hz != 0 && (hz == s.ts.refHz || s.ts.refHz == 0) {
		s.updateJitter(delta, hz)
	}
	if s.regular(p, inTime) {
		s.regularPacket(p, delta, hz, sec)
	}
	if gap >= 0 {
		judge := hz != 0 && !isComfortNoise(p.PT) && !p.Marker
		if s.ts.advance(p.PT, int64(gap)+1, judge) {
			sm.TSJumps++
		}
	}
	if inTime {
		s.ts.refArr = arr
		if hz != 0 {
			s.ts.refTS, s.ts.refHz = s.ts.ext, hz
		}
	}
	s.pt = p.PT
	if int(p.PT) == s.eventPT {
		s.event(p)
	}
}

// updateJitter applies RFC 3550 §6.4.1: J(i) = J(i-1) +
// (|D(i-1,i)| - J(i-1))/16, with D the arrival spacing less the
// timestamp spacing, in milliseconds. Like Wireshark, the arrival is
// measured from the last packet in order of any type, but the timestamp
// from the last one with a clock: a telephone event's timestamp is its
// start (RFC 4733 §2.5.1.2), not its sending time, so it is no reference.
// Deliberate difference: where the clock rate changes (a payload type of
// another rate on the same SSRC), Wireshark divides the timestamp step
// by the new rate; RFC 3550 §5.1 makes the rate per payload format, so a
// step across the change measures nothing, and Stats only takes the
// packet as the new reference.
func (s *Stats) updateJitter(delta float64, hz int) {
	d := delta - float64(s.ts.ext-s.ts.refTS)*1000/float64(hz)
	if d < 0 {
		d = -d
	}
	s.jitter += (d - s.jitter) / 16
	s.summary.Jitter = s.jitter
}

// start takes the first packet: it is the reference of every other, so
// it has no delta and no jitter (RFC 3550 A.8 starts J at 0).
func (s *Stats) start(p Packet) {
	sm := &s.summary
	s.started = true
	sm.SSRC, sm.PT = p.SSRC, p.PT
	sm.Packets, sm.Bytes = 1, p.Size
	sm.First, sm.Last = p.Time, p.Time
	s.notePT(p.PT)
	if p.Marker {
		sm.Markers++
	}
	s.second(p.Time).Packets++
	s.seq.init(p.Seq)
	s.ts.init(p.TS, p.PT)
	s.ts.refHz = s.rate(p.PT)
	s.pt = p.PT
	if int(p.PT) == s.eventPT {
		s.event(p)
	}
}

// regular tells whether a packet's arrival gap and jitter count in the
// maxima and the mean. As Wireshark does, it leaves out the first
// packet, a packet with the marker bit (the start of a talkspurt after
// silence, RFC 3551 §4.1, comes after a gap by design), comfort noise
// and the packet after it (RFC 3389 §4: CN is sent only when the noise
// changes), and a packet whose timestamp is older than the last one in
// order (a late packet: its gap is not the network's spacing).
func (s *Stats) regular(p Packet, inTime bool) bool {
	return inTime && !p.Marker && !isComfortNoise(p.PT) && !isComfortNoise(s.pt)
}

func (s *Stats) regularPacket(p Packet, delta float64, hz int, sec *Second) {
	sm := &s.summary
	if delta > s.maxDelta {
		s.maxDelta = delta
		sm.MaxDelta = time.Duration(delta * float64(time.Millisecond))
		sm.MaxDeltaAt, sm.MaxDeltaTime = sm.Packets, p.Time
	}
	if hz == 0 {
		return
	}
	if s.jitter > sm.MaxJitter {
		sm.MaxJitter = s.jitter
	}
	if float32(s.jitter) > sec.MaxJitter {
		sec.MaxJitter = float32(s.jitter)
	}
	// Wireshark's running mean divides by the packets before this one,
	// irregular ones included; keeping its weights keeps its figure.
	n := float64(sm.Packets - 1)
	s.meanJit = (s.meanJit*(n-1) + s.jitter) / n
	sm.MeanJitter = s.meanJit
}

func (s *Stats) notePT(pt uint8) {
	for _, seen := range s.summary.PTs {
		if seen == pt {
			return
		}
	}
	if len(s.summary.PTs) < 128 {
		s.summary.PTs = append(s.summary.PTs, pt)
	}
}

// second returns the bucket of time t, appending empty ones up to it.
func (s *Stats) second(t time.Time) *Second {
	i := int(t.Sub(s.summary.First) / time.Second)
	if i < 0 {
		i = 0
	}
	if i >= maxSeconds {
		i = maxSeconds - 1
	}
	for len(s.summary.Seconds) <= i {
		s.summary.Seconds = append(s.summary.Seconds, Second{})
	}
	return &s.summary.Seconds[i]
}

// Summary returns the statistics so far. Its slices are copies.
func (s *Stats) Summary() Summary {
	sm := s.summary
	sm.Expected = int(s.seq.max - s.seq.base + 1)
	if !s.started {
		sm.Expected = 0
	}
	sm.Lost = sm.Expected - sm.Packets
	sm.PTs = append([]uint8(nil), sm.PTs...)
	sm.Seconds = append([]Second(nil), sm.Seconds...)
	sm.DTMF = s.dtmf.digits(s.eventHz)
	return sm
}
