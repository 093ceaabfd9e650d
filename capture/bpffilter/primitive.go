package bpffilter

import "strings"

// primitive parses a primitive starting with a keyword: a protocol
// abbreviation (`udp`), `vlan [ID]`, or `[proto] [dir] [type] ID`
// (pcap-filter(7) "qualifiers").
func (p *parser) primitive() (node, qual, error) {
	t := p.peek()
	if t.text == "vlan" {
		return p.vlan()
	}
	q := qual{valid: true}
	if pk, ok := protoKeyword(t.text); ok {
		p.next()
		q.proto = pk
		if !p.atQualifier() {
			n := &prim{pos: t.pos, kind: primProto, proto: pk, vlanID: -1, vlans: p.vlans}
			return n, qual{}, nil
		}
	} else if isValue(t.text) {
		return nil, qual{}, errorf(t.pos, "missing qualifier (host, net, port...) before %q", t.text)
	} else if !p.atQualifier() {
		return nil, qual{}, p.unexpected(t)
	}
	q.dir = p.direction()
	if a, ok := addrKeyword(p.peek().text); ok && p.peek().kind == tokWord {
		p.next()
		q.addr = a
	}
	n, err := p.id(q)
	return n, q, err
}

// atQualifier reports whether the next token is a direction or address
// type qualifier.
func (p *parser) atQualifier() bool {
	t := p.peek()
	if t.kind != tokWord {
		return false
	}
	_, d := dirKeyword(t.text)
	_, a := addrKeyword(t.text)
	return d || a
}

// direction parses an optional `src`, `dst`, `src or dst` or `src and dst`
// (pcap-filter(7) "dir"; `dst or src` and `dst and src` too).
func (p *parser) direction() dirKind {
	t := p.peek()
	d, ok := dirKeyword(t.text)
	if !ok || t.kind != tokWord {
		return dirDefault
	}
	p.next()
	op, other := p.peek(), p.peekAt(1)
	if od, ok := dirKeyword(other.text); ok && od != d && other.kind == tokWord {
		switch op.kind {
		case tokAnd:
			p.i += 2
			return dirSrcAndDst
		case tokOr:
			p.i += 2
			return dirDefault
		}
	}
	return d
}

// vlan parses `vlan [ID]` (pcap-filter(7)); every `vlan` shifts the
// offsets of what follows by 4 bytes.
func (p *parser) vlan() (node, qual, error) {
	t := p.next()
	n := &prim{pos: t.pos, kind: primVlan, vlanID: -1, vlans: p.vlans}
	if v := p.peek(); isValueTok(v) {
		p.next()
		id, err := parseNumber(v)
		if err != nil {
			return nil, qual{}, err
		}
		if id > 4095 {
			return nil, qual{}, errorf(v.pos, "VLAN ID %d greater than maximum 4095", id)
		}
		n.vlanID = int(id)
	}
	p.vlans++
	return n, qual{}, nil
}

// id parses an ID under the qualifiers q: a value, `not ID`, or a
// parenthesised and/or list of IDs (libpcap's `nid`/`pid`), as in
// `port (5060 or 5061)` or `port 5060 or not 5061`.
func (p *parser) id(q qual) (node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	switch t := p.next(); {
	case t.kind == tokNot:
		x, err := p.id(q)
		if err != nil {
			return nil, err
		}
		return &notNode{x: x}, nil
	case t.kind == tokLParen:
		return p.idList(q, t)
	case isValueTok(t):
		return p.value(q, t)
	default:
		return nil, p.badValue(q, t)
	}
}

// idList parses `ID { (and|or) ID } )` after an opening parenthesis.
func (p *parser) idList(q qual, open token) (node, error) {
	n, err := p.id(q)
	for err == nil {
		op := p.peek()
		if op.kind != tokAnd && op.kind != tokOr {
			break
		}
		p.next()
		var r node
		if r, err = p.id(q); err == nil {
			n = &binNode{and: op.kind == tokAnd, l: n, r: r}
		}
	}
	if err != nil {
		return nil, err
	}
	return n, p.closeParen(open)
}

// badValue explains a token found where a value was expected.
func (p *parser) badValue(q qual, t token) error {
	if t.kind == tokWord && strings.Trim(t.text, "-0123456789") == "" {
		return errorf(t.pos, "invalid value %q", t.text)
	}
	if t.kind == tokWord && !isKeyword(t.text) {
		switch q.addr {
		case addrPort, addrPortRange:
			return errorf(t.pos, "port names are not supported (use a number): %q", t.text)
		case addrNet:
			return errorf(t.pos, "network names are not supported (use an address): %q", t.text)
		}
		return errorf(t.pos, "host names are not supported (no DNS lookups): %q", t.text)
	}
	if t.kind == tokBad {
		return p.unexpected(t)
	}
	return errorf(t.pos, "expected an address or number, found %s", describe(t))
}
