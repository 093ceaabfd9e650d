// Package synth builds the frames of messages a capture file holds
// without their packets (see below). It imports nothing of sipdbg, so
// that the capture package, its tests and the exporters can all use it.
package synth

import (
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Some messages reach a capture file without their packets: the
// exchange of a probe, or calls exported from a store. Written as pcap,
// each needs a frame around it. These build Ethernet/IPv4|IPv6/UDP|TCP
// frames whose link and IP headers are made up while the addresses,
// ports and SIP bytes are the real ones, so that sipdbg, sngrep and
// Wireshark open them as they would the original.

// TCP flag bits for TCP.
const (
	FIN = 1 << iota
	SYN
	RST
	PSH
	ACK
)

// UDP returns an Ethernet frame carrying payload in UDP over IPv4 or
// IPv6 (the family of src).
func UDP(src, dst netip.AddrPort, payload []byte) []byte {
	ipl, nl, et := synthIP(src, dst, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	_ = u.SetNetworkLayerForChecksum(nl)
	return synthFrame(synthEth(et), ipl, u, gopacket.Payload(payload))
}

// TCP returns an Ethernet frame carrying one TCP segment.
func TCP(src, dst netip.AddrPort, seq uint32, flags int, payload []byte) []byte {
	ipl, nl, et := synthIP(src, dst, layers.IPProtocolTCP)
	t := &layers.TCP{SrcPort: layers.TCPPort(src.Port()), DstPort: layers.TCPPort(dst.Port()), Seq: seq, Window: 65535,
		FIN: flags&FIN != 0, SYN: flags&SYN != 0, RST: flags&RST != 0, PSH: flags&PSH != 0, ACK: flags&ACK != 0}
	_ = t.SetNetworkLayerForChecksum(nl)
	return synthFrame(synthEth(et), ipl, t, gopacket.Payload(payload))
}

func synthIP(src, dst netip.AddrPort, proto layers.IPProtocol) (gopacket.SerializableLayer, gopacket.NetworkLayer, layers.EthernetType) {
	if src.Addr().Is4() {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.IP(src.Addr().AsSlice()), DstIP: net.IP(dst.Addr().AsSlice())}
		return ip, ip, layers.EthernetTypeIPv4
	}
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: net.IP(src.Addr().AsSlice()), DstIP: net.IP(dst.Addr().AsSlice())}
	return ip, ip, layers.EthernetTypeIPv6
}

func synthEth(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: t}
}

// synthFrame serializes the layers. The layers above cannot fail to
// serialize (gopacket errors only on options these do not use), so an
// error is a programming mistake.
func synthFrame(ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		panic("synth: building a frame: " + err.Error())
	}
	return append([]byte(nil), buf.Bytes()...)
}
