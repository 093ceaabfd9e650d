package bpffilter

import (
	"fmt"
	"net/netip"
	"strings"
)

// node is a parsed filter expression.
type node interface {
	String() string
}

// binNode is `l and r` or `l or r`.
type binNode struct {
	and  bool
	l, r node
}

// notNode is `not x`.
type notNode struct {
	x node
}

// primKind is the kind of a primitive (pcap-filter(7) "primitives").
type primKind int

const (
	primProto     primKind = iota // a protocol abbreviation alone: udp, ip6, icmp...
	primHost                      // [src|dst] host ADDR
	primNet                       // [src|dst] net CIDR
	primPort                      // [src|dst] port N
	primPortRange                 // [src|dst] portrange N-M
	primVlan                      // vlan [ID]
)

// prim is one primitive with its qualifiers and value.
type prim struct {
	pos    int
	kind   primKind
	proto  protoKind
	dir    dirKind
	addr   ipMatch // host and net
	lo, hi uint16  // port (lo == hi) and portrange
	vlanID int     // vlan ID, or -1 for plain `vlan`
	// vlans counts the `vlan` keywords parsed before this primitive: per
	// pcap-filter(7) each one shifts the offsets of the rest of the
	// expression by 4 bytes.
	vlans int
}

// ipMatch is an address with a mask; a host has an all-ones mask.
type ipMatch struct {
	v6   bool
	addr [16]byte // IPv4 in the first 4 bytes
	mask [16]byte
}

func (n *binNode) String() string {
	op := "or"
	if n.and {
		op = "and"
	}
	return "(" + op + " " + n.l.String() + " " + n.r.String() + ")"
}

func (n *notNode) String() string { return "(not " + n.x.String() + ")" }

// String renders the primitive in a canonical tcpdump-like form; a prefix
// `vlan+N:` shows the VLAN offset shift.
func (p *prim) String() string {
	prefix := ""
	if p.vlans > 0 {
		prefix = fmt.Sprintf("vlan+%d:", p.vlans)
	}
	var parts []string
	if p.proto != protoNone {
		parts = append(parts, p.proto.String())
	}
	if p.kind != primProto {
		if p.dir != dirDefault {
			parts = append(parts, p.dir.String())
		}
		parts = append(parts, p.valueString())
	}
	return prefix + strings.Join(parts, " ")
}

// valueString renders the address kind and value of a primitive.
func (p *prim) valueString() string {
	switch p.kind {
	case primHost:
		return "host " + p.addr.addrString()
	case primNet:
		return "net " + p.addr.addrString() + " mask " + p.addr.maskString()
	case primPort:
		return fmt.Sprintf("port %d", p.lo)
	case primPortRange:
		return fmt.Sprintf("portrange %d-%d", p.lo, p.hi)
	}
	if p.vlanID >= 0 {
		return fmt.Sprintf("vlan %d", p.vlanID)
	}
	return "vlan"
}

func (m ipMatch) addrString() string { return m.ip(m.addr).String() }
func (m ipMatch) maskString() string { return m.ip(m.mask).String() }

// ip converts one of the 16-byte arrays of m to a netip.Addr.
func (m ipMatch) ip(b [16]byte) netip.Addr {
	if m.v6 {
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte(b[:4]))
}
