package session

import (
	"bytes"
	"net/netip"
	"strconv"
	"time"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/siplex"
)

// Media streams are found from the session descriptions (RFC 3264 §5,
// §6): an m= line with its c= address says where its sender wants the
// stream; RTP arriving there (or leaving from there, with symmetric RTP)
// belongs to that call. A stream is one SSRC from one address to
// another (RFC 3550 §3, §8). Its statistics are kept per stream and per
// second (package media), never per packet.

// RTP is one RTP packet between two media addresses.
type RTP struct {
	Packet   int
	Src, Dst netip.AddrPort
	P        media.Packet
}

// Stream is one direction of media: one SSRC from Src to Dst.
type Stream struct {
	Seq      int // its number in order of first packet, from 0 (Store.Stream)
	Src, Dst netip.AddrPort
	SSRC     uint32
	// Call is the Seq of the call whose session description names Dst
	// (or Src), -1 when none does: the stream was found by its packets
	// only (see Plausible).
	Call        int
	FirstPacket int // frame numbers of its first and last packets
	LastPacket  int
	// Codec names the first packet's payload type: the SDP's rtpmap, or
	// the static type of RFC 3551 §6, or "PT n".
	Codec string
	// Types counts the packets of each payload type, in order of first
	// use (at most maxTypes; later types are counted in the last).
	Types []TypeCount
	// SRTP: the description that named the stream's address gave it a
	// secure profile (RTP/SAVP or SAVPF): its payloads are encrypted
	// (RFC 3711), which sipdbg does not undo.
	SRTP bool
	// Reported is what RTCP said of the stream, nil without a report.
	Reported *Reported
	stats    *media.Stats
}

// TypeCount is how many packets of a stream had one payload type.
type TypeCount struct {
	PT      uint8
	Packets int
	// Events counts the packets whose payload has the size of RFC 4733
	// events (§2.3: 4 bytes each, a few per packet) and a DTMF event
	// code: a payload type the SDP did not name that carries only such
	// packets is DTMF.
	Events int
}

// maxTypes bounds the payload types counted per stream: audio, events,
// comfort noise and a codec change fit.
const maxTypes = 8

func (st *Stream) count(p *media.Packet) {
	ev := 0
	if p.Size > 0 && p.Size <= 16 && p.Size%4 == 0 && p.Head[0] <= 16 { // RFC 4733 §3.2: events 0–15 are DTMF, 16 flash
		ev = 1
	}
	for i := range st.Types {
		if st.Types[i].PT == p.PT {
			st.Types[i].Packets++
			st.Types[i].Events += ev
			return
		}
	}
	if len(st.Types) < maxTypes {
		st.Types = append(st.Types, TypeCount{PT: p.PT, Packets: 1, Events: ev})
		return
	}
	st.Types[maxTypes-1].Packets++
}

// Stats returns what the stream's packets measured.
func (st *Stream) Stats() media.Summary { return st.stats.Summary() }

// Plausible reports whether the stream is media worth showing: named by
// a session description, or, found by its packets alone, long enough and
// with a sequence that mostly follows (a stable SSRC whose numbers
// advance: RFC 3550 A.1's probation, stretched over the stream).
func (st *Stream) Plausible() bool {
	if st.Call >= 0 {
		return true
	}
	s := st.stats.Summary()
	return s.Packets >= 10 && s.Lost >= 0 && s.Lost*10 <= s.Packets && len(s.PTs) <= 2
}

// sdpMedia is what a session description said of one media address.
type sdpMedia struct {
	call    int
	formats []format
	srtp    bool // its profile is secure RTP (RTP/SAVP, SAVPF: RFC 3711 §12, RFC 5124)
}

// format is one payload type of an m= line with its rtpmap.
type format struct {
	pt    uint8
	name  string // "PCMU/8000", "telephone-event/8000"
	clock int
}

// maxStreams bounds the streams a store keeps: datagrams that only look
// like RTP (version 2 in the first bits) must not grow it without end.
const maxStreams = 1 << 16

type streamKey struct {
	src, dst netip.AddrPort
	ssrc     uint32
}

