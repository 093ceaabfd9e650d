package hep

import (
	"encoding/binary"
	"net/netip"
)

// HEP v1/v2 layout, as emitted by Kamailio siptrace and captagent and read
// by Kamailio sipcapture (there is no written spec):
//
//	0  u8  version (1 or 2)
//	1  u8  hp_l: length of this header plus the address block, i.e.
//	       16 for IPv4 and 40 for IPv6; it does not count the v2 time block
//	2  u8  address family (2 AF_INET, 10 AF_INET6 as on Linux)
//	3  u8  IP protocol (6, 17, 132; Kamailio uses 22 for TLS/WS)
//	4  u16 source port, network order
//	6  u16 destination port, network order
//	8      source and destination address, 4+4 or 16+16 bytes
//	v2 only, struct hep_timehdr (12 bytes with its C padding):
//	+0 u32 seconds, little endian (Kamailio writes to_le())
//	+4 u32 microseconds, little endian
//	+8 u16 capture id, host order (little endian on every real sender)
//	+10    2 bytes of struct padding
//
// The payload runs to the end of the datagram.
const (
	v2FixedLen = 8
	v2TimeLen  = 12
	afInet     = 2
	afInet6    = 10
)

// checkV2 validates a v1/v2 header and returns its full length (including
// the v2 time block). It returns the error by value so the success path
// does not allocate.
func checkV2(b []byte) (int, Error) {
	ver := int(b[0])
	if len(b) < v2FixedLen {
		return 0, Error{Kind: ErrTruncated, Version: ver, code: codeShort, Got: len(b), Want: v2FixedLen}
	}
	var want int
	switch b[2] {
	case afInet:
		want = v2FixedLen + 8
	case afInet6:
		want = v2FixedLen + 32
	default:
		return 0, Error{Kind: ErrNotHEP, Version: ver, code: codeV2Family, Got: int(b[2])}
	}
	if int(b[1]) != want {
		return 0, Error{Kind: ErrNotHEP, Version: ver, code: codeV2HeaderLen, Got: int(b[1]), Want: want}
	}
	switch b[3] {
	case ProtoTCP, ProtoUDP, ProtoSCTP, ProtoIDP:
	default:
		return 0, Error{Kind: ErrNotHEP, Version: ver, code: codeV2Proto, Got: int(b[3])}
	}
	if ver == 2 {
		want += v2TimeLen
	}
	if len(b) < want {
		return 0, Error{Kind: ErrTruncated, Version: ver, code: codeShort, Got: len(b), Want: want}
	}
	return want, Error{}
}

// v2HeaderLen is checkV2 for callers that only need a yes or no.
func v2HeaderLen(b []byte) (int, bool) {
	if len(b) == 0 || (b[0] != 1 && b[0] != 2) {
		return 0, false
	}
	hl, e := checkV2(b)
	return hl, e.Kind == nil
}

func decodeV2(b []byte) (Packet, int, error) {
	hl, e := checkV2(b)
	if e.Kind != nil {
		err := e // declared here so only the failure path allocates
		return Packet{}, 0, &err
	}
	p := Packet{
		Version:     int(b[0]),
		Proto:       b[3],
		PayloadType: TypeSIP,
		Payload:     b[hl:],
	}
	sport := binary.BigEndian.Uint16(b[4:])
	dport := binary.BigEndian.Uint16(b[6:])
	var src, dst netip.Addr
	if b[2] == afInet {
		src = netip.AddrFrom4([4]byte(b[8:12]))
		dst = netip.AddrFrom4([4]byte(b[12:16]))
	} else {
		src = netip.AddrFrom16([16]byte(b[8:24]))
		dst = netip.AddrFrom16([16]byte(b[24:40]))
	}
	p.Src = netip.AddrPortFrom(src, sport)
	p.Dst = netip.AddrPortFrom(dst, dport)
	if p.Version == 2 {
		t := b[int(b[1]):]
		p.Time = unixTime(binary.LittleEndian.Uint32(t), binary.LittleEndian.Uint32(t[4:]))
		p.CaptureID = uint32(binary.LittleEndian.Uint16(t[8:]))
	}
	return p, len(b), nil
}
