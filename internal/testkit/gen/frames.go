package gen

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// endpoint is one side of a packet.
type endpoint struct {
	mac  [6]byte
	ip   [4]byte
	port uint16
}

var proxyIP = [4]byte{10, 0, 0, 10}

const (
	ethLen = 14
	ipLen  = 20
	udpLen = 8
	tcpLen = 20
	recLen = 16 // pcap record header
	tcpSYN = 0x02
	tcpFIN = 0x01
	tcpPSH = 0x08
	tcpACK = 0x10
)

var be = binary.BigEndian

// frame appends a pcap record of n bytes stamped with the time cursor to
// the current scenario and returns its frame bytes to fill.
func (g *gen) frame(n int) []byte {
	s := g.cur
	if k := len(s.times); k > 0 && g.t < s.times[k-1] {
		panic("gen: a scenario went back in time")
	}
	off := len(s.buf)
	s.offs = append(s.offs, int32(off))
	s.times = append(s.times, g.t)
	s.buf = slices.Grow(s.buf, recLen+n)[:off+recLen+n]
	r := s.buf[off:]
	sub := uint32(g.t % 1e9)
	if !g.cfg.Nanos {
		sub /= 1000
	}
	le := binary.LittleEndian
	le.PutUint32(r[0:], uint32(g.t/1e9))
	le.PutUint32(r[4:], sub)
	le.PutUint32(r[8:], uint32(n))
	le.PutUint32(r[12:], uint32(n))
	return r[recLen:]
}

func ether(b []byte, src, dst *endpoint) {
	copy(b[0:6], dst.mac[:])
	copy(b[6:12], src.mac[:])
	b[12], b[13] = 0x08, 0x00
}

// ipv4 writes a 20-byte IPv4 header with its checksum.
func (g *gen) ipv4(b []byte, src, dst *endpoint, proto byte, total int) {
	g.ipv4tos(b, src, dst, proto, total, 0x68) // DSCP CS3/AF31, as phones mark SIP
}

// ipv4tos is ipv4 with a type of service.
func (g *gen) ipv4tos(b []byte, src, dst *endpoint, proto byte, total int, tos byte) {
	b[0], b[1] = 0x45, tos
	be.PutUint16(b[2:], uint16(total))
	be.PutUint16(b[4:], g.ipid)
	g.ipid++
	be.PutUint16(b[6:], 0x4000) // don't fragment
	b[8], b[9] = 64, proto
	b[10], b[11] = 0, 0
	copy(b[12:16], src.ip[:])
	copy(b[16:20], dst.ip[:])
	be.PutUint16(b[10:], fold(sum(0, b[:20])))
}

// udp writes one UDP datagram (checksum 0: none, as IPv4 allows).
func (g *gen) udp(src, dst *endpoint, payload []byte) {
	f := g.frame(ethLen + ipLen + udpLen + len(payload))
	ether(f, src, dst)
	g.ipv4(f[ethLen:], src, dst, 17, ipLen+udpLen+len(payload))
	u := f[ethLen+ipLen:]
	be.PutUint16(u[0:], src.port)
	be.PutUint16(u[2:], dst.port)
	be.PutUint16(u[4:], uint16(udpLen+len(payload)))
	u[6], u[7] = 0, 0
	copy(u[udpLen:], payload)
}

var synOptions = []byte{2, 4, 0x05, 0xb4, 1, 3, 3, 7} // MSS 1460, NOP, window scale 7

