package capture

import "encoding/binary"

// gre decodes GRE (RFC 2784, RFC 2890; version 1 as PPTP uses it,
// RFC 2637 §4.1) and what it carries: IP, Ethernet, ERSPAN, PPP.
func (d *Decoder) gre(b []byte, depth int) {
	if depth > maxDepth {
		d.bad("too many nested tunnels")
		return
	}
	if len(b) < 4 {
		d.bad("GRE header truncated")
		return
	}
	flags := binary.BigEndian.Uint16(b[0:2])
	proto := binary.BigEndian.Uint16(b[2:4])
	n := 4
	if flags&0x8000 != 0 || flags&0x4000 != 0 { // checksum (and offset) present
		n += 4
	}
	if flags&0x2000 != 0 { // key
		n += 4
	}
	if flags&0x1000 != 0 { // sequence number
		n += 4
	}
	if flags&0x0007 == 1 && flags&0x0080 != 0 { // PPTP acknowledgment number
		n += 4
	}
	if flags&0x4000 != 0 || len(b) < n {
		d.bad("GRE header with source routing or truncated")
		return
	}
	d.greProto(proto, flags&0x1000 != 0, b[n:], depth)
}

func (d *Decoder) greProto(proto uint16, seq bool, b []byte, depth int) {
	switch proto {
	case 0x0800, 0x86dd:
		d.ip(b, depth)
	case 0x6558: // transparent Ethernet bridging
		d.ethernet(b, depth)
	case 0x88be: // ERSPAN type II has an 8-byte header; type I (no sequence) none
		if seq {
			if len(b) < 8 {
				d.bad("ERSPAN II header truncated")
				return
			}
			b = b[8:]
		}
		d.ethernet(b, depth)
	case 0x22eb: // ERSPAN type III: 12 bytes, plus 8 when the O flag is set
		if len(b) < 12 {
			d.bad("ERSPAN III header truncated")
			return
		}
		n := 12
		if b[11]&1 == 1 {
			n += 8
		}
		if len(b) < n {
			d.bad("ERSPAN III platform sub-header truncated")
			return
		}
		d.ethernet(b[n:], depth)
	case 0x880b:
		d.ppp(b, depth)
	default:
		d.stats.NonSIP++
	}
}

// gtpU decodes a GTPv1-U G-PDU (3GPP TS 29.281 §5) and returns false when
// the payload is not one, so that the caller can try other decoders.
func (d *Decoder) gtpU(b []byte, depth int) bool {
	if len(b) < 8 || b[0]>>5 != 1 || b[0]&0x10 == 0 || b[1] != 0xff {
		return false
	}
	n := 8
	if b[0]&0x07 != 0 { // sequence, N-PDU or extension flag: 4 more bytes
		n = 12
		if len(b) < n {
			return false
		}
		for next := b[11]; next != 0; { // extension headers, 4-octet units
			if len(b) < n+1 || b[n] == 0 || len(b) < n+int(b[n])*4 {
				d.bad("GTP-U extension header truncated")
				return true
			}
			l := int(b[n]) * 4
			next = b[n+l-1]
			n += l
		}
	}
	if len(b) <= n || (b[n]>>4 != 4 && b[n]>>4 != 6) {
		return false
	}
	d.ip(b[n:], depth+1)
	return true
}

// vxlan decodes RFC 7348 §5: 8 bytes with the I flag, then Ethernet.
func (d *Decoder) vxlan(b []byte, depth int) bool {
	if len(b) < 8+14 || b[0] != 0x08 || b[1]|b[2]|b[3]|b[7] != 0 { // I flag alone, reserved bytes zero
		return false
	}
	d.ethernet(b[8:], depth+1)
	return true
}
