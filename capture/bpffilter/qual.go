package bpffilter

// protoKind is a protocol qualifier or abbreviation (pcap-filter(7) "proto"
// qualifiers and the abbreviations ip, ip6, arp, rarp, tcp, udp, sctp, icmp,
// icmp6).
type protoKind int

const (
	protoNone protoKind = iota
	protoIP
	protoIP6
	protoARP
	protoRARP
	protoTCP
	protoUDP
	protoSCTP
	protoICMP
	protoICMP6
)

// protoKeyword maps a protocol keyword to its kind.
func protoKeyword(w string) (protoKind, bool) {
	switch w {
	case "ip":
		return protoIP, true
	case "ip6":
		return protoIP6, true
	case "arp":
		return protoARP, true
	case "rarp":
		return protoRARP, true
	case "tcp":
		return protoTCP, true
	case "udp":
		return protoUDP, true
	case "sctp":
		return protoSCTP, true
	case "icmp":
		return protoICMP, true
	case "icmp6":
		return protoICMP6, true
	}
	return protoNone, false
}

func (k protoKind) String() string {
	names := [...]string{"", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6"}
	return names[k]
}

// dirKind is a direction qualifier (pcap-filter(7) "dir"). dirDefault is
// `src or dst`, the meaning when no direction is given.
type dirKind int

const (
	dirDefault dirKind = iota
	dirSrc
	dirDst
	dirSrcAndDst
)

func (d dirKind) String() string {
	names := [...]string{"src or dst", "src", "dst", "src and dst"}
	return names[d]
}

// dirKeyword maps "src" and "dst" to their kinds.
func dirKeyword(w string) (dirKind, bool) {
	switch w {
	case "src":
		return dirSrc, true
	case "dst":
		return dirDst, true
	}
	return dirDefault, false
}

// addrKind is an address-type qualifier (pcap-filter(7) "type"); addrDefault
// means host, as in `src 10.0.0.1`.
type addrKind int

const (
	addrDefault addrKind = iota
	addrHost
	addrNet
	addrPort
	addrPortRange
)

// addrKeyword maps host, net, port and portrange to their kinds.
func addrKeyword(w string) (addrKind, bool) {
	switch w {
	case "host":
		return addrHost, true
	case "net":
		return addrNet, true
	case "port":
		return addrPort, true
	case "portrange":
		return addrPortRange, true
	}
	return addrDefault, false
}

// isKeyword reports whether w is a keyword this package understands.
func isKeyword(w string) bool {
	_, p := protoKeyword(w)
	_, d := dirKeyword(w)
	_, a := addrKeyword(w)
	return p || d || a || w == "vlan" || w == "mask"
}

// qual is the set of qualifiers in force for an ID. tcpdump lets an ID
// after `and`/`or` reuse the qualifiers of the previous primitive
// (pcap-filter(7): "tcp dst port ftp or ftp-data or domain"); valid is
// false when there are none to reuse.
type qual struct {
	valid bool
	proto protoKind
	dir   dirKind
	addr  addrKind
}

// isValue reports whether a word is a number or an address rather than a
// keyword: it starts with a digit or is an IPv6 literal.
func isValue(w string) bool {
	if w == "" {
		return false
	}
	if w[0] >= '0' && w[0] <= '9' {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] == ':' {
			return true
		}
	}
	return false
}
