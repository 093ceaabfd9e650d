package capture

import (
	"encoding/binary"
	"net/netip"
	"unsafe"

	"github.com/sipdbg/sipdbg/siplex"
)

// Well-known ports of encapsulations carried in UDP.
const (
	portGTPU  = 2152 // 3GPP TS 29.281
	portVXLAN = 4789 // RFC 7348
)

func (d *Decoder) udp(src, dst netip.Addr, b []byte, depth int) {
	if len(b) < 8 {
		d.bad("UDP header truncated")
		return
	}
	sp, dp := binary.BigEndian.Uint16(b[0:2]), binary.BigEndian.Uint16(b[2:4])
	ulen := int(binary.BigEndian.Uint16(b[4:6]))
	switch {
	case ulen == 0 || ulen > len(b): // jumbogram, offload, or cut by snap length
		if ulen > len(b) {
			d.trunc = true
		}
		ulen = len(b)
	case ulen < 8:
		d.bad("UDP length field is less than its header")
		return
	}
	pl := b[8:ulen]
	if siplex.IsStart(skipCRLF(pl)) { // SIP first: a UA may well sit on 2152 or 4789
		d.datagram(netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp), UDP, pl)
		return
	}
	if (sp == portGTPU || dp == portGTPU) && d.gtpU(pl, depth) {
		return
	}
	if (sp == portVXLAN || dp == portVXLAN) && d.vxlan(pl, depth) {
		return
	}
	if d.hepDatagram(pl) {
		return
	}
	if d.dns(netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp), pl) {
		return
	}
	if d.media(netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp), pl) {
		return
	}
	d.datagram(netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp), UDP, pl)
}

// datagram handles a payload that carries at most one SIP message (UDP,
// RFC 3261 §18.1.1, and SCTP DATA chunks): the message is the whole
// payload, whatever its Content-Length says.
func (d *Decoder) datagram(src, dst netip.AddrPort, tr Transport, pl []byte) {
	msg := skipCRLF(pl)
	if len(msg) == 0 {
		d.stats.Keepalives++
		return
	}
	if !siplex.IsStart(msg) {
		d.notSIP(src, dst, msg)
		return
	}
	d.emit(src, dst, tr, msg, d.trunc)
}

// notSIP records a payload that is not SIP. On a SIP port a text payload
// is worth a record (a damaged message, junk before a start line); binary
// ones (STUN keep-alives, RTP on a reused port) are only counted.
func (d *Decoder) notSIP(src, dst netip.AddrPort, msg []byte) {
	d.stats.NonSIP++
	if isSIPPort(src.Port()) || isSIPPort(dst.Port()) {
		if looksText(msg) || (len(msg) >= 3 && siplex.IsAlpha(msg[0]) && siplex.IsAlpha(msg[1]) && siplex.IsAlpha(msg[2])) {
			d.bad("payload " + src.String() + " → " + dst.String() + " on a SIP port does not start with a SIP request or status line")
		}
	}
}

func isSIPPort(p uint16) bool { return p == 5060 || p == 5061 }

func looksText(b []byte) bool {
	n := min(len(b), 64)
	if n < 8 {
		return false
	}
	for _, c := range b[:n] {
		if c < 0x09 || (c > 0x0d && c < 0x20) || c >= 0x7f {
			return false
		}
	}
	return true
}

func (d *Decoder) emit(src, dst netip.AddrPort, tr Transport, msg []byte, trunc bool) {
	d.stats.SIPMessages++
	d.out = Payload{Packet: d.frame.Num, Time: d.frame.Time, Src: src, Dst: dst, Transport: tr, Data: msg, Truncated: trunc, Meta: d.frame.Meta,
		Stable: d.frame.Stable && inside(msg, d.frame.Data), Fragmented: d.defrag}
	d.sink.Message(&d.out)
}

// inside reports whether b is a slice of frame: a message reassembled
// from fragments or segments is a copy, not a slice of the mapped file.
func inside(b, frame []byte) bool {
	if len(b) == 0 || len(frame) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(frame)))
	return p >= lo && p+uintptr(len(b)) <= lo+uintptr(len(frame))
}
