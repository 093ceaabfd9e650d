package bpffilter

// value builds the primitive for the value token t under qualifiers q.
func (p *parser) value(q qual, t token) (node, error) {
	n := &prim{pos: t.pos, proto: q.proto, dir: q.dir, vlanID: -1, vlans: p.vlans}
	if q.addr != addrNet && (p.peek().kind == tokSlash || p.peek().text == "mask") {
		return nil, errorf(p.peek().pos, "mask syntax is for networks only (use \"net\")")
	}
	var err error
	switch q.addr {
	case addrPort, addrPortRange:
		err = p.portValue(n, q, t)
	case addrNet:
		n.kind = primNet
		n.addr, err = p.netValue(t)
	default:
		n.kind = primHost
		n.addr, err = hostValue(t)
	}
	if err == nil && (n.kind == primHost || n.kind == primNet) {
		err = checkAddrProto(n, t)
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// portValue fills a port or portrange primitive. pcap-filter(7): port
// qualifiers may only be tcp, udp or sctp.
func (p *parser) portValue(n *prim, q qual, t token) error {
	switch q.proto {
	case protoNone, protoTCP, protoUDP, protoSCTP:
	default:
		return errorf(t.pos, "qualifier %q cannot be applied to a port", q.proto.String())
	}
	if q.addr == addrPort {
		n.kind = primPort
		v, err := parsePort(t)
		n.lo, n.hi = v, v
		return err
	}
	n.kind = primPortRange
	lo, hi, err := parsePortRange(t)
	n.lo, n.hi = lo, hi
	return err
}

// checkAddrProto rejects protocol qualifiers that do not apply to an
// address, as libpcap's gen_host does: IPv4 addresses take ip, arp or rarp,
// IPv6 addresses take ip6.
func checkAddrProto(n *prim, t token) error {
	switch n.proto {
	case protoNone:
		return nil
	case protoIP, protoARP, protoRARP:
		if !n.addr.v6 {
			return nil
		}
		return errorf(t.pos, "qualifier %q applied to an IPv6 address", n.proto.String())
	case protoIP6:
		if n.addr.v6 {
			return nil
		}
		return errorf(t.pos, "qualifier \"ip6\" applied to an IPv4 address")
	}
	return errorf(t.pos, "qualifier %q cannot be applied to a host or net", n.proto.String())
}

// hostValue parses the address of a host primitive: a full IPv4 dotted
// quad or an IPv6 literal. Names would need DNS and are refused.
func hostValue(t token) (ipMatch, error) {
	if isIPv6Literal(t.text) {
		a, err := parseIPv6(t)
		return ipMatch{v6: true, addr: a, mask: onesMask(128, true)}, err
	}
	a, parts, ok := parseIPv4(t.text)
	if !ok {
		return ipMatch{}, errorf(t.pos, "invalid IPv4 address %q", t.text)
	}
	if parts != 4 {
		// libpcap treats `host 10.1` as the network 10.1.0.0/16; we
		// refuse it rather than guess.
		return ipMatch{}, errorf(t.pos, "host needs a full IPv4 address, got %q (use \"net\" for a network)", t.text)
	}
	return v4Match(a, 0xffffffff), nil
}
