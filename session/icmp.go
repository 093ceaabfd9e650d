package session

import (
	"net/netip"
	"time"
)

// ICMP is an ICMP error of the capture that quotes a UDP datagram
// (capture.ICMP, converted by the pipeline): the only answer a request
// sent to a closed port gets (RFC 792; RFC 4443 §3.1).
type ICMP struct {
	Packet     int
	Time       time.Time
	From       netip.Addr
	Type, Code uint8
	V6         bool
	Src, Dst   netip.AddrPort // the quoted datagram's
}

// PortUnreachable reports whether the error says nothing listens on the
// quoted destination port (ICMPv4 3/3, ICMPv6 1/4).
func (q *ICMP) PortUnreachable() bool {
	return !q.V6 && q.Type == 3 && q.Code == 3 || q.V6 && q.Type == 1 && q.Code == 4
}

// maxICMP bounds the ICMP errors a store keeps.
const maxICMP = 1 << 14

// ICMP records an ICMP error; the latest maxICMP are kept.
func (s *Store) ICMP(q ICMP) {
	if len(s.icmp) >= maxICMP {
		s.icmp = append(s.icmp[:0], s.icmp[maxICMP/2:]...)
	}
	s.icmp = append(s.icmp, q)
}

// ICMPLog returns the ICMP errors kept, in capture order.
func (s *Store) ICMPLog() []ICMP { return s.icmp }
