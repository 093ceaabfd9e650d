package media

import (
	"math"
	"strings"
	"time"
)

// This file estimates a listening-and-talking quality from what a
// capture shows, with a simplified ITU-T G.107 E-model:
//
//	R   = 93.2 − Id − Ie,eff                          (G.107 §7.1, A = 0)
//	Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl) (G.107 §7.6)
//	MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶     (G.107 Annex B)
//
// clamped to MOS 1 for R ≤ 0 and 4.5 for R ≥ 100.
//
// Defaults and limits:
//   - 93.2 is Ro − Is with every G.107 §7.2–§7.3 parameter at its
//     default (Table 1): no circuit noise, standard loudness ratings.
//     The advantage factor A is 0 (wired access, G.107 §7.7 Table 3).
//   - Id keeps only Idd, the impairment of absolute one-way delay Ta
//     (G.107 §7.4): Idd = 0 for Ta ≤ 100 ms, else
//     25·((1+X⁶)^⅙ − 3·(1+(X/3)⁶)^⅙ + 2) with X = log₂(Ta/100 ms). The
//     echo terms Idte and Idle are taken as zero: talker echo well
//     cancelled, as G.107's default TELR of 65 dB nearly makes it.
//   - Ta is the network's one-way delay (half the RTCP round trip when
//     known, else 0), plus the codec's frame (ptime, as packetisation
//     delay), plus the jitter buffer. The jitter buffer is not in the
//     capture; it is approximated as twice the mean interarrival jitter
//     (RFC 3550 §6.4.1), the size an adaptive buffer settles to for
//     jitter of that spread, and so the packets it would discard are not
//     counted as lost: the estimate is optimistic when jitter is large.
//   - Ie and Bpl come from ITU-T G.113 Appendix I (Tables I.1 and I.3)
//     for the codecs whose both values it gives: G.711 (Ie 0, Bpl 4.3
//     without packet loss concealment, 25.1 with) and G.729A (Ie 11, Bpl
//     19.0). For other codecs (G.722 and Opus are wideband and belong
//     to G.107.1's scale; GSM, iLBC and others lack a Bpl there) G.711
//     with PLC is used and Estimate says so with Fallback.
//   - BurstR is 1 (random loss) unless the caller knows better, e.g.
//     from an RTCP XR burst/gap block (RFC 3611 §4.7.2).
//   - This is a narrowband, listening-side planning estimate, not a
//     measurement (G.107 §1 warns against using it as one).

// CodecImpairment is the equipment impairment Ie and packet-loss
// robustness Bpl of a codec (ITU-T G.113 Appendix I).
type CodecImpairment struct {
	Ie, Bpl float64
}

var (
	g711      = CodecImpairment{Ie: 0, Bpl: 4.3}
	g711PLC   = CodecImpairment{Ie: 0, Bpl: 25.1}
	g729a     = CodecImpairment{Ie: 11, Bpl: 19}
	impairFor = map[string]CodecImpairment{"PCMU": g711PLC, "PCMA": g711PLC, "G729": g729a}
)

// Impairment returns Ie and Bpl for an encoding name (as in RFC 3551
// §6 or an rtpmap), with plc telling whether G.711's receiver conceals
// losses. Fallback is true when the codec has no G.113 values here and
// G.711 with PLC stands in for it.
func Impairment(codec string, plc bool) (c CodecImpairment, fallback bool) {
	name := strings.ToUpper(codec)
	if (name == "PCMU" || name == "PCMA") && !plc {
		return g711, false
	}
	if c, ok := impairFor[name]; ok {
		return c, false
	}
	return g711PLC, true
}

// MOSInput is what the estimate needs of a stream.
type MOSInput struct {
	Codec      string        // encoding name: PCMU, PCMA, G729, …
	PLC        bool          // the receiver conceals lost G.711 packets
	LossPct    float64       // packets lost, % (Ppl)
	BurstR     float64       // burst ratio; 0 means 1 (random loss)
	Jitter     float64       // mean interarrival jitter, ms
	OneWay     time.Duration // network one-way delay, e.g. RTT/2
	PacketTime time.Duration // ptime; 0 means 20 ms
}

// Estimate is the E-model's result.
type Estimate struct {
	R, MOS   float64
	Id, Ie   float64 // the delay impairment and Ie,eff
	Delay    time.Duration
	Fallback bool // the codec's Ie/Bpl are G.711's
}

// EstimateMOS computes R and MOS for a stream as the file comment
// describes.
func EstimateMOS(in MOSInput) Estimate {
	c, fallback := Impairment(in.Codec, in.PLC)
	burst := in.BurstR
	if burst <= 0 {
		burst = 1
	}
	ppl := math.Max(0, math.Min(100, in.LossPct))
	ieEff := c.Ie + (95-c.Ie)*ppl/(ppl/burst+c.Bpl)
	ptime := in.PacketTime
	if ptime <= 0 {
		ptime = 20 * time.Millisecond
	}
	buffer := time.Duration(2 * math.Max(0, in.Jitter) * float64(time.Millisecond))
	delay := max(in.OneWay, 0) + ptime + buffer
	id := delayImpairment(delay)
	r := 93.2 - id - ieEff
	return Estimate{R: r, MOS: MOSFromR(r), Id: id, Ie: ieEff, Delay: delay, Fallback: fallback}
}

// delayImpairment is G.107 §7.4's Idd for an absolute one-way delay.
func delayImpairment(ta time.Duration) float64 {
	ms := float64(ta) / float64(time.Millisecond)
	if ms <= 100 {
		return 0
	}
	x := math.Log2(ms / 100)
	return 25 * (math.Pow(1+math.Pow(x, 6), 1.0/6) - 3*math.Pow(1+math.Pow(x/3, 6), 1.0/6) + 2)
}

// MOSFromR converts an R rating to the MOS scale (G.107 Annex B,
// formula B-4).
func MOSFromR(r float64) float64 {
	switch {
	case r <= 0:
		return 1
	case r >= 100:
		return 4.5
	}
	return 1 + 0.035*r + r*(r-60)*(100-r)*7e-6
}
