package capture

import (
	"encoding/binary"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"strconv"

	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/ip6defrag"
	"github.com/gopacket/gopacket/layers"
)

// maxDepth bounds tunnel nesting (GRE in IP in GRE …) so that a crafted
// packet cannot recurse without end.
const maxDepth = 8

// Decoder walks frames down to SIP messages. It is not safe for
// concurrent use: one Decoder per source.
type Decoder struct {
	sink  Sink
	stats Stats
	frame Frame
	trunc bool // the current frame was cut short by the snap length
	// defrag is set while the datagram being decoded was rebuilt from IP
	// fragments (a request too large for the path: RFC 3261 §18.1.1).
	defrag bool

	ip4       *ip4defrag.IPv4Defragmenter
	ip6       *ip6defrag.IPv6Defragmenter
	fragCount int
	tcp       tcpTable
	sctpMsgs  map[sctpKey][]byte // SCTP user messages being put together
	out       Payload
	dgram     DatagramSink // the sink, when it takes media datagrams
	dgOut     Datagram
	keylog    *tlsrec.Keylog // TLS secrets (SetKeylog); nil for none
}

// NewDecoder returns a decoder that reports to sink.
func NewDecoder(sink Sink) *Decoder {
	dg, _ := sink.(DatagramSink)
	return &Decoder{
		sink:  sink,
		dgram: dg,
		ip4:   ip4defrag.NewIPv4Defragmenter(),
		ip6:   ip6defrag.NewIPv6Defragmenter(),
		tcp:   newTCPTable(),
	}
}

// Stats returns the counts so far.
func (d *Decoder) Stats() Stats { return d.stats }

// Decode processes one frame.
func (d *Decoder) Decode(f Frame) {
	d.frame = f
	d.trunc = false
	d.stats.Frames++
	d.stats.Bytes += int64(len(f.Data))
	d.link(f.Link, f.Data)
	d.tcp.expire(d, f.Time)
}

// Flush ends every TCP stream: bytes held behind a hole are parsed, and
// the holes are counted. Call it once after the last frame.
func (d *Decoder) Flush() { d.tcp.flushAll(d) }

func (d *Decoder) bad(reason string) {
	d.stats.Undecodable++
	d.sink.Undecodable(Undecodable{Packet: d.frame.Num, Time: d.frame.Time, Reason: reason})
}

func (d *Decoder) link(lt layers.LinkType, b []byte) {
	switch lt {
	case layers.LinkTypeEthernet:
		d.ethernet(b, 0)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		d.null(b)
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
		d.ip(b, 0)
	case layers.LinkTypeLinuxSLL:
		if len(b) < 16 {
			d.bad("Linux cooked (SLL) header truncated")
			return
		}
		d.etherType(binary.BigEndian.Uint16(b[14:16]), b[16:], 0)
	case layers.LinkTypeLinuxSLL2:
		if len(b) < 20 {
			d.bad("Linux cooked v2 (SLL2) header truncated")
			return
		}
		d.etherType(binary.BigEndian.Uint16(b[0:2]), b[20:], 0)
	case layers.LinkTypePPP, layers.LinkTypePPP_HDLC:
		d.ppp(b, 0)
	case LinkTypeSIP:
		if d.frame.SIP == nil {
			d.bad("a SIP frame without its addresses")
			return
		}
		// One message as the source framed it (a text trace): whatever
		// its Content-Length says, as a datagram's.
		d.datagram(d.frame.SIP.Src, d.frame.SIP.Dst, d.frame.SIP.Transport, b)
	case LinkTypeHEP:
		if !d.hepDatagram(b) {
			d.bad("not a HEP packet")
		}
	default:
		d.stats.UnknownLinks++
		d.bad("unsupported link type " + strconv.Itoa(int(lt)) + " (" + lt.String() + ")")
	}
}

// ethernet decodes an Ethernet II header with any number of 802.1Q /
// 802.1ad (QinQ) tags.
func (d *Decoder) ethernet(b []byte, depth int) {
	if len(b) < 14 {
		d.bad("Ethernet header truncated")
		return
	}
	d.etherType(binary.BigEndian.Uint16(b[12:14]), b[14:], depth)
}

func (d *Decoder) etherType(et uint16, b []byte, depth int) {
	for et == 0x8100 || et == 0x88a8 || et == 0x9100 {
		if len(b) < 4 {
			d.bad("VLAN tag truncated")
			return
		}
		et, b = binary.BigEndian.Uint16(b[2:4]), b[4:]
	}
	switch et {
	case 0x0800, 0x86dd:
		d.ip(b, depth)
	case 0x8864: // PPPoE session stage (RFC 2516 §4)
		if len(b) < 6 {
			d.bad("PPPoE header truncated")
			return
		}
		d.ppp(b[6:], depth)
	case 0x8847, 0x8848:
		d.mpls(b, depth)
	default:
		d.stats.NonSIP++
	}
}

// null decodes BSD loopback: a 4-byte address family in the byte order
// of the capturing host.
func (d *Decoder) null(b []byte) {
	if len(b) < 4 {
		d.bad("loopback header truncated")
		return
	}
	fam := binary.LittleEndian.Uint32(b)
	if fam > 0xffff {
		fam = binary.BigEndian.Uint32(b)
	}
	switch fam {
	case 2, 24, 28, 30:
		d.ip(b[4:], 0)
	default:
		d.stats.NonSIP++
	}
}

// ppp decodes a PPP header, with or without the HDLC address/control
// bytes and with protocol-field compression (RFC 1661 §6.5).
func (d *Decoder) ppp(b []byte, depth int) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		b = b[2:]
	}
	if len(b) < 1 {
		d.bad("PPP header truncated")
		return
	}
	var proto uint16
	if b[0]&1 == 1 {
		proto, b = uint16(b[0]), b[1:]
	} else if len(b) >= 2 {
		proto, b = binary.BigEndian.Uint16(b), b[2:]
	}
	switch proto {
	case 0x21, 0x57:
		d.ip(b, depth)
	default:
		d.stats.NonSIP++
	}
}

// mpls skips the label stack up to the bottom-of-stack label and guesses
// the payload from the IP version nibble, as tshark does.
func (d *Decoder) mpls(b []byte, depth int) {
	for {
		if len(b) < 4 {
			d.bad("MPLS label stack truncated")
			return
		}
		bottom := b[2]&1 == 1
		b = b[4:]
		if bottom {
			break
		}
	}
	d.ip(b, depth)
}

func (d *Decoder) ip(b []byte, depth int) {
	if depth > maxDepth {
		d.bad("too many nested tunnels")
		return
	}
	if len(b) < 1 {
		d.bad("IP header missing")
		return
	}
	switch b[0] >> 4 {
	case 4:
		d.ipv4(b, depth)
	case 6:
		d.ipv6(b, depth)
	default:
		d.bad("IP version " + strconv.Itoa(int(b[0]>>4)) + " is neither 4 nor 6")
	}
}
