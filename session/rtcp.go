package session

import (
	"net/netip"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/media"
)

// The endpoints report on each other's streams in RTCP (RFC 3550 §6.4):
// a receiver's view of the loss and jitter of the stream it gets, and,
// from a sender report echoed in a receiver report, the round trip. The
// store keeps the latest report about each stream beside what the
// capture itself measured: the two differ when the capture point is not
// the receiver.

// RTCP is one RTCP compound packet's report blocks.
type RTCP struct {
	Packet   int
	Time     time.Time
	Src, Dst netip.AddrPort
	Reports  []media.Report
}

// Reported is what RTCP said about a stream.
type Reported struct {
	Reports        int     // report blocks about the stream
	FractionLost   float64 // %, in the latest block (since the one before)
	CumulativeLost int32
	JitterMs       float64 // the latest block's jitter, in ms of the stream's clock (0 unknown)
	// RTT is the round trip between the capture point and the
	// receiver, from the receiver's echo of a captured sender report
	// (RFC 3550 §6.4.1: A − LSR − DLSR, with the capture times).
	RTT    time.Duration
	HasRTT bool
	VoIP   *media.VoIPMetrics // the latest RTCP XR VoIP metrics block (RFC 3611 §4.7)
}

// maxSRs bounds the sender reports remembered for the round trip.
const maxSRs = 4096

// RTCPBatch adds RTCP packets, in capture order.
func (s *Store) RTCPBatch(ps []RTCP) {
	for i := range ps {
		s.RTCP(&ps[i])
	}
}

// RTCP adds one RTCP packet's reports to the streams they are about.
func (s *Store) RTCP(p *RTCP) {
	md := &s.media
	for i := range p.Reports {
		r := &p.Reports[i]
		if r.Kind == media.SenderReport {
			if md.srAt == nil || len(md.srAt) >= maxSRs {
				md.srAt = map[uint32]time.Time{}
			}
			md.srAt[uint32(r.NTPTime>>16)] = p.Time // the LSR a receiver will echo (§6.4.1)
		}
		if !r.HasBlock && r.VoIP == nil {
			continue
		}
		st := s.reportedStream(r.Source, p.Src.Addr())
		if st == nil {
			continue
		}
		if st.Reported == nil {
			st.Reported = new(Reported)
		}
		rep := st.Reported
		if r.VoIP != nil {
			rep.VoIP = r.VoIP
			continue
		}
		rep.Reports++
		rep.FractionLost, rep.CumulativeLost = r.FractionLost, r.CumulativeLost
		if hz := clockOf(st.Codec); hz > 0 {
			rep.JitterMs = float64(r.Jitter) * 1000 / float64(hz)
		}
		if sent, ok := md.srAt[r.LSR]; ok && r.LSR != 0 {
			if rtt, ok := media.RoundTrip(media.NTPShort(p.Time), media.NTPShort(sent), r.DLSR); ok {
				rep.RTT, rep.HasRTT = rtt, true
			}
		}
	}
}

// reportedStream finds the stream a report block is about: its SSRC,
// received by the host that sent the report (else any with that SSRC).
func (s *Store) reportedStream(ssrc uint32, reporter netip.Addr) *Stream {
	var any *Stream
	for _, i := range s.media.bySSRC[ssrc] {
		st := s.media.streams[i]
		if st.Dst.Addr() == reporter {
			return st
		}
		if any == nil {
			any = st
		}
	}
	return any
}

// MOS estimates the stream's listening quality with the E-model (package
// media: ITU-T G.107, simplified): its codec, the loss and mean jitter
// the capture measured, and half the RTCP round trip as the network's
// one-way delay when a report gave one. The receiver is taken to
// conceal lost G.711 packets (PLC), as phones do.
func (st *Stream) MOS() media.Estimate {
	sm := st.Stats()
	in := media.MOSInput{Codec: st.Codec, PLC: true, Jitter: sm.MeanJitter}
	if i := strings.IndexByte(st.Codec, '/'); i >= 0 {
		in.Codec = st.Codec[:i]
	}
	if sm.Expected > 0 && sm.Lost > 0 {
		in.LossPct = 100 * float64(sm.Lost) / float64(sm.Expected)
	}
	if st.Reported != nil && st.Reported.HasRTT {
		in.OneWay = st.Reported.RTT / 2
	}
	return media.EstimateMOS(in)
}
