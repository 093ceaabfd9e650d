package gen

import "encoding/binary"

// Media (Config.RTP). Each answered call carries audio both ways between
// the addresses of its offer and answer (RFC 3264): G.711 (PCMU or PCMA,
// 160 bytes every 20 ms, RFC 3551 §4.5.14) or, in some calls, opus at
// 48 kHz on a dynamic payload type with its rtpmap (RFC 7587). Some
// calls send DTMF as RFC 4733 telephone events (PT 101), a few are
// one-way (one side's media never arrives), and streams lose a few
// packets and arrive with some jitter.
//
// A stream is not rendered when its call is: it is a lazy iterator in
// the merge heap, which renders one packet at a time into a scratch
// buffer, so memory stays small whatever the calls' lengths.

const (
	rtpHdrLen  = 12
	ptime      = 20e6 // ns between packets
	eventPT    = 101
	opusPT     = 111
	dtmfVolume = 10
)

// codec is the payload of a call's media.
type codec struct {
	pt    uint8
	step  uint32 // timestamp units per packet
	size  int    // payload bytes (opus: the mean)
	fill  byte   // G.711 silence
	dtmf  bool   // the call may send telephone events
	offer string // the m= line's formats and attributes of the offer
	reply string // of the answer
}

const (
	g711Maps = "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n"
	eventMap = "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
	tail     = "a=ptime:20\r\na=sendrecv\r\n"
)

var (
	pcmu = codec{pt: 0, step: 160, size: 160, fill: 0xff, dtmf: true,
		offer: " RTP/AVP 0 8 9 101\r\n" + g711Maps + eventMap + tail,
		reply: " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n" + eventMap + tail}
	pcma = codec{pt: 8, step: 160, size: 160, fill: 0xd5, dtmf: true,
		offer: " RTP/AVP 8 0 9 101\r\n" + g711Maps + eventMap + tail,
		reply: " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n" + eventMap + tail}
	opus = codec{pt: opusPT, step: 960, size: 90,
		offer: " RTP/AVP 111 0 8 101\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n" +
			"a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" + eventMap + tail,
		reply: " RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n" + tail}
)

// pickCodec chooses a call's codec: G.711 mostly, opus in one call in six.
func (g *gen) pickCodec() *codec {
	switch x := g.r.IntN(12); {
	case x < 5:
		return &pcmu
	case x < 10:
		return &pcma
	default:
		return &opus
	}
}

// mediaPort is u's next RTP port: even, from 10000 to 29998 (RFC 3550
// §11), each of its calls on a port of its own.
func (u *ua) mediaPort() uint16 {
	if u.rtpPort < 10000 || u.rtpPort > 29998 {
		u.rtpPort = 10000
	}
	p := u.rtpPort
	u.rtpPort += 2
	return p
}

// sdpRTP renders a description of u's audio at port, offer or answer.
func (g *gen) sdpRTP(u *ua, port uint16, c *codec, answer bool) []byte {
	st := len(g.m)
	id := uint32(g.r.Uint32() >> 1)
	ip := u.ipString()
	g.s("v=0\r\no=- ")
	g.num(id)
	g.s(" ")
	g.num(id)
	g.s(" IN IP4 ", ip, "\r\ns=-\r\nc=IN IP4 ", ip, "\r\nt=0 0\r\nm=audio ")
	g.num(uint32(port))
	if answer {
		g.s(c.reply)
	} else {
		g.s(c.offer)
	}
	return g.m[st:len(g.m):len(g.m)]
}

// event is one RFC 4733 telephone event of a stream: it replaces the
// audio of its packets, from slot at for n packets plus two copies of
// the final one (§2.5.1.4).
type event struct {
	at    int
	n     int
	digit byte
}

// rtpStream is one direction of a call's media, rendered packet by
// packet. Its own random state keeps the main sequence independent of
// how packets interleave.
type rtpStream struct {
	src, dst endpoint
	c        *codec
	x        uint64 // splitmix64 state
	ssrc     uint32
	seq      uint16
	ts0      uint32
	start    int64 // nominal time of slot 0, Unix ns
	slots    int   // 20 ms slots from start to the end of the call
	slot     int   // the slot of the pending packet
	t        int64 // capture time of the pending packet
	loss     uint64
	jitter   int64 // the largest extra delay, ns
	events   []event
	ev       int // next or current event
	lost     int
}