// tcp writes one TCP segment with a correct checksum.
func (g *gen) tcp(src, dst *endpoint, seq, ack uint32, flags byte, payload []byte) {
	var opts []byte
	win := uint16(502)
	if flags&tcpSYN != 0 {
		opts, win = synOptions, 64240
	}
	hl := tcpLen + len(opts)
	f := g.frame(ethLen + ipLen + hl + len(payload))
	ether(f, src, dst)
	g.ipv4(f[ethLen:], src, dst, 6, ipLen+hl+len(payload))
	t := f[ethLen+ipLen:]
	be.PutUint16(t[0:], src.port)
	be.PutUint16(t[2:], dst.port)
	be.PutUint32(t[4:], seq)
	be.PutUint32(t[8:], ack)
	t[12] = byte(hl/4) << 4
	t[13] = flags
	be.PutUint16(t[14:], win)
	t[16], t[17], t[18], t[19] = 0, 0, 0, 0
	copy(t[tcpLen:], opts)
	copy(t[hl:], payload)
	// Pseudo-header (RFC 9293 §3.1): addresses, protocol, TCP length.
	s := sum(0, src.ip[:])
	s = sum(s, dst.ip[:])
	s += 6 + uint64(hl+len(payload))
	be.PutUint16(t[16:], fold(sum(s, t[:hl+len(payload)])))
	g.rep.TCPSegments++
}

// sum adds b to a one's-complement sum as big-endian 16-bit words.
func sum(s uint64, b []byte) uint64 {
	for len(b) >= 8 {
		v := be.Uint64(b)
		s += v>>48 + (v>>32)&0xffff + (v>>16)&0xffff + v&0xffff
		b = b[8:]
	}
	for len(b) >= 2 {
		s += uint64(be.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

func fold(s uint64) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// tcpConn is one TCP connection carrying SIP, and its sequence numbers.
type tcpConn struct {
	cli, srv endpoint
	cseq     uint32 // next sequence number from the client
	sseq     uint32 // from the server
	open     bool
}

// handshake opens c: SYN, SYN-ACK, ACK.
func (g *gen) handshake(c *tcpConn) {
	c.cseq, c.sseq = g.r.Uint32(), g.r.Uint32()
	g.tcp(&c.cli, &c.srv, c.cseq, 0, tcpSYN, nil)
	c.cseq++
	g.us(80, 1500)
	g.tcp(&c.srv, &c.cli, c.sseq, c.cseq, tcpSYN|tcpACK, nil)
	c.sseq++
	g.us(80, 1500)
	g.tcp(&c.cli, &c.srv, c.cseq, c.sseq, tcpACK, nil)
	g.us(10, 300)
	c.open = true
	g.rep.TCPConnections++
}

// sendTCP sends payload on c, from the client or the server side; one
// message in ten goes in two segments, split anywhere after the start
// line (a real stack hardly ever sends a segment of a few bytes, and
// tshark's SIP heuristics on ports other than 5060 need the start line
// in the first segment).
func (g *gen) sendTCP(c *tcpConn, fromClient bool, payload []byte) {
	src, dst, seq, ack := &c.cli, &c.srv, &c.cseq, &c.sseq
	if !fromClient {
		src, dst, seq, ack = &c.srv, &c.cli, &c.sseq, &c.cseq
	}
	if first := bytes.IndexByte(payload, '\n') + 1; first > 0 && first < len(payload) && g.r.IntN(10) == 0 {
		cut := first + g.r.IntN(len(payload)-first)
		g.tcp(src, dst, *seq, *ack, tcpPSH|tcpACK, payload[:cut])
		*seq += uint32(cut)
		g.us(20, 800)
		payload = payload[cut:]
		g.rep.SplitMessages++
	}
	g.tcp(src, dst, *seq, *ack, tcpPSH|tcpACK, payload)
	*seq += uint32(len(payload))
}

// closeTCP ends c: FIN from the client, FIN from the server, last ACK.
func (g *gen) closeTCP(c *tcpConn) {
	if !c.open {
		return
	}
	g.tcp(&c.cli, &c.srv, c.cseq, c.sseq, tcpFIN|tcpACK, nil)
	c.cseq++
	g.us(80, 1500)
	g.tcp(&c.srv, &c.cli, c.sseq, c.cseq, tcpFIN|tcpACK, nil)
	c.sseq++
	g.us(80, 1500)
	g.tcp(&c.cli, &c.srv, c.cseq, c.sseq, tcpACK, nil)
	c.open = false
}
