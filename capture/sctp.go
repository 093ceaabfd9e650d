package capture

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// sctp decodes the DATA chunks of an SCTP packet (RFC 9260 §3.3.1). A SIP
// message fills one user message (RFC 4168 §5); a user message split over
// several chunks (B and E flags, §6.9) is put together per stream,
// assuming the chunks arrive in order, as they do on one capture point.
func (d *Decoder) sctp(src, dst netip.Addr, b []byte) {
	if len(b) < 12 {
		d.bad("SCTP common header truncated")
		return
	}
	s := netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:2]))
	t := netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:4]))
	for c := b[12:]; len(c) >= 4; {
		typ, flags := c[0], c[1]
		l := int(binary.BigEndian.Uint16(c[2:4]))
		if l < 4 || l > len(c) {
			d.bad("SCTP chunk length " + strconv.Itoa(l) + " is invalid")
			return
		}
		if typ == 0 && l >= 16 {
			d.sctpData(s, t, binary.BigEndian.Uint16(c[8:10]), flags, c[16:l])
		}
		c = c[min(len(c), (l+3)&^3):]
	}
}

type sctpKey struct {
	src, dst netip.AddrPort
	stream   uint16
}

// maxSCTPMessage bounds a user message being put together.
const maxSCTPMessage = 1 << 20

func (d *Decoder) sctpData(src, dst netip.AddrPort, sid uint16, flags byte, data []byte) {
	const begin, end = 0x02, 0x01
	if flags&begin != 0 && flags&end != 0 {
		d.datagram(src, dst, SCTP, data)
		return
	}
	if d.sctpMsgs == nil {
		d.sctpMsgs = make(map[sctpKey][]byte)
	}
	k := sctpKey{src, dst, sid}
	held, ok := d.sctpMsgs[k]
	switch {
	case flags&begin != 0:
		if ok {
			d.bad("SCTP " + src.String() + " → " + dst.String() + ": a user message began before the previous one ended")
		}
		d.sctpMsgs[k] = append([]byte(nil), data...)
	case !ok:
		d.bad("SCTP " + src.String() + " → " + dst.String() + ": part of a user message whose first chunk was not captured")
	case len(held)+len(data) > maxSCTPMessage:
		delete(d.sctpMsgs, k)
		d.bad("SCTP user message over 1 MiB dropped")
	case flags&end != 0:
		delete(d.sctpMsgs, k)
		d.datagram(src, dst, SCTP, append(held, data...))
	default:
		d.sctpMsgs[k] = append(held, data...)
	}
}
