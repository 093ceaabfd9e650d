package media

import (
	"encoding/binary"
	"time"

	"github.com/pion/rtcp"
)

// ReportKind tells which RTCP packet a Report comes from.
type ReportKind uint8

const (
	SenderReport   ReportKind = iota + 1 // SR, RFC 3550 §6.4.1
	ReceiverReport                       // RR, RFC 3550 §6.4.2
	ExtendedReport                       // XR VoIP Metrics, RFC 3611 §4.7
)

func (k ReportKind) String() string {
	switch k {
	case SenderReport:
		return "SR"
	case ReceiverReport:
		return "RR"
	case ExtendedReport:
		return "XR"
	}
	return "?"
}

// Report is one report block of an RTCP packet: what Reporter says of
// its reception of Source. An SR without report blocks still gives one
// Report, with Source 0 and HasBlock false, for its sender information.
type Report struct {
	At       time.Time
	Kind     ReportKind
	Reporter uint32 // SSRC of the packet's sender
	Source   uint32 // SSRC the block is about
	HasBlock bool

	// Reception report block (RFC 3550 §6.4.1).
	FractionLost   float64 // %, since the previous report (8-bit fixed point /256)
	CumulativeLost int32   // signed 24-bit: negative with duplicates
	HighestSeq     uint32  // extended highest sequence number received
	Jitter         uint32  // interarrival jitter in timestamp units
	LSR, DLSR      uint32  // NTP short format (16.16 s): last SR, and delay since it

	// Sender information, for Kind SenderReport.
	NTPTime     uint64 // 32.32 seconds since 1900
	RTPTime     uint32
	PacketCount uint32
	OctetCount  uint32

	VoIP *VoIPMetrics // for Kind ExtendedReport
}

// VoIPMetrics is an RFC 3611 §4.7 VoIP Metrics report block in units.
// A metric the reporter leaves unavailable (127 per §4.7.5–§4.7.6) has
// its Has flag false.
type VoIPMetrics struct {
	LossRate, DiscardRate      float64 // % of packets (§4.7.1: 8-bit fraction /256)
	BurstDensity, GapDensity   float64 // % of packets in bursts / gaps (§4.7.2)
	BurstDuration, GapDuration time.Duration
	RoundTripDelay             time.Duration // §4.7.3
	EndSystemDelay             time.Duration
	SignalLevel, NoiseLevel    int8 // dBm0 (§4.7.4); 127 unavailable
	RERL                       uint8
	Gmin                       uint8
	RFactor, ExtRFactor        uint8 // 0–100 (§4.7.5); 127 unavailable
	MOSLQ, MOSCQ               float64
	HasRFactor, HasMOSLQ       bool
	HasMOSCQ                   bool
	JBNominal, JBMaximum       time.Duration // jitter buffer (§4.7.7)
	JBAbsMax                   time.Duration
}

// ParseRTCP reads an RTCP compound packet (RFC 3550 §6.1) received at
// at and returns its report blocks. A packet of the compound that pion
// cannot decode is skipped and the others kept; false means nothing of b
// was a readable SR, RR or XR. Garbage never panics.
func ParseRTCP(b []byte, at time.Time) (reports []Report, ok bool) {
	defer func() {
		// pion's decoders are fuzzed upstream, but a debugger reads
		// hostile captures: a panic there must not take the session.
		if recover() != nil {
			reports, ok = nil, false
		}
	}()
	for len(b) >= 4 {
		n := 4 * (int(binary.BigEndian.Uint16(b[2:])) + 1)
		if b[0]>>6 != 2 || n > len(b) {
			break
		}
		reports = appendPacket(reports, b[:n], at)
		b = b[n:]
	}
	return reports, len(reports) > 0
}