func (s *rtpStream) rand() uint64 {
	s.x += 0x9e3779b97f4a7c15
	z := s.x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// advance moves to the next packet that arrives and sets its time; it
// reports false at the end of the stream. The first packet is never
// lost; a lost packet still takes its sequence number (a receiver sees
// the gap).
func (s *rtpStream) advance(first bool) bool {
	last, skipped := s.t, 0
	for {
		if !first {
			s.slot++
			s.seq++
		}
		if s.slot >= s.slots {
			return false // packets lost at the end are not sent either: the stream is shorter
		}
		if first || s.loss == 0 || s.rand() >= s.loss || s.inEvent() {
			break
		}
		skipped++
		first = false
	}
	s.lost += skipped
	t := s.start + int64(s.slot)*ptime
	if s.jitter > 0 {
		t += int64(s.rand() % uint64(s.jitter))
	}
	s.t = max(t, last)
	return true
}

// inEvent reports whether the pending slot carries a telephone event
// (which is never lost: its last packets say when it ended).
func (s *rtpStream) inEvent() bool {
	for s.ev < len(s.events) && s.slot >= s.events[s.ev].at+s.events[s.ev].n+2 {
		s.ev++
	}
	return s.ev < len(s.events) && s.slot >= s.events[s.ev].at
}

// render writes the pending packet as a pcap record into b.
func (g *gen) renderRTP(s *rtpStream) []byte {
	pt, marker := s.c.pt, s.slot == 0
	ts := s.ts0 + uint32(s.slot)*s.c.step
	size := s.c.size
	var ev *event
	if s.inEvent() {
		ev = &s.events[s.ev]
		pt, marker = eventPT, s.slot == ev.at
		ts = s.ts0 + uint32(ev.at)*s.c.step
		size = 4
	} else if s.c.pt == opusPT {
		size = s.c.size - 30 + int(s.rand()%60)
	}
	n := ethLen + ipLen + udpLen + rtpHdrLen + size
	b := g.rtpBuf[:recLen+n]
	le := binary.LittleEndian
	sub := uint32(s.t % 1e9)
	if !g.cfg.Nanos {
		sub /= 1000
	}
	le.PutUint32(b[0:], uint32(s.t/1e9))
	le.PutUint32(b[4:], sub)
	le.PutUint32(b[8:], uint32(n))
	le.PutUint32(b[12:], uint32(n))
	f := b[recLen:]
	ether(f, &s.src, &s.dst)
	g.ipv4tos(f[ethLen:], &s.src, &s.dst, 17, ipLen+udpLen+rtpHdrLen+size, 0xb8) // EF, as phones mark voice
	u := f[ethLen+ipLen:]
	be.PutUint16(u[0:], s.src.port)
	be.PutUint16(u[2:], s.dst.port)
	be.PutUint16(u[4:], uint16(udpLen+rtpHdrLen+size))
	u[6], u[7] = 0, 0
	r := u[udpLen:]
	r[0] = 0x80
	r[1] = pt
	if marker {
		r[1] |= 0x80
	}
	be.PutUint16(r[2:], s.seq)
	be.PutUint32(r[4:], ts)
	be.PutUint32(r[8:], s.ssrc)
	p := r[rtpHdrLen : rtpHdrLen+size]
	if ev != nil {
		k := s.slot - ev.at // packets since the event began
		dur := uint32(k+1) * s.c.step
		endBit := byte(0)
		if k >= ev.n-1 {
			dur, endBit = uint32(ev.n)*s.c.step, 0x80
		}
		p[0], p[1] = ev.digit, endBit|dtmfVolume
		be.PutUint16(p[2:], uint16(dur))
		g.rep.DTMFPackets++
		return b
	}
	if s.c.pt == opusPT {
		for i := range p {
			p[i] = byte(s.seq) + byte(i)*37
		}
	} else {
		copy(p, g.silence[min(s.c.pt, 1)][:size])
	}
	return b
}

// startRTP sets up one direction of a call's media from src to dst for
// the slots from start to end, and queues it for the merge.
func (g *gen) startRTP(src, dst *ua, srcPort, dstPort uint16, c *codec, start, end int64, dtmf bool) {
	slots := int((end - start) / ptime)
	if slots <= 0 {
		return
	}
	s := &rtpStream{
		src: src.ep, dst: dst.ep, c: c,
		x:    g.r.Uint64(),
		ssrc: g.r.Uint32(), seq: uint16(g.r.Uint32()), ts0: g.r.Uint32(),
		start: start, slots: slots,
	}
	s.src.port, s.dst.port = srcPort, dstPort
	// Most streams are clean; the others lose up to RTPLoss of their
	// packets and arrive up to RTPJitter late.
	if g.cfg.RTPLoss > 0 && g.r.IntN(10) < 3 {
		s.loss = uint64(g.r.Float64() * g.cfg.RTPLoss * (1 << 63) * 2)
	}
	if g.cfg.RTPJitter > 0 {
		s.jitter = 1 + int64(g.r.Float64()*g.cfg.RTPJitter*1e6)
	}
	if dtmf && c.dtmf && slots > 100 {
		at := 50 + g.r.IntN(50)
		for k := 3 + g.r.IntN(6); k > 0; k-- {
			n := 4 + g.r.IntN(6) // 80 to 180 ms
			if at+n+2 >= slots {
				break
			}
			s.events = append(s.events, event{at: at, n: n, digit: byte(g.r.IntN(12))})
			g.rep.DTMFEvents++
			at += n + 2 + 10 + g.r.IntN(25)
		}
	}
	g.rep.RTPStreams++
	// Committed as if none were lost: the size target counts them when
	// the call starts, as it does the signalling.
	per := int64(recLen + ethLen + ipLen + udpLen + rtpHdrLen + c.size)
	g.committed += int64(slots) * per
	g.pendingRTP = append(g.pendingRTP, s)
}

// pushRTP puts the streams the last scenario started in the merge.
func (g *gen) pushRTP() {
	for i, r := range g.pendingRTP {
		r.advance(true)
		g.ids++
		g.push(&scenario{id: g.ids, rtp: r})
		g.pendingRTP[i] = nil
	}
	g.pendingRTP = g.pendingRTP[:0]
}

// media starts the audio of an answered call: b sends once it has sent
// its 200 OK (at okB), a once the 200 reached it (okA); both stop at the
// BYE (bye). A few calls are one-way: one side's media never arrives.
func (g *gen) media(a, b *ua, aPort, bPort uint16, c *codec, okB, okA, bye int64) {
	g.rep.MediaCalls++
	oneWay := g.r.IntN(100) < 3
	dtmf := g.r.IntN(100) < 20
	if oneWay {
		g.rep.OneWayCalls++
	}
	g.startRTP(a, b, aPort, bPort, c, okA+int64(g.r.IntN(40))*1e6, bye, dtmf)
	if !oneWay {
		g.startRTP(b, a, bPort, aPort, c, okB+int64(g.r.IntN(20))*1e6, bye, false)
	}
}
