package media

import (
	"strconv"
	"time"
)

// Digit is one RFC 4733 telephone event of a stream.
type Digit struct {
	Digit    string // "0"–"9", "*", "#", "A"–"D", "flash", or the event code
	Event    uint8  // event code (RFC 4733 §3.2 table 3 for DTMF)
	Volume   uint8  // power level in −dBm0 (§2.3.4): 10 is −10 dBm0
	Start    time.Time
	Duration time.Duration // from the duration field of its last packet (§2.3.5)
	Ended    bool          // an end packet (E bit, §2.3.3) arrived
	Packets  int           // packets of the event, end retransmissions included
}

// maxDigits bounds the events kept: garbage with a new timestamp in
// every packet must not cost memory per packet.
const maxDigits = 4096

// dtmfState follows the events of a stream. An event is its packets
// that share one RTP timestamp, the instant it began (RFC 4733
// §2.5.1.2–§2.5.1.3): updates during the event and its end packet,
// which is sent three times (§2.5.1.4), all carry that timestamp, so
// they make one Digit. An event longer than the 16-bit duration field
// goes on in segments with new timestamps (§2.5.2.2); a segment that
// starts where the previous unended one of the same code stopped is
// folded into it.
type dtmfState struct {
	list []dtmfEvent
}

type dtmfEvent struct {
	ts      uint32
	base    uint32 // duration of earlier segments, timestamp units
	dur     uint16
	code    uint8
	volume  uint8
	ended   bool
	packets int
	start   time.Time
}

// event decodes the 4-byte payload of §2.3 from p.Head.
func (s *Stats) event(p Packet) {
	if p.Size < 4 {
		return
	}
	code, end := p.Head[0], p.Head[1]&0x80 != 0
	vol, dur := p.Head[1]&0x3f, uint16(p.Head[2])<<8|uint16(p.Head[3])
	l := s.dtmf.list
	if n := len(l); n > 0 && l[n-1].code == code {
		e := &l[n-1]
		switch {
		case e.ts == p.TS:
			e.packets++
			e.dur = max(e.dur, dur)
			e.ended = e.ended || end
			return
		case !e.ended && p.TS == e.ts+uint32(e.dur):
			e.base += uint32(e.dur)
			e.ts, e.dur, e.ended = p.TS, dur, end
			e.packets++
			return
		}
	}
	if len(l) >= maxDigits {
		return
	}
	s.dtmf.list = append(l, dtmfEvent{ts: p.TS, dur: dur, code: code, volume: vol, ended: end, packets: 1, start: p.Time})
}

// digits converts the events with the event clock hz.
func (d *dtmfState) digits(hz int) []Digit {
	if len(d.list) == 0 {
		return nil
	}
	if hz <= 0 {
		hz = 8000
	}
	out := make([]Digit, len(d.list))
	for i, e := range d.list {
		units := time.Duration(e.base) + time.Duration(e.dur)
		out[i] = Digit{
			Digit: EventName(e.code), Event: e.code, Volume: e.volume,
			Start: e.start, Duration: units * time.Second / time.Duration(hz),
			Ended: e.ended, Packets: e.packets,
		}
	}
	return out
}

// EventName names an RFC 4733 event code: §3.2 table 3 gives 0–9, *,
// #, A–D and flash the codes 0–16; others are shown as their number.
func EventName(code uint8) string {
	switch {
	case code <= 9:
		return string(rune('0' + code))
	case code == 10:
		return "*"
	case code == 11:
		return "#"
	case code <= 15:
		return string(rune('A' + code - 12))
	case code == 16:
		return "flash"
	}
	return strconv.Itoa(int(code))
}
