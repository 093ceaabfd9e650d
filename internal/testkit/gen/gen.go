// Package gen writes large, realistic and reproducible SIP captures for
// tests and benchmarks: thousands of user agents behind one proxy,
// registering (with digest challenges, some with a wrong password),
// calling (proxy challenge, ringing, answer, hang-up; some busy, some
// cancelled), pinging each other with OPTIONS, over UDP and TCP, with
// retransmissions, TCP messages split over two segments and a few
// malformed packets, all interleaved in time order.
//
// The output is a pcap stream (Ethernet, IPv4) written with bounded
// memory: a scenario is rendered when it starts and its packets are
// merged with the other running scenarios by time. The same Config always
// gives the same bytes. Generate returns a Report that counts exactly
// what a correct decoder must find in the capture.
//
// A test kit: only tests, benchmarks and tools/sipgen import it.
package gen

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"time"
)

// Version changes whenever the bytes written for a given Config change.
const Version = 1

// DefaultMessages is the target when Config sets neither Size nor Messages.
const DefaultMessages = 100000

// Config says what to generate.
type Config struct {
	Seed uint64
	// Size is the target file size in bytes: no scenario starts once the
	// scenarios started reach it, so the file ends a few KB above it.
	Size int64
	// Messages is the target number of SIP messages, in the same way.
	// When both are set, the first reached stops the generation.
	Messages int
	// Start is the time of the first scenario (default 2026-03-02 09:00 UTC).
	Start time.Time
	// Rate is the number of scenarios started per second of capture time
	// (default 200: about 1,300 SIP messages per second).
	Rate float64
	// UAs is the number of user agents (default scales with the target,
	// from 2,000 to 20,000).
	UAs int
	// Nanos writes nanosecond timestamps (pcap magic a1b23c4d) instead of
	// microseconds.
	Nanos bool
	// RTP adds the media of every answered call: audio both ways between
	// the addresses and ports of its offer and answer, for as long as the
	// call lasts (see rtp.go). The size target counts it, so most of the
	// file is RTP. Without it the output is what it always was.
	RTP bool
	// RTPLoss is the highest share of packets a lossy stream loses (three
	// streams in ten lose some); RTPJitter the largest delay, in
	// milliseconds, a packet arrives after its 20 ms slot. Only with RTP;
	// Generate takes 0 for none.
	RTPLoss   float64
	RTPJitter float64
}

// Report counts what was written. Every count is exact: a decoder that
// reads the capture correctly finds these numbers.
type Report struct {
	Generator string `json:"generator"`
	Seed      uint64 `json:"seed"`
	Bytes     int64  `json:"bytes"`   // file size
	Packets   int    `json:"packets"` // frames
	// SIPMessages is every SIP message, retransmitted copies included; a
	// message split over two TCP segments counts once.
	SIPMessages     int `json:"sip_messages"`
	Calls           int `json:"calls"`           // distinct Call-IDs
	Retransmissions int `json:"retransmissions"` // byte-identical UDP copies of an earlier message, later in time
	UDPMessages     int `json:"udp_messages"`
	TCPMessages     int `json:"tcp_messages"`
	TCPConnections  int `json:"tcp_connections"`
	TCPSegments     int `json:"tcp_segments"`   // every TCP frame: handshakes, data, FIN
	SplitMessages   int `json:"split_messages"` // TCP messages sent in two segments
	// Malformed is TruncatedIP + Garbage: the packets a decoder must
	// report as undecodable, one record each.
	Malformed   int `json:"malformed"`
	TruncatedIP int `json:"truncated_ip"` // Ethernet frames whose IPv4 header is cut at 12 bytes
	Garbage     int `json:"garbage"`      // UDP datagrams to port 5060 holding text that is not SIP
	// Keepalives are UDP datagrams holding only CRLF CRLF (RFC 5626
	// §3.5.1); STUN are binary STUN binding requests to port 5060. Neither
	// is a SIP message nor malformed.
	Keepalives int `json:"keepalives"`
	STUN       int `json:"stun"`

	Registrations       int `json:"registrations"`        // REGISTER scenarios
	RegistrationsFailed int `json:"registrations_failed"` // ended in 403 after a wrong password
	Unregistrations     int `json:"unregistrations"`      // Expires: 0
	Invites             int `json:"invites"`              // INVITE scenarios
	Answered            int `json:"answered"`
	Busy                int `json:"busy"`
	Cancelled           int `json:"cancelled"`
	InviteAuthFailed    int `json:"invite_auth_failed"` // 403 after a wrong password
	Options             int `json:"options"`
	OptionsUnanswered   int `json:"options_unanswered"`

	UAs    int       `json:"uas"`
	TCPUAs int       `json:"tcp_uas"`
	Start  time.Time `json:"start"` // first packet
	End    time.Time `json:"end"`   // last packet
	Realm  string    `json:"realm"`
	// Media (Config.RTP only; absent from the JSON without it).
	MediaCalls  int   `json:"media_calls,omitempty"`   // answered calls that carry RTP
	OneWayCalls int   `json:"one_way_calls,omitempty"` // of which one direction never arrives
	RTPStreams  int   `json:"rtp_streams,omitempty"`   // one SSRC from one address to another
	RTPPackets  int   `json:"rtp_packets,omitempty"`   // every RTP frame, telephone events included
	RTPBytes    int64 `json:"rtp_bytes,omitempty"`     // of the file: the RTP frames with their record headers
	RTPLost     int   `json:"rtp_lost,omitempty"`      // sequence numbers skipped (packets never sent)
	DTMFEvents  int   `json:"dtmf_events,omitempty"`   // RFC 4733 telephone events
	DTMFPackets int   `json:"dtmf_packets,omitempty"`  // their packets (PT 101), end copies included

	// PasswordRule says how each user's password is made, so that the
	// captured digests can be checked: user 1000's password is pw-1000.
	// Failed attempts used the password followed by "x".
	PasswordRule string `json:"password_rule"`
}

