package bpffilter

import (
	"github.com/gopacket/gopacket/layers"
)

// linkKind says how a link type identifies the network-layer protocol.
type linkKind int

const (
	linkEtherType linkKind = iota // a 16-bit EtherType field at typeOff
	linkRawIP                     // none: the IP version nibble says it (DLT_RAW)
	linkIPv4Only                  // LINKTYPE_IPV4: every packet is IPv4
	linkIPv6Only                  // LINKTYPE_IPV6: every packet is IPv6
)

// link describes where the headers are for one link type.
type link struct {
	name    string
	kind    linkKind
	typeOff uint32 // offset of the EtherType field (linkEtherType only)
	nlOff   uint32 // offset of the network-layer header
	vlan    bool   // 802.1Q tags can follow the link header (Ethernet)
}

// Link types as numbered by pcap-linktype(7) and gopacket's layers.LinkType.
const (
	linkTypeDLTRaw layers.LinkType = 12 // DLT_RAW as most platforms number it
)

// linkFor returns the layout of a supported link type.
func linkFor(lt layers.LinkType) (link, bool) {
	switch lt {
	case layers.LinkTypeEthernet:
		// IEEE 802.3: 6+6 bytes of MAC addresses, then the EtherType.
		return link{name: "Ethernet", typeOff: 12, nlOff: 14, vlan: true}, true
	case layers.LinkTypeLinuxSLL:
		// Linux cooked v1: the protocol is the last field of 16 bytes.
		return link{name: "Linux cooked v1", typeOff: 14, nlOff: 16}, true
	case layers.LinkTypeLinuxSLL2:
		// Linux cooked v2: the protocol is the first field of 20 bytes.
		return link{name: "Linux cooked v2", typeOff: 0, nlOff: 20}, true
	case layers.LinkTypeRaw, linkTypeDLTRaw:
		return link{name: "Raw IP", kind: linkRawIP}, true
	case layers.LinkTypeIPv4:
		return link{name: "Raw IPv4", kind: linkIPv4Only}, true
	case layers.LinkTypeIPv6:
		return link{name: "Raw IPv6", kind: linkIPv6Only}, true
	}
	return link{}, false
}
