package bpffilter

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// synthCaptures derives captures of link types and encapsulations the
// shared corpus lacks (Linux SLL2, 802.1Q/802.1ad tags, raw IP with
// LINKTYPE 101 and 12, LINKTYPE_IPV6) from the real captures, and writes
// them to dir so that tcpdump can read them too.
func synthCaptures(t *testing.T, dir string, caps []capture) []capture {
	t.Helper()
	var out []capture
	for _, c := range caps {
		switch {
		case c.linkType == layers.LinkTypeLinuxSLL:
			out = append(out, writeCapture(t, dir, "sll2-of-"+c.name, layers.LinkTypeLinuxSLL2, mapPackets(c.packets, sll2FromSLL)))
		case c.linkType == layers.LinkTypeEthernet && isSynthSource(c.name):
			out = append(out,
				writeCapture(t, dir, "vlan-of-"+c.name, layers.LinkTypeEthernet, tagPackets(c.packets)),
				writeCapture(t, dir, "raw101-of-"+c.name, layers.LinkTypeRaw, mapPackets(c.packets, stripEther)))
		}
		if c.name == synthIPv6Source {
			out = append(out,
				writeCapture(t, dir, "raw12-of-"+c.name, linkTypeDLTRaw, mapPackets(c.packets, stripEther)),
				writeCapture(t, dir, "ipv6-of-"+c.name, layers.LinkTypeIPv6, ipv6Only(c.packets)))
		}
	}
	return out
}

// isSynthSource picks the Ethernet captures the synthetic ones are made
// from: IPv4 UDP with ARP, IPv4 TCP with fragments, IPv6 UDP, IPv4
// fragments and ICMP errors, T.38 fax.
func isSynthSource(name string) bool {
	switch name {
	case "sngrep__aaa.pcap", "heplify__sip_ipv4_tcp_fragmented.pcap",
		"heplify__sip_ipv6_udp.pcap", "sip_captures__private-test-sip.pcapng",
		"heplify__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap":
		return true
	}
	return false
}

const synthIPv6Source = "heplify__sip_ipv6_udp.pcap"

func mapPackets(pkts [][]byte, f func([]byte) []byte) [][]byte {
	out := make([][]byte, len(pkts))
	for i, p := range pkts {
		out[i] = f(p)
	}
	return out
}

// sll2FromSLL rewrites a Linux cooked v1 header (16 bytes: packet type,
// ARPHRD type, address length, 8 address bytes, protocol) as a v2 header
// (20 bytes: protocol, reserved, interface index, ARPHRD type, packet type,
// address length, 8 address bytes).
func sll2FromSLL(p []byte) []byte {
	if len(p) < 16 {
		return append([]byte(nil), p...)
	}
	h := make([]byte, 20, 20+len(p)-16)
	copy(h[0:2], p[14:16])
	binary.BigEndian.PutUint32(h[4:8], 1)
	copy(h[8:10], p[2:4])
	h[10] = p[1]
	h[11] = p[5]
	copy(h[12:20], p[6:14])
	return append(h, p[16:]...)
}

// tagPackets inserts VLAN tags after the MAC addresses in a rotating
// pattern: none, 802.1Q VLAN 100, 802.1Q VLAN 200, 802.1ad 300 over
// 802.1Q 100, 0x9100 100 over 802.1Q 200.
func tagPackets(pkts [][]byte) [][]byte {
	patterns := [][]uint16{nil, {0x8100, 100}, {0x8100, 200},
		{0x88a8, 300, 0x8100, 100}, {0x9100, 100, 0x8100, 200}}
	out := make([][]byte, len(pkts))
	for i, p := range pkts {
		tags := patterns[i%len(patterns)]
		if len(p) < 12 {
			out[i] = append([]byte(nil), p...)
			continue
		}
		q := append([]byte(nil), p[:12]...)
		for _, v := range tags {
			q = binary.BigEndian.AppendUint16(q, v)
		}
		out[i] = append(q, p[12:]...)
	}
	return out
}

// stripEther drops the Ethernet header, leaving raw IP (or, for non-IP
// frames, bytes whose version nibble is neither 4 nor 6).
func stripEther(p []byte) []byte {
	if len(p) < 14 {
		return nil
	}
	return append([]byte(nil), p[14:]...)
}

// ipv6Only keeps the IPv6 packets of an Ethernet capture, without their
// Ethernet header.
func ipv6Only(pkts [][]byte) [][]byte {
	var out [][]byte
	for _, p := range pkts {
		if len(p) > 14 && binary.BigEndian.Uint16(p[12:14]) == 0x86dd {
			out = append(out, append([]byte(nil), p[14:]...))
		}
	}
	return out
}
