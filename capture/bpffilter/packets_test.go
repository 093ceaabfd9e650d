package bpffilter

import "encoding/binary"

// Hand-made packets for the unit tests. Addresses: 10.0.0.1 -> 10.0.0.2,
// 2001:db8::1 -> 2001:db8::2.

// udpHdr is a UDP header (RFC 768) with the given ports.
func udpHdr(sport, dport uint16) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], 8)
	return h
}

// ipv4Pkt is an IPv4 packet (RFC 791) with ihl 32-bit header words and
// the given fragment offset field (flags and offset).
func ipv4Pkt(proto byte, ihl int, frag uint16, payload []byte) []byte {
	h := make([]byte, 4*ihl, 4*ihl+len(payload))
	h[0] = 0x40 | byte(ihl)
	binary.BigEndian.PutUint16(h[2:], uint16(len(h)+len(payload)))
	binary.BigEndian.PutUint16(h[6:], frag)
	h[8], h[9] = 64, proto
	copy(h[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
	return append(h, payload...)
}

// ipv6Pkt is an IPv6 packet (RFC 8200) with the given Next Header.
func ipv6Pkt(next byte, payload []byte) []byte {
	h := make([]byte, 40, 40+len(payload))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(payload)))
	h[6], h[7] = next, 64
	h[8], h[9], h[23] = 0x20, 0x01, 1
	h[10], h[11] = 0x0d, 0xb8
	h[24], h[25], h[39] = 0x20, 0x01, 2
	h[26], h[27] = 0x0d, 0xb8
	return append(h, payload...)
}

// fragHdr is an IPv6 Fragment header (RFC 8200 section 4.5).
func fragHdr(next byte, offset uint16) []byte {
	h := make([]byte, 8)
	h[0] = next
	binary.BigEndian.PutUint16(h[2:], offset<<3)
	return h
}

// arpPkt is an Ethernet/IPv4 ARP request (RFC 826) from 10.0.0.1 for
// 10.0.0.2.
func arpPkt() []byte {
	p := make([]byte, 28)
	binary.BigEndian.PutUint16(p[0:], 1)
	binary.BigEndian.PutUint16(p[2:], 0x0800)
	p[4], p[5], p[7] = 6, 4, 1
	copy(p[14:18], []byte{10, 0, 0, 1})
	copy(p[24:28], []byte{10, 0, 0, 2})
	return p
}

// ether wraps payload in an Ethernet header, with VLAN tags given as
// (TPID, TCI) pairs before the EtherType.
func ether(etherType uint16, payload []byte, tags ...uint16) []byte {
	p := make([]byte, 12, 14+4*len(tags)+len(payload))
	p[0], p[6] = 0x02, 0x02
	for _, v := range tags {
		p = binary.BigEndian.AppendUint16(p, v)
	}
	p = binary.BigEndian.AppendUint16(p, etherType)
	return append(p, payload...)
}

// sll wraps payload in a Linux cooked v1 header.
func sll(proto uint16, payload []byte) []byte {
	p := make([]byte, 16, 16+len(payload))
	binary.BigEndian.PutUint16(p[2:], 1)
	binary.BigEndian.PutUint16(p[4:], 6)
	binary.BigEndian.PutUint16(p[14:], proto)
	return append(p, payload...)
}

// sll2 wraps payload in a Linux cooked v2 header.
func sll2(proto uint16, payload []byte) []byte {
	p := make([]byte, 20, 20+len(payload))
	binary.BigEndian.PutUint16(p[0:], proto)
	binary.BigEndian.PutUint32(p[4:], 1)
	binary.BigEndian.PutUint16(p[8:], 1)
	p[11] = 6
	return append(p, payload...)
}
