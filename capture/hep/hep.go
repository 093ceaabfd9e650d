// Package hep decodes HEP (Homer Encapsulation Protocol) packets, the
// format capture agents (captagent, heplify, Kamailio/OpenSIPS siptrace,
// FreeSWITCH) use to mirror SIP traffic to a collector.
//
// Two wire formats exist:
//
//   - HEP3, also called EEP: a "HEP3" magic, a total length and a list of
//     type-length-value chunks (HEP3 spec rev 12, sipcapture/HEP
//     docs/HEP3_rev12.pdf).
//   - HEP v1/v2: a fixed binary header with no magic and no length field,
//     followed by the captured payload up to the end of the datagram.
//     There is no written spec; the layout here is the one the encoders in
//     Kamailio siptrace (siptrace_hep.c) and captagent (core_hep.c) emit and
//     Kamailio sipcapture (hep.c, hepv2_received) decodes.
//
// Decoding does not allocate in the common path: Payload is a sub-slice of
// the input unless the packet carried a compressed payload, and the string
// fields are only allocated when the packet carries them.
//
// It imports only siplex, for the start of a SIP message.
package hep

import (
	"net/netip"
	"time"

	"github.com/sipdbg/sipdbg/siplex"
)

// MaxPayload caps a decompressed payload (chunk 16): a small compressed
// chunk can expand a thousandfold, so anything larger is rejected as a
// decompression bomb. A SIP message over UDP or TCP is far below this.
const MaxPayload = 1 << 20

// IP protocol numbers carried in HEP headers (IANA protocol numbers).
const (
	ProtoTCP  = 6
	ProtoUDP  = 17
	ProtoSCTP = 132
	// ProtoIDP (22) is what Kamailio siptrace puts in a v1/v2 header for
	// TLS, WS and WSS ("fake protocol", siptrace_hep.c pipport2su), so a
	// v2 packet with it is accepted and the number is passed through.
	ProtoIDP = 22
)

// Payload types (HEP3 chunk 11). Other values are kept as they are.
const (
	TypeSIP  = 1
	TypeRTCP = 5
	TypeLog  = 100
)

// Packet is one decoded HEP packet.
type Packet struct {
	Version     int   // 1, 2 or 3
	Proto       uint8 // IP protocol of the captured packet (6 TCP, 17 UDP, 132 SCTP)
	Src, Dst    netip.AddrPort
	Time        time.Time // zero when the packet carries no timestamp
	CaptureID   uint32
	PayloadType uint8  // HEP3 chunk 11; 1 (SIP) for v1/v2
	Payload     []byte // decompressed when the packet carried chunk 16; otherwise a sub-slice of the input
	Compressed  bool
	AuthKey     string
	AgentName   string

	CorrelationID string

	// VLAN is HEP3 chunk 18, zero when absent.
	VLAN uint16
}

// Decode decodes one HEP packet at the start of b and returns it with the
// number of bytes it used (for HEP over TCP, where packets follow each
// other in a stream). A v1/v2 packet has no length field, so it always
// uses all of b. Errors are *Error values; errors.Is tells ErrNotHEP,
// ErrTruncated (b ends before the packet does), ErrMalformed and
// ErrTooLarge apart.
func Decode(b []byte) (Packet, int, error) {
	if hasMagic(b) {
		return decodeV3(b)
	}
	if len(b) > 0 && (b[0] == 1 || b[0] == 2) {
		return decodeV2(b)
	}
	if len(b) < len(magic) && isMagicPrefix(b) {
		return Packet{}, 0, &Error{Kind: ErrTruncated, Version: 3, code: codeShort, Got: len(b), Want: hep3HeaderLen}
	}
	return Packet{}, 0, notHEP(b)
}

// Is reports whether b starts like a HEP packet: the "HEP3" magic, or a
// strictly valid v1/v2 header followed by a payload that starts like a SIP
// message. v1/v2 has no magic, so the payload test is what keeps random
// UDP traffic from passing; a caller that already knows the datagram came
// to a HEP port (9060-9063) can skip Is and call Decode, which checks the
// v1/v2 header as strictly but not the payload.
func Is(b []byte) bool {
	if hasMagic(b) {
		return len(b) < hep3HeaderLen || totalLen(b) >= hep3HeaderLen
	}
	hl, ok := v2HeaderLen(b)
	return ok && len(b) > hl && siplex.IsStartPrefix(b[hl:])
}

// Need reports, for a stream, how many bytes the packet starting at b
// needs in total (the HEP3 length field), or 0 if b is too short to tell;
// -1 when b does not start a HEP3 packet. v1/v2 packets carry no length,
// so they cannot be framed in a stream and also give -1.
func Need(b []byte) int {
	if len(b) < hep3HeaderLen {
		if isMagicPrefix(b) {
			return 0
		}
		return -1
	}
	if !hasMagic(b) {
		return -1
	}
	n := totalLen(b)
	if n < hep3HeaderLen {
		return -1
	}
	return n
}

// magic opens every HEP3 packet (HEP3 spec, packet header).
const magic = "HEP3"

func hasMagic(b []byte) bool {
	return len(b) >= 4 && b[0] == 'H' && b[1] == 'E' && b[2] == 'P' && b[3] == '3'
}

// isMagicPrefix reports whether b (shorter than a full header) could
// still grow into a HEP3 header.
func isMagicPrefix(b []byte) bool {
	for i := 0; i < len(b) && i < len(magic); i++ {
		if b[i] != magic[i] {
			return false
		}
	}
	return true
}

// totalLen reads the HEP3 total length; b must hold 6 bytes.
func totalLen(b []byte) int {
	return int(b[4])<<8 | int(b[5])
}

// unixTime turns a seconds/microseconds pair into a time.Time, treating
// an all-zero pair as "no timestamp" (encoders that have none send 0).
func unixTime(sec, usec uint32) time.Time {
	if sec == 0 && usec == 0 {
		return time.Time{}
	}
	return time.Unix(int64(sec), int64(usec)*1000).UTC()
}