// Generate writes a capture to w and reports what it holds.
func Generate(w io.Writer, cfg Config) (*Report, error) {
	g := newGen(cfg)
	if err := g.run(w); err != nil {
		return nil, err
	}
	return &g.rep, nil
}

// scenario is one flow (a registration, a call, …) rendered as pcap
// records back to back, waiting to be merged into the output.
type scenario struct {
	id    uint64
	buf   []byte
	offs  []int32    // start of each record in buf
	times []int64    // capture time of each record, Unix ns, non-decreasing
	next  int        // next record to write
	rtp   *rtpStream // a media stream instead, rendered one packet at a time
}

func (s *scenario) head() int64 {
	if s.rtp != nil {
		return s.rtp.t
	}
	return s.times[s.next]
}

func (s *scenario) record(i int) []byte {
	end := len(s.buf)
	if i+1 < len(s.offs) {
		end = int(s.offs[i+1])
	}
	return s.buf[s.offs[i]:end]
}

type gen struct {
	cfg Config
	r   *rand.Rand
	rep Report

	uas    []ua
	udpUAs []int32
	proxy  endpoint

	heap []*scenario
	free []*scenario
	cur  *scenario // the scenario being rendered
	t    int64     // its time cursor, Unix ns
	m    []byte    // scratch for the SIP messages of the current scenario

	ids       uint64
	callSeq   uint64
	ipid      uint16
	pport     uint16 // the proxy's next ephemeral port
	committed int64  // bytes of every scenario started, file header included

	pendingRTP []*rtpStream // the streams of the scenario being rendered
	rtpBuf     []byte       // one RTP record
	silence    [2][]byte    // G.711 payloads: PCMU, PCMA
}

func newGen(cfg Config) *gen {
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 200
	}
	if cfg.Size <= 0 && cfg.Messages <= 0 {
		cfg.Messages = DefaultMessages
	}
	if cfg.UAs <= 0 {
		est := cfg.Messages
		if cfg.Size > 0 && (est == 0 || int(cfg.Size/600) < est) {
			est = int(cfg.Size / 600)
		}
		cfg.UAs = min(max(2000, est/100), 20000)
	}
	g := &gen{
		cfg:   cfg,
		r:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		pport: 32768,
		proxy: endpoint{mac: [6]byte{0x02, 0x42, 0x0a, 0x00, 0x00, 0x0a}, ip: proxyIP, port: 5060},
	}
	g.rep.Generator = "sipgen v" + itoa(Version)
	g.rep.Seed = cfg.Seed
	g.rep.Realm = realm
	g.rep.PasswordRule = "pw-<user>"
	g.makeUAs(cfg.UAs)
	if cfg.RTP {
		g.rtpBuf = make([]byte, 2048)
		g.silence = [2][]byte{make([]byte, 256), make([]byte, 256)}
		for i := range 256 { // comfort-level noise around silence
			g.silence[0][i] = 0xff ^ byte(i*7)&3
			g.silence[1][i] = 0xd5 ^ byte(i*5)&3
		}
	}
	return g
}