func appendPacket(reports []Report, b []byte, at time.Time) []Report {
	pkts, err := rtcp.Unmarshal(b)
	if err != nil || len(pkts) != 1 {
		return reports
	}
	switch p := pkts[0].(type) {
	case *rtcp.SenderReport:
		base := Report{At: at, Kind: SenderReport, Reporter: p.SSRC,
			NTPTime: p.NTPTime, RTPTime: p.RTPTime, PacketCount: p.PacketCount, OctetCount: p.OctetCount}
		if len(p.Reports) == 0 {
			return append(reports, base)
		}
		for _, rr := range p.Reports {
			reports = append(reports, block(base, rr))
		}
	case *rtcp.ReceiverReport:
		base := Report{At: at, Kind: ReceiverReport, Reporter: p.SSRC}
		for _, rr := range p.Reports {
			reports = append(reports, block(base, rr))
		}
	case *rtcp.ExtendedReport:
		for _, rb := range p.Reports {
			if v, ok := rb.(*rtcp.VoIPMetricsReportBlock); ok {
				reports = append(reports, Report{At: at, Kind: ExtendedReport,
					Reporter: p.SenderSSRC, Source: v.SSRC, HasBlock: true, VoIP: voip(v)})
			}
		}
	}
	return reports
}

func block(r Report, rr rtcp.ReceptionReport) Report {
	r.HasBlock = true
	r.Source = rr.SSRC
	r.FractionLost = float64(rr.FractionLost) * 100 / 256
	// RFC 3550 §6.4.1: the cumulative number lost is a signed 24-bit
	// integer; pion hands its bits over unsigned.
	lost := int32(rr.TotalLost & 0xffffff)
	if lost&0x800000 != 0 {
		lost -= 1 << 24
	}
	r.CumulativeLost = lost
	r.HighestSeq = rr.LastSequenceNumber
	r.Jitter = rr.Jitter
	r.LSR, r.DLSR = rr.LastSenderReport, rr.Delay
	return r
}

func voip(v *rtcp.VoIPMetricsReportBlock) *VoIPMetrics {
	frac := func(x uint8) float64 { return float64(x) * 100 / 256 }
	ms := func(x uint16) time.Duration { return time.Duration(x) * time.Millisecond }
	m := &VoIPMetrics{
		LossRate: frac(v.LossRate), DiscardRate: frac(v.DiscardRate),
		BurstDensity: frac(v.BurstDensity), GapDensity: frac(v.GapDensity),
		BurstDuration: ms(v.BurstDuration), GapDuration: ms(v.GapDuration),
		RoundTripDelay: ms(v.RoundTripDelay), EndSystemDelay: ms(v.EndSystemDelay),
		SignalLevel: int8(v.SignalLevel), NoiseLevel: int8(v.NoiseLevel),
		RERL: v.RERL, Gmin: v.Gmin, RFactor: v.RFactor, ExtRFactor: v.ExtRFactor,
		HasRFactor: v.RFactor != 127,
		HasMOSLQ:   v.MOSLQ != 127, HasMOSCQ: v.MOSCQ != 127,
		// §4.7.6: MOS is sent times 10, 10–50.
		MOSLQ: float64(v.MOSLQ) / 10, MOSCQ: float64(v.MOSCQ) / 10,
		JBNominal: ms(v.JBNominal), JBMaximum: ms(v.JBMaximum), JBAbsMax: ms(v.JBAbsMax),
	}
	return m
}

// ntpEpoch is 1900-01-01, where NTP time starts (RFC 5905 §6).
var ntpEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// NTPShort is t in the NTP short format of LSR and DLSR (RFC 3550 §4:
// the middle 32 bits of the 64-bit NTP timestamp, 16.16 seconds).
func NTPShort(t time.Time) uint32 {
	d := t.Sub(ntpEpoch) // saturates after 2192, beyond any capture
	sec := uint64(d / time.Second)
	frac := uint64(d%time.Second) << 16 / uint64(time.Second)
	return uint32(sec<<16 | frac)
}

// RoundTrip is RFC 3550 §6.4.1's round-trip time as seen by the sender
// of an SR that an RR arriving at arrival (NTP short) echoes: RTT = A −
// LSR − DLSR. The arrival must be on the SR sender's clock: the capture
// time of the RR works when the capture was taken on that host with a
// synchronised clock. Otherwise the caller can pass the capture time of
// the SR itself (NTPShort of it) as lsr, and gets the round trip between
// the capture point and the RR's sender. False when the RR has no LSR
// (no SR received yet, §6.4.1) or the result is negative.
func RoundTrip(arrival, lsr, dlsr uint32) (time.Duration, bool) {
	if lsr == 0 {
		return 0, false
	}
	rtt := int32(arrival - lsr - dlsr)
	if rtt < 0 {
		return 0, false
	}
	return time.Duration(rtt) * time.Second / 65536, true
}
