package bpffilter

// EtherTypes (IEEE 802 numbers, as used by libpcap).
const (
	etherTypeIPv4   = 0x0800
	etherTypeARP    = 0x0806
	etherTypeRARP   = 0x8035
	etherTypeIPv6   = 0x86dd
	etherType8021Q  = 0x8100 // IEEE 802.1Q
	etherType8021AD = 0x88a8 // IEEE 802.1ad (QinQ)
	etherTypeQinQ   = 0x9100 // pre-standard QinQ, as libpcap accepts
)

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers").
const (
	ipProtoICMP     = 1
	ipProtoTCP      = 6
	ipProtoUDP      = 17
	ipProtoFragment = 44 // IPv6 Fragment header, RFC 8200 section 4.5
	ipProtoICMPv6   = 58
	ipProtoSCTP     = 132
)

// lowerer turns a parsed expression into packet tests for one link type.
type lowerer struct {
	link link
}

// at holds the offsets in force for a primitive: the EtherType field and
// the network-layer header, both shifted by 4 per preceding `vlan`.
type at struct {
	typ, nl uint32
}

// lower converts n to a condition tree.
func (lw lowerer) lower(n node) (cond, error) {
	switch n := n.(type) {
	case *binNode:
		l, err := lw.lower(n.l)
		if err != nil {
			return nil, err
		}
		r, err := lw.lower(n.r)
		if err != nil {
			return nil, err
		}
		if n.and {
			return and2(l, r), nil
		}
		return or2(l, r), nil
	case *notNode:
		x, err := lw.lower(n.x)
		if err != nil {
			return nil, err
		}
		return not1(x), nil
	case *prim:
		return lw.prim(n)
	}
	return nil, errorf(0, "internal error: unknown node %T", n)
}

// prim lowers one primitive.
func (lw lowerer) prim(p *prim) (cond, error) {
	shift := 4 * uint32(p.vlans)
	o := at{typ: lw.link.typeOff + shift, nl: lw.link.nlOff + shift}
	switch p.kind {
	case primProto:
		return lw.proto(p.proto, o), nil
	case primHost, primNet:
		return lw.host(p, o), nil
	case primPort, primPortRange:
		return lw.port(p, o), nil
	}
	return lw.vlan(p, o)
}

// etherType tests the network-layer protocol (libpcap's gen_linktype).
// Raw IP has no such field: DLT_RAW looks at the IP version nibble (RFC 791,
// RFC 8200), LINKTYPE_IPV4/IPV6 carry only one version.
func (lw lowerer) etherType(et uint32, o at) cond {
	switch lw.link.kind {
	case linkRawIP:
		switch et {
		case etherTypeIPv4:
			return maskedEq(ldb(0), 0xf0, 0x40)
		case etherTypeIPv6:
			return maskedEq(ldb(0), 0xf0, 0x60)
		}
		return cconst(false)
	case linkIPv4Only:
		return cconst(et == etherTypeIPv4)
	case linkIPv6Only:
		return cconst(et == etherTypeIPv6)
	}
	return eq(et, ldh(o.typ))
}

// proto lowers a protocol abbreviation (pcap-filter(7): `tcp` is short
// for `ip proto tcp or ip6 proto tcp`, and so on).
func (lw lowerer) proto(k protoKind, o at) cond {
	switch k {
	case protoIP:
		return lw.etherType(etherTypeIPv4, o)
	case protoIP6:
		return lw.etherType(etherTypeIPv6, o)
	case protoARP:
		return lw.etherType(etherTypeARP, o)
	case protoRARP:
		return lw.etherType(etherTypeRARP, o)
	case protoICMP:
		return lw.ip4Proto(ipProtoICMP, o)
	case protoICMP6:
		return lw.ip6Proto(ipProtoICMPv6, o)
	}
	p := transportProto(k)
	return or2(lw.ip4Proto(p, o), lw.ip6Proto(p, o))
}

// transportProto is the IP protocol number of tcp, udp or sctp.
func transportProto(k protoKind) uint32 {
	switch k {
	case protoTCP:
		return ipProtoTCP
	case protoUDP:
		return ipProtoUDP
	}
	return ipProtoSCTP
}

// ip4Proto tests the IPv4 Protocol field (RFC 791, byte 9).
func (lw lowerer) ip4Proto(p uint32, o at) cond {
	return and2(lw.etherType(etherTypeIPv4, o), eq(p, ldb(o.nl+9)))
}

// ip6Proto tests the IPv6 Next Header (RFC 8200, byte 6) or, as libpcap
// does, the Next Header of a Fragment header that directly follows the
// fixed header (byte 40). Other extension headers are not walked.
func (lw lowerer) ip6Proto(p uint32, o at) cond {
	direct := eq(p, ldb(o.nl+6))
	frag := and2(eq(ipProtoFragment, ldb(o.nl+6)), eq(p, ldb(o.nl+40)))
	return and2(lw.etherType(etherTypeIPv6, o), or2(direct, frag))
}

// vlan lowers `vlan [ID]` for links that carry 802.1Q tags in the packet
// (pcap-filter(7) "vlan"): the TPID is one of 0x8100, 0x88a8, 0x9100 and
// the VLAN ID is the low 12 bits of the TCI (IEEE 802.1Q).
func (lw lowerer) vlan(p *prim, o at) (cond, error) {
	if !lw.link.vlan {
		return nil, errorf(p.pos, "vlan is not supported on link type %s", lw.link.name)
	}
	tpid := orAll(eq(etherType8021Q, ldh(o.typ)), eq(etherType8021AD, ldh(o.typ)),
		eq(etherTypeQinQ, ldh(o.typ)))
	if p.vlanID < 0 {
		return tpid, nil
	}
	return and2(tpid, maskedEq(ldh(o.typ+2), 0x0fff, uint32(p.vlanID))), nil
}
