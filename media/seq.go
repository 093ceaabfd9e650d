package media

// seqState extends 16-bit sequence numbers and remembers which of the
// last 128 were received, which is all duplicate detection needs: RFC
// 3550 A.1 judges a packet against the highest sequence number so far,
// and a copy arriving more than 128 packets late is rare enough to be
// counted as a late packet instead.
type seqState struct {
	base, max int64     // extended sequence numbers of the first packet and the highest
	win       [2]uint64 // bit i: max-i was received
}

func (q *seqState) init(seq uint16) {
	q.base, q.max = int64(seq), int64(seq)
	q.win = [2]uint64{1, 0}
}

// add accounts for sequence number seq and returns how many numbers it
// skipped ahead of the highest one (0 for the successor), or -1 when it
// is not ahead: late, reordered or a duplicate. The difference from the
// highest is taken as a signed 16-bit number, so 65535 → 0 is a step of
// one and the count of cycles of RFC 3550 A.1 is implicit in max.
func (q *seqState) add(seq uint16, sm *Summary) int {
	d := int64(int16(seq - uint16(q.max)))
	if d > 0 {
		if d > 1 {
			sm.SeqErrors++
		}
		q.shift(d)
		q.max += d
		q.win[0] |= 1
		return int(d - 1)
	}
	sm.SeqErrors++
	age := -d
	if age >= 128 {
		return -1
	}
	w, bit := &q.win[age/64], uint64(1)<<(age%64)
	if *w&bit != 0 {
		sm.Duplicates++
	}
	*w |= bit
	return -1
}

// shift moves the window n places towards higher numbers.
func (q *seqState) shift(n int64) {
	switch {
	case n >= 128:
		q.win = [2]uint64{}
	case n >= 64:
		q.win = [2]uint64{0, q.win[0] << (n - 64)}
	default:
		q.win = [2]uint64{q.win[0] << n, q.win[1]<<n | q.win[0]>>(64-n)}
	}
}

// tsState extends 32-bit RTP timestamps and keeps the reference that
// jitter and the timestamp-jump check measure against.
type tsState struct {
	last   uint32
	ext    int64   // extended timestamp of the latest packet
	first  int64   // extended timestamp of the stream's first packet
	refTS  int64   // extended timestamp of the last in-order packet with a clock
	refHz  int     // and that clock
	refArr float64 // arrival of the last in-order packet, ms since the first

	seqTS int64 // extended timestamp of the packet with the highest sequence number
	seqPT uint8
	frame int64 // timestamp advance of one packet of seqPT, 0 until seen
}

func (t *tsState) init(ts uint32, pt uint8) {
	*t = tsState{last: ts, ext: int64(ts), first: int64(ts), refTS: int64(ts), seqTS: int64(ts), seqPT: pt}
}

// inTime extends ts against the previous packet's (a signed 32-bit
// difference: RFC 3550 §5.1 timestamps wrap) and reports whether it is
// not older than the stream's first packet, which is how Wireshark 4.0
// tells a packet "in timestamp sequence". One that is older belongs to
// before the stream began (or to another clock), so it is not measured.
func (t *tsState) inTime(ts uint32) bool {
	t.ext += int64(int32(ts - t.last))
	t.last = ts
	return t.ext >= t.first
}

// advance follows a packet that raised the highest sequence number by
// k and reports a timestamp jump if judge is set. RFC 3550 §5.1 has the
// timestamp grow by the sampling instants a packet covers, so between
// packets of one payload type it grows by a whole number of frames: a
// jump is a decrease, an advance that is not a multiple of the frame
// (learnt from the first one-step advance of that type), or one smaller
// than the k frames the sequence numbers moved. An equal timestamp is
// allowed (several packets of one video frame, §5.1), and so is a
// larger multiple (silence suppressed without the marker bit). The
// check is meant for audio: video frames need not be evenly spaced.
func (t *tsState) advance(pt uint8, k int64, judge bool) bool {
	d := t.ext - t.seqTS
	samePT := pt == t.seqPT
	t.seqTS, t.seqPT = t.ext, pt
	if !samePT {
		t.frame = 0
		return false
	}
	if !judge || d == 0 {
		return false
	}
	if t.frame == 0 {
		if k == 1 && d > 0 {
			t.frame = d
		}
		return d < 0
	}
	return d < 0 || d%t.frame != 0 || d < k*t.frame
}
