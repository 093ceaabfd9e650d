package capture

import (
	"net/netip"
	"time"
)

// Media travels beside the signalling: RTP and RTCP (RFC 3550) in UDP
// datagrams between the addresses the session descriptions name. The
// decoder does not judge them; it hands every UDP payload that could be
// one (version 2 in its first two bits, §5.1) to a sink that wants them,
// and the statistics are kept where the calls are known.

// Datagram is a UDP payload that is neither SIP, DNS, HEP nor a tunnel.
type Datagram struct {
	Packet   int
	Time     time.Time
	Src, Dst netip.AddrPort
	// Data is the payload; it is valid only during the sink's call.
	Data []byte
}

// DatagramSink is a Sink that also takes the datagrams that may be RTP
// or RTCP.
type DatagramSink interface {
	Datagram(d *Datagram)
}

// media reports pl to a DatagramSink when its first byte says RTP
// version 2 (RFC 3550 §5.1, §6.4.1: RTCP's too). It reports whether it
// did.
func (d *Decoder) media(src, dst netip.AddrPort, pl []byte) bool {
	if d.dgram == nil || len(pl) < 8 || pl[0]>>6 != 2 {
		return false
	}
	d.stats.NonSIP++
	d.stats.Media++
	d.dgOut = Datagram{Packet: d.frame.Num, Time: d.frame.Time, Src: src, Dst: dst, Data: pl}
	d.dgram.Datagram(&d.dgOut)
	return true
}
