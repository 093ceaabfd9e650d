// Package media measures RTP and RTCP streams: loss, jitter, DTMF, the
// reports the endpoints exchange and an estimated MOS. It is a leaf of
// pure functions: it imports only the standard library and pion's packet
// formats, never the session or the capture.
package media

import (
	"encoding/binary"
	"time"

	"github.com/pion/rtp"
)

// Packet is what the statistics keep of one RTP packet: its arrival time
// and fixed header (RFC 3550 §5.1), the payload's size, and its first
// four bytes, which are the whole event of an RFC 4733 telephone-event
// packet (§2.3). It holds no slice, so a batch of them points into no
// capture buffer.
type Packet struct {
	Time   time.Time
	SSRC   uint32
	TS     uint32
	Seq    uint16
	PT     uint8
	Marker bool
	Size   int     // payload bytes: after header, CSRCs and extension, before padding
	Head   [4]byte // the payload's first bytes (zero past Size)
}

// ParseRTP reads b as an RTP packet. It reports false for what cannot be
// one: version other than 2, a header longer than b, padding longer than
// the payload, or a payload type in 72–76 (RFC 5761 §4: those values of
// the second byte are RTCP's SR, RR, SDES, BYE and APP sharing the port).
func ParseRTP(b []byte) (Packet, bool) {
	if len(b) < 12 || b[0]>>6 != 2 {
		return Packet{}, false
	}
	if pt := b[1] & 0x7f; pt >= 72 && pt <= 76 {
		return Packet{}, false
	}
	if b[0]&0x3f == 0 { // no padding, extension or CSRC: the fixed header alone (§5.1), read in place
		p := Packet{Marker: b[1]&0x80 != 0, PT: b[1] & 0x7f, Seq: binary.BigEndian.Uint16(b[2:4]),
			TS: binary.BigEndian.Uint32(b[4:8]), SSRC: binary.BigEndian.Uint32(b[8:12]), Size: len(b) - 12}
		copy(p.Head[:], b[12:])
		return p, true
	}
	var h rtp.Header
	n, err := h.Unmarshal(b)
	if err != nil || n > len(b) {
		return Packet{}, false
	}
	end := len(b)
	if h.Padding {
		pad := int(b[len(b)-1])
		if pad == 0 || n+pad > len(b) {
			return Packet{}, false
		}
		end -= pad
	}
	p := Packet{SSRC: h.SSRC, TS: h.Timestamp, Seq: h.SequenceNumber, PT: h.PayloadType, Marker: h.Marker, Size: end - n}
	copy(p.Head[:], b[n:end])
	return p, true
}

// IsRTCP reports whether b starts like an RTCP compound packet: version
// 2 and a first packet type of 200–207 (RFC 3550 §6.4, RFC 3611 §2:
// SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR).
func IsRTCP(b []byte) bool {
	return len(b) >= 8 && b[0]>>6 == 2 && b[1] >= 200 && b[1] <= 207
}
