package capture

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// fragmentExpiry is how long fragments of an incomplete datagram wait for
// the rest (Linux's ipfrag_time default is 30 s).
const fragmentExpiry = 30 * time.Second

func (d *Decoder) ipv4(b []byte, depth int) {
	if len(b) < 20 {
		d.bad("IPv4 header truncated (" + strconv.Itoa(len(b)) + " bytes)")
		return
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < 20 || len(b) < ihl {
		d.bad("IPv4 header length " + strconv.Itoa(ihl) + " is invalid")
		return
	}
	total := int(binary.BigEndian.Uint16(b[2:4]))
	switch {
	case total == 0: // TCP segmentation offload: the NIC fills it in later
		total = len(b)
	case total < ihl:
		d.bad("IPv4 total length " + strconv.Itoa(total) + " is shorter than its header")
		return
	case total > len(b):
		d.trunc = true
		total = len(b)
	}
	b = b[:total] // drop Ethernet padding
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	flags := binary.BigEndian.Uint16(b[6:8])
	if flags&0x2000 != 0 || flags&0x1fff != 0 {
		d.ipv4Fragment(b, depth)
		return
	}
	d.transport(b[9], src, dst, b[ihl:], depth)
}

// ipv4Fragment hands a fragment to the defragmenter. ip4defrag keeps the
// layer it is given, and our frame buffer is reused, so it gets a copy.
func (d *Decoder) ipv4Fragment(b []byte, depth int) {
	d.stats.Fragments++
	own := append([]byte(nil), b...)
	var l layers.IPv4
	if err := l.DecodeFromBytes(own, nopFeedback{}); err != nil {
		d.bad("IPv4 fragment: " + err.Error())
		return
	}
	out, err := d.ip4.DefragIPv4WithTimestamp(&l, d.frame.Time)
	d.expireFragments()
	if err != nil {
		d.bad("IPv4 reassembly: " + err.Error())
		return
	}
	if out == nil {
		return // waiting for the other fragments
	}
	d.stats.Reassembled++
	src, _ := netip.AddrFromSlice(out.SrcIP.To4())
	dst, _ := netip.AddrFromSlice(out.DstIP.To4())
	d.defrag = true
	d.transport(uint8(out.Protocol), src, dst, out.Payload, depth)
	d.defrag = false
}

func (d *Decoder) expireFragments() {
	d.fragCount++
	if d.fragCount%1024 == 0 {
		d.ip4.DiscardOlderThan(d.frame.Time.Add(-fragmentExpiry))
		d.ip6.DiscardOlderThan(time.Now().Add(-fragmentExpiry))
	}
}

func (d *Decoder) ipv6(b []byte, depth int) {
	if len(b) < 40 {
		d.bad("IPv6 header truncated (" + strconv.Itoa(len(b)) + " bytes)")
		return
	}
	plen := int(binary.BigEndian.Uint16(b[4:6]))
	switch {
	case plen == 0: // jumbogram or offload: take what is there
		plen = len(b) - 40
	case 40+plen > len(b):
		d.trunc = true
		plen = len(b) - 40
	}
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	next, p := b[6], b[40:40+plen]
	// Walk the extension headers (RFC 8200 §4) to the upper layer.
	for i := 0; i < 16; i++ {
		switch next {
		case 0, 43, 60, 135: // hop-by-hop, routing, destination, mobility
			if len(p) < 8 || len(p) < (int(p[1])+1)*8 {
				d.bad("IPv6 extension header truncated")
				return
			}
			next, p = p[0], p[(int(p[1])+1)*8:]
		case 51: // AH (RFC 4302 §2.2): length in 4-octet units minus 2
			if len(p) < 8 || len(p) < (int(p[1])+2)*4 {
				d.bad("IPv6 AH header truncated")
				return
			}
			next, p = p[0], p[(int(p[1])+2)*4:]
		case 44:
			d.ipv6Fragment(b, src, dst, p, depth)
			return
		default:
			d.transport(next, src, dst, p, depth)
			return
		}
	}
	d.bad("IPv6 extension header chain too long")
}

// ipv6Fragment reassembles per RFC 8200 §4.5 with ip6defrag, which keeps
// what it is given: copies again.
func (d *Decoder) ipv6Fragment(b []byte, src, dst netip.Addr, p []byte, depth int) {
	if len(p) < 8 {
		d.bad("IPv6 fragment header truncated")
		return
	}
	off := binary.BigEndian.Uint16(p[2:4])
	if off>>3 == 0 && off&1 == 0 { // atomic fragment (RFC 6946)
		d.transport(p[0], src, dst, p[8:], depth)
		return
	}
	d.stats.Fragments++
	ip := &layers.IPv6{Version: 6, SrcIP: net.IP(append([]byte(nil), b[8:24]...)), DstIP: net.IP(append([]byte(nil), b[24:40]...)), NextHeader: layers.IPProtocolIPv6Fragment, HopLimit: b[7]}
	fg := &layers.IPv6Fragment{NextHeader: layers.IPProtocol(p[0]), FragmentOffset: off >> 3, MoreFragments: off&1 == 1, Identification: binary.BigEndian.Uint32(p[4:8])}
	fg.Payload = append([]byte(nil), p[8:]...)
	out := d.ip6.DefragIPv6(ip, fg)
	d.expireFragments()
	if out == nil {
		return
	}
	d.stats.Reassembled++
	d.defrag = true
	d.transport(uint8(out.NextHeader), src, dst, out.Payload, depth)
	d.defrag = false
}

func (d *Decoder) transport(proto uint8, src, dst netip.Addr, b []byte, depth int) {
	switch proto {
	case 17:
		d.udp(src, dst, b, depth)
	case 6:
		d.tcpSegment(src, dst, b)
	case 132:
		d.sctp(src, dst, b)
	case 4, 41: // IP-in-IP, IPv6-in-IP (RFC 2003, RFC 4213)
		d.ip(b, depth+1)
	case 47:
		d.gre(b, depth+1)
	case 1, 58:
		d.icmp(b, src, proto == 58)
	default:
		d.stats.NonSIP++
	}
}

// icmp counts errors that quote a packet, and hands those quoting a UDP
// datagram to an ICMPSink (icmp.go). The quoted copy is not a message on
// the wire of its own, so it is not decoded as one.
func (d *Decoder) icmp(b []byte, from netip.Addr, v6 bool) {
	if len(b) > 8 && (b[0] == 1 || b[0] == 3 || b[0] == 11) { // unreachable, time exceeded (v4 3/11, v6 1/3)
		d.stats.ICMPQuoted++
		if is, ok := d.sink.(ICMPSink); ok {
			if typ, code, src, dst, ok := icmpQuote(b, v6); ok {
				is.ICMP(ICMP{Packet: d.frame.Num, Time: d.frame.Time, From: from, Type: typ, Code: code, V6: v6, Src: src, Dst: dst})
			}
		}
		return
	}
	d.stats.NonSIP++
}

type nopFeedback struct{}

func (nopFeedback) SetTruncated() {}
