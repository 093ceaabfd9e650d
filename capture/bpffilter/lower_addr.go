package bpffilter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// host lowers host and net primitives (libpcap's gen_host/gen_host6).
// Without a protocol qualifier an IPv4 address is looked for in IPv4, ARP
// and RARP packets, as pcap-filter(7) says for `host`.
func (lw lowerer) host(p *prim, o at) cond {
	if p.addr.v6 {
		// RFC 8200: source address at byte 8, destination at byte 24.
		return and2(lw.etherType(etherTypeIPv6, o), lw.addrDirs(p, o.nl+8, o.nl+24))
	}
	// RFC 791: source at byte 12, destination at byte 16.
	ip := and2(lw.etherType(etherTypeIPv4, o), lw.addrDirs(p, o.nl+12, o.nl+16))
	// RFC 826 (Ethernet/IPv4 ARP): sender IP at byte 14, target IP at 24.
	arp := and2(lw.etherType(etherTypeARP, o), lw.addrDirs(p, o.nl+14, o.nl+24))
	rarp := and2(lw.etherType(etherTypeRARP, o), lw.addrDirs(p, o.nl+14, o.nl+24))
	switch p.proto {
	case protoIP:
		return ip
	case protoARP:
		return arp
	case protoRARP:
		return rarp
	}
	return orAll(ip, arp, rarp)
}

// addrDirs matches the address at src, dst or both per the direction.
func (lw lowerer) addrDirs(p *prim, src, dst uint32) cond {
	return dirs(p.dir, addrAt(p.addr, src), addrAt(p.addr, dst))
}

// dirs combines a source and a destination test per a direction qualifier.
func dirs(d dirKind, src, dst cond) cond {
	switch d {
	case dirSrc:
		return src
	case dirDst:
		return dst
	case dirSrcAndDst:
		return and2(src, dst)
	}
	return or2(src, dst)
}

// addrAt compares the address at off with m, 32 bits at a time.
func addrAt(m ipMatch, off uint32) cond {
	words := 1
	if m.v6 {
		words = 4
	}
	c := cond(cconst(true))
	for i := 0; i < words; i++ {
		a := binary.BigEndian.Uint32(m.addr[4*i:])
		k := binary.BigEndian.Uint32(m.mask[4*i:])
		c = and2(c, maskedEq(ldw(off+uint32(4*i)), k, a))
	}
	return c
}

// port lowers port and portrange (libpcap's gen_port/gen_port6): the
// transport protocol must be TCP, UDP or SCTP (or the one qualified); for
// IPv4, non-first fragments are excluded and the IP header length comes
// from the IHL field (RFC 791); for IPv6 the transport header is assumed
// to follow the 40-byte fixed header, as libpcap assumes.
func (lw lowerer) port(p *prim, o at) cond {
	var protos4, protos6 []cond
	for _, k := range portProtos(p.proto) {
		protos4 = append(protos4, eq(k, ldb(o.nl+9)))
		protos6 = append(protos6, eq(k, ldb(o.nl+6)))
	}
	// RFC 791: fragment offset in the low 13 bits of bytes 6-7.
	firstFrag := not1(ctest{loads: []bpf.Instruction{ldh(o.nl + 6)}, op: bpf.JumpBitsSet, val: 0x1fff})
	// The IPv4 header length: X = 4*(IHL), the `ldx 4*([nl]&0xf)` idiom.
	ihl := bpf.LoadMemShift{Off: o.nl}
	v4 := andAll(lw.etherType(etherTypeIPv4, o), orAll(protos4...), firstFrag,
		dirs(p.dir, portAt(p, ihl, bpf.LoadIndirect{Off: o.nl, Size: 2}),
			portAt(p, ihl, bpf.LoadIndirect{Off: o.nl + 2, Size: 2})))
	v6 := andAll(lw.etherType(etherTypeIPv6, o), orAll(protos6...),
		dirs(p.dir, portAt(p, ldh(o.nl+40)), portAt(p, ldh(o.nl+42))))
	return or2(v4, v6)
}

// portProtos lists the transport protocols a port primitive applies to.
func portProtos(k protoKind) []uint32 {
	if k == protoNone {
		return []uint32{ipProtoTCP, ipProtoUDP, ipProtoSCTP}
	}
	return []uint32{transportProto(k)}
}

// portAt compares the 16-bit port that loads fetches with a port or range.
func portAt(p *prim, loads ...bpf.Instruction) cond {
	if p.kind == primPort {
		return ctest{loads: loads, op: bpf.JumpEqual, val: uint32(p.lo)}
	}
	ge := ctest{loads: loads, op: bpf.JumpGreaterOrEqual, val: uint32(p.lo)}
	gt := ctest{loads: loads, op: bpf.JumpGreaterThan, val: uint32(p.hi)}
	return and2(ge, not1(gt))
}