// media is the store's media state.
type mediaState struct {
	streams []*Stream
	sdp     map[netip.AddrPort]sdpMedia // the latest description naming each address
	orphans map[netip.AddrPort][]int32  // streams with no call yet, by both addresses
	at      map[netip.AddrPort][]int32  // every stream, by both its addresses
	hosts   map[netip.Addr]int32        // how many streams each host sends or receives
	bySSRC  map[uint32][]int32          // streams by SSRC: to find a packet's, and RTCP's (rtcp.go)
	srAt    map[uint32]time.Time        // capture time of each sender report, by the LSR that echoes it
	packets int
	// indexed: sdp holds every description so far. Until the first
	// stream it stays empty, and add notes no description: a capture of
	// signalling only (most large ones) never pays for reading its SDP.
	indexed bool
}

// RTPBatch adds RTP packets, in capture order, to their streams.
func (s *Store) RTPBatch(ps []RTP) {
	for i := range ps {
		s.RTP(&ps[i])
	}
}

// RTP adds one RTP packet to its stream.
func (s *Store) RTP(p *RTP) {
	md := &s.media
	md.packets++
	// By SSRC first: a 4-byte key hashes in a few nanoseconds where the
	// whole (source, destination, SSRC) would take far longer, and an
	// SSRC is nearly always one stream (a relay forwarding it keeps it:
	// then a few to compare).
	var st *Stream
	for _, i := range md.bySSRC[p.P.SSRC] {
		if c := md.streams[i]; c.Src == p.Src && c.Dst == p.Dst {
			st = c
			break
		}
	}
	if st == nil {
		if len(md.streams) >= maxStreams {
			return
		}
		st = md.streams[s.newStream(streamKey{p.Src, p.Dst, p.P.SSRC}, p)]
	}
	st.LastPacket = p.Packet
	st.count(&p.P)
	st.stats.Add(p.P)
}

func (s *Store) newStream(k streamKey, p *RTP) int32 {
	md := &s.media
	if !md.indexed {
		s.indexSDP()
	}
	st := &Stream{Seq: len(md.streams), Src: k.src, Dst: k.dst, SSRC: k.ssrc, Call: -1, FirstPacket: p.Packet}
	i := int32(len(md.streams))
	md.streams = append(md.streams, st)
	md.index(st, i)
	s.bytes += streamOverhead
	ref, ok := md.sdp[k.dst]
	if !ok {
		ref, ok = md.sdp[k.src] // symmetric RTP: it leaves from where its sender receives
	}
	if ok {
		s.link(st, ref, p.P.PT)
	} else {
		md.orphan(st, i)
		st.Codec = staticCodec(p.P.PT)
		st.stats = media.NewStats(clockOf(st.Codec))
	}
	return i
}

// link ties a stream to the call whose description named its address.
func (s *Store) link(st *Stream, ref sdpMedia, pt uint8) {
	st.Call, st.SRTP = ref.call, ref.srtp
	if c := s.Call(ref.call); c != nil {
		c.Streams = append(c.Streams, int32(st.Seq))
	}
	st.Codec = staticCodec(pt)
	for _, f := range ref.formats {
		if f.pt == pt {
			st.Codec = f.name
		}
	}
	if st.stats == nil { // else packets came before the description: their statistics are kept, with the clock they had
		st.stats = media.NewStats(clockOf(st.Codec))
	}
	for _, f := range ref.formats {
		switch {
		case media.IsTelephoneEvent(f.name):
			st.stats.SetEventPT(f.pt, f.clock) // RFC 4733 §7.1.1
		case f.pt >= 96 && f.clock > 0:
			st.stats.SetClock(f.pt, f.clock) // a dynamic type's rate is its rtpmap's (RFC 3551 §3)
		}
	}
}

// indexSDP notes the descriptions of the messages kept so far, in the
// order they came, as add would have as each one came; from then on add
// notes each new one.
func (s *Store) indexSDP() {
	s.media.indexed = true
	for _, chunk := range s.msgs {
		for i := range chunk {
			if m := &chunk[i]; m.Has(FlagSDP) && !m.Has(FlagRetransmission) {
				if c := s.Call(int(m.Call)); c != nil {
					s.noteMedia(c, m)
				}
			}
		}
	}
}

