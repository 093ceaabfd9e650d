package capture

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// A request sent to a port where nothing listens is answered, if at all,
// by an ICMP destination unreachable that quotes its first bytes (RFC 792,
// RFC 4443 §3.1): the only answer the capture holds. The decoder hands
// each such error, with the UDP datagram it quotes, to a sink that wants
// them, so that the analysis can say why a request got no SIP response.

// ICMP is one ICMP error quoting a UDP datagram.
type ICMP struct {
	Packet     int
	Time       time.Time
	From       netip.Addr // the host that sent the error
	Type, Code uint8      // ICMPv4 3/3 or ICMPv6 1/4: port unreachable
	V6         bool
	// Src and Dst are the quoted datagram's: the packet that failed.
	Src, Dst netip.AddrPort
}

// PortUnreachable reports whether the error says no process listens on
// the quoted destination port.
func (q ICMP) PortUnreachable() bool {
	return !q.V6 && q.Type == 3 && q.Code == 3 || q.V6 && q.Type == 1 && q.Code == 4
}

// ICMPSink is a Sink that also takes the ICMP errors quoting UDP.
type ICMPSink interface {
	ICMP(q ICMP)
}

// icmpQuote reads an ICMP error (v6 for ICMPv6) from from, and reports
// the UDP datagram it quotes; false when it quotes none.
func icmpQuote(b []byte, v6 bool) (typ, code uint8, src, dst netip.AddrPort, ok bool) {
	if len(b) < 8 {
		return 0, 0, src, dst, false
	}
	typ, code, q := b[0], b[1], b[8:]
	switch {
	case !v6 && (typ == 3 || typ == 11) && len(q) >= 20 && q[0]>>4 == 4:
		ihl := int(q[0]&0x0f) * 4
		if q[9] != 17 || ihl < 20 || len(q) < ihl+4 {
			return 0, 0, src, dst, false
		}
		s, d := netip.AddrFrom4([4]byte(q[12:16])), netip.AddrFrom4([4]byte(q[16:20]))
		u := q[ihl:]
		return typ, code, netip.AddrPortFrom(s, binary.BigEndian.Uint16(u[0:2])), netip.AddrPortFrom(d, binary.BigEndian.Uint16(u[2:4])), true
	case v6 && (typ == 1 || typ == 3) && len(q) >= 44 && q[0]>>4 == 6 && q[6] == 17:
		s, d := netip.AddrFrom16([16]byte(q[8:24])), netip.AddrFrom16([16]byte(q[24:40]))
		u := q[40:]
		return typ, code, netip.AddrPortFrom(s, binary.BigEndian.Uint16(u[0:2])), netip.AddrPortFrom(d, binary.BigEndian.Uint16(u[2:4])), true
	}
	return 0, 0, src, dst, false
}