func (g *gen) run(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var hdr [24]byte
	magic := uint32(0xa1b2c3d4)
	if g.cfg.Nanos {
		magic = 0xa1b23c4d
	}
	le := binary.LittleEndian
	le.PutUint32(hdr[0:], magic)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 65535)
	le.PutUint32(hdr[20:], 1) // LINKTYPE_ETHERNET
	bw.Write(hdr[:])
	g.rep.Bytes = int64(len(hdr))
	g.committed = int64(len(hdr))

	next := g.cfg.Start.UnixNano()
	creating := true
	first := true
	var last int64
	for {
		if creating && (len(g.heap) == 0 || next <= g.heap[0].head()) {
			g.create(next)
			next += 1 + int64(g.r.ExpFloat64()/g.cfg.Rate*1e9)
			if (g.cfg.Size > 0 && g.committed >= g.cfg.Size) || (g.cfg.Messages > 0 && g.rep.SIPMessages >= g.cfg.Messages) {
				creating = false
			}
			continue
		}
		if len(g.heap) == 0 {
			break
		}
		s := g.heap[0]
		t := s.head()
		if first {
			g.rep.Start, first = time.Unix(0, t).UTC(), false
		}
		if t < last {
			return errors.New("gen: internal error: packets out of time order")
		}
		last = t
		if r := s.rtp; r != nil {
			rec := g.renderRTP(r)
			if _, err := bw.Write(rec); err != nil {
				return err
			}
			g.rep.Bytes += int64(len(rec))
			g.rep.RTPBytes += int64(len(rec))
			g.rep.Packets++
			g.rep.RTPPackets++
			if r.advance(false) {
				g.down(0)
			} else {
				g.rep.RTPLost += r.lost
				g.pop()
			}
			continue
		}
		rec := s.record(s.next)
		if _, err := bw.Write(rec); err != nil {
			return err
		}
		g.rep.Bytes += int64(len(rec))
		g.rep.Packets++
		s.next++
		if s.next == len(s.offs) {
			g.pop()
			g.release(s)
		} else {
			g.down(0)
		}
	}
	g.rep.End = time.Unix(0, last).UTC()
	return bw.Flush()
}

// create renders the scenario that starts at t.
func (g *gen) create(t int64) {
	s := g.alloc()
	g.cur, g.t, g.m = s, t, g.m[:0]
	x := g.r.Float64()
	switch {
	case x < 0.30:
		g.register()
	case x < 0.60:
		g.invite()
	case x < 0.80:
		g.optionsFromProxy()
	case x < 0.93:
		g.optionsFromUA()
	case x < 0.975:
		g.keepalive()
	case x < 0.997:
		g.stun()
	case x < 0.9985:
		g.truncatedIP()
	default:
		g.garbage()
	}
	g.cur = nil
	if len(s.offs) == 0 {
		g.release(s)
		return
	}
	g.committed += int64(len(s.buf))
	g.push(s)
	if len(g.pendingRTP) > 0 {
		g.pushRTP()
	}
}

func (g *gen) alloc() *scenario {
	g.ids++
	if n := len(g.free); n > 0 {
		s := g.free[n-1]
		g.free = g.free[:n-1]
		s.id = g.ids
		return s
	}
	return &scenario{id: g.ids}
}

func (g *gen) release(s *scenario) {
	s.buf, s.offs, s.times, s.next = s.buf[:0], s.offs[:0], s.times[:0], 0
	if cap(s.buf) > 1<<20 { // an unusual giant: do not keep it
		return
	}
	g.free = append(g.free, s)
}

// A binary min-heap of running scenarios by the time of their next
// record, ties broken by start order so that output is reproducible.

func (g *gen) less(i, j int) bool {
	a, b := g.heap[i], g.heap[j]
	if ta, tb := a.head(), b.head(); ta != tb {
		return ta < tb
	}
	return a.id < b.id
}

func (g *gen) push(s *scenario) {
	g.heap = append(g.heap, s)
	for i := len(g.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !g.less(i, p) {
			break
		}
		g.heap[i], g.heap[p] = g.heap[p], g.heap[i]
		i = p
	}
}

func (g *gen) pop() {
	n := len(g.heap) - 1
	g.heap[0] = g.heap[n]
	g.heap[n] = nil
	g.heap = g.heap[:n]
	if n > 0 {
		g.down(0)
	}
}

func (g *gen) down(i int) {
	n := len(g.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && g.less(r, l) {
			m = r
		}
		if !g.less(m, i) {
			return
		}
		g.heap[i], g.heap[m] = g.heap[m], g.heap[i]
		i = m
	}
}

// Time cursor.

func (g *gen) us(lo, hi int64) { g.t += (lo + g.r.Int64N(hi-lo+1)) * 1000 }
func (g *gen) ms(lo, hi int64) { g.us(lo*1000, hi*1000) }