// noteMedia records the media addresses of m's session description for
// call c, and links the streams already seen at them.
func (s *Store) noteMedia(c *Call, m *Message) {
	body := m.Raw()[m.BodyOff:]
	md := &s.media
	siplex.SDP(body, func(x siplex.SDPMedia[[]byte]) bool {
		a, err := netip.ParseAddr(string(x.Addr))
		if x.Port <= 0 || err != nil {
			return true
		}
		at := netip.AddrPortFrom(a.Unmap(), uint16(x.Port))
		ref := sdpMedia{call: c.Seq, formats: formats(x), srtp: bytes.Contains(x.Proto, []byte("SAVP"))}
		if md.sdp == nil {
			md.sdp = map[netip.AddrPort]sdpMedia{}
		}
		md.sdp[at] = ref
		for _, i := range md.orphans[at] {
			if st := md.streams[i]; st.Call < 0 {
				s.link(st, ref, st.stats.Summary().PT)
			}
		}
		delete(md.orphans, at)
		return true
	})
}

// formats reads an m= line's payload types with their a=rtpmap (RFC
// 4566 §6: "a=rtpmap:<payload type> <encoding name>/<clock rate>").
func formats(x siplex.SDPMedia[[]byte]) []format {
	var out []format
	f := x.Formats
	for len(f) > 0 {
		tok := f
		if i := bytes.IndexByte(f, ' '); i >= 0 {
			tok, f = f[:i], f[i+1:]
		} else {
			f = nil
		}
		n, ok := siplex.Uint(tok)
		if !ok || n > 127 {
			continue
		}
		name := rtpmap(x.Attrs, tok)
		if name == "" {
			name = staticCodec(uint8(n))
		}
		out = append(out, format{pt: uint8(n), name: name, clock: clockOf(name)})
	}
	return out
}

// rtpmap returns the encoding of payload type pt in attrs' a=rtpmap
// lines, "" when none names it.
func rtpmap(attrs, pt []byte) string {
	for pos := 0; pos < len(attrs); {
		line, next := siplex.Line(attrs, pos)
		pos = next
		const pre = "a=rtpmap:"
		if len(line) <= len(pre)+len(pt) || string(line[:len(pre)]) != pre {
			continue
		}
		v := line[len(pre):]
		if string(v[:len(pt)]) == string(pt) && v[len(pt)] == ' ' {
			return string(siplex.TrimSpace(v[len(pt)+1:]))
		}
	}
	return ""
}

// staticCodec names a static payload type as an rtpmap would
// ("PCMU/8000"), or "PT n" for one RFC 3551 §6 does not assign.
func staticCodec(pt uint8) string {
	if c, ok := media.StaticCodec(pt); ok {
		return c.Name + "/" + strconv.Itoa(c.Clock)
	}
	return "PT " + strconv.Itoa(int(pt))
}

// clockOf is the clock rate of an encoding name as an rtpmap gives it
// ("opus/48000/2" → 48000), 0 when it has none.
func clockOf(name string) int {
	c, _ := media.ParseRtpmap(name)
	return c.Clock
}

// Streams returns every stream, in order of first packet.
func (s *Store) Streams() []*Stream { return s.media.streams }

// Stream returns the stream with that Seq, or nil.
func (s *Store) Stream(seq int) *Stream {
	if seq < 0 || seq >= len(s.media.streams) {
		return nil
	}
	return s.media.streams[seq]
}

// CallStreams returns the streams of call c, in order of first packet.
func (s *Store) CallStreams(c *Call) []*Stream {
	out := make([]*Stream, 0, len(c.Streams))
	for _, i := range c.Streams {
		out = append(out, s.media.streams[i])
	}
	return out
}

// MediaPackets is how many RTP packets the store has seen: none means a
// capture of signalling only, which says nothing of the media.
func (s *Store) MediaPackets() int { return s.media.packets }

// StreamsAt returns the streams sent from or to a, in order of first
// packet.
func (s *Store) StreamsAt(a netip.AddrPort) []*Stream {
	idx := s.media.at[a]
	out := make([]*Stream, 0, len(idx))
	for _, i := range idx {
		out = append(out, s.media.streams[i])
	}
	return out
}

// MediaHost reports whether the capture holds RTP sent from or to host:
// whether it sees that host's media at all.
func (s *Store) MediaHost(host netip.Addr) bool { return s.media.hosts[host] > 0 }
