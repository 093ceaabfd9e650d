// Package mediaview shows a call's RTP streams: one stream's statistics
// in the flow's message pane (Lines, when an RTP row of the ladder is
// selected), and the streams pane (Model), a table of the call's streams
// with a timeline of each drawn from its per-second counts.
//
// It imports session, media (the statistics' types and the MOS
// estimate) and tui/styles only.
package mediaview

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Lines describes stream st for the message pane, one fact a line:
// what the text report says of it (report/streams.go), and the payload
// types, the estimated MOS and the DTMF digits with their times.
func Lines(st *session.Stream, sty styles.Styles) []string {
	sm := st.Stats()
	row := func(name, value string) string { return sty.HeaderName.Render(pad(name, 9)) + " " + value }
	out := []string{
		sty.Dim.Render("RTP stream, frames " + strconv.Itoa(st.FirstPacket) + "–" + strconv.Itoa(st.LastPacket)),
		sty.Media.Render(st.Src.String() + " → " + st.Dst.String()),
		row("Codec", st.Codec+"  SSRC 0x"+hex8(st.SSRC)),
		row("Packets", strconv.Itoa(sm.Packets)+" ("+kB(sm.Bytes)+"), lost "+Lost(sm)),
		row("Jitter", "mean "+ms(sm.MeanJitter)+", max "+ms(sm.MaxJitter)),
		row("Max Δ", maxDelta(sm)),
		row("MOS", mosLine(st, sm)),
		row("Duration", Seconds(sm.Last.Sub(sm.First))+", "+clock(sm.First)+" → "+clock(sm.Last)),
		row("Payload", payloadTypes(st)),
	}
	if len(sm.DTMF) == 0 {
		return append(out, row("DTMF", "none"))
	}
	out = append(out, row("DTMF", strconv.Itoa(len(sm.DTMF))+" digits"))
	for _, d := range sm.DTMF {
		out = append(out, "          "+d.Digit+"  at "+clock(d.Start)+" for "+strconv.FormatInt(d.Duration.Milliseconds(), 10)+" ms")
	}
	return out
}

// payloadTypes lists the payload types of a stream with their packets:
// "0 PCMU 250, 101 events 4".
func payloadTypes(st *session.Stream) string {
	var parts []string
	for i, tc := range st.Types {
		name := ""
		switch {
		case tc.Events == tc.Packets && tc.Events > 0:
			name = " events" // RFC 4733 telephone events
		case i == 0:
			name = " " + CodecName(st.Codec)
		default:
			if c, ok := media.StaticCodec(tc.PT); ok {
				name = " " + c.Name
			}
		}
		parts = append(parts, "PT "+strconv.Itoa(int(tc.PT))+name+": "+strconv.Itoa(tc.Packets))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// CodecName is a stream's codec without its clock rate and channels:
// "PCMU/8000" is PCMU, "opus/48000/2" opus; "PT 101" stays.
func CodecName(codec string) string {
	name, _, _ := strings.Cut(codec, "/")
	if name == "" {
		return "?"
	}
	return name
}

// LossPct is the share of the expected packets that were lost, in %
// (RFC 3550 §6.4.1); 0 when duplicates outnumber the losses.
func LossPct(sm media.Summary) float64 {
	if sm.Expected <= 0 || sm.Lost <= 0 {
		return 0
	}
	return 100 * float64(sm.Lost) / float64(sm.Expected)
}

// Lost says the packets lost of those expected.
func Lost(sm media.Summary) string {
	return strconv.Itoa(max(0, sm.Lost)) + " of " + strconv.Itoa(sm.Expected) + " (" + strconv.FormatFloat(LossPct(sm), 'f', 1, 64) + "%)"
}

func maxDelta(sm media.Summary) string {
	s := ms(float64(sm.MaxDelta) / 1e6)
	if sm.MaxDeltaAt > 0 {
		s += " before packet " + strconv.Itoa(sm.MaxDeltaAt) + " at " + clock(sm.MaxDeltaTime)
	}
	return s
}

// MOS estimates the stream's listening quality (media.EstimateMOS, a
// simplified ITU-T G.107 E-model) from its loss and mean jitter. The
// capture has no round trip without RTCP, so the network delay is taken
// as none; G.711 receivers are taken to conceal losses (PLC), as phones
// do. The packet time is the stream's own, from its rate.
func MOS(st *session.Stream, sm media.Summary) media.Estimate {
	in := media.MOSInput{Codec: CodecName(st.Codec), PLC: true, LossPct: LossPct(sm), Jitter: sm.MeanJitter}
	if sm.Packets > 1 {
		pt := sm.Last.Sub(sm.First) / time.Duration(sm.Packets-1)
		pt = pt.Round(10 * time.Millisecond)
		if pt >= 10*time.Millisecond && pt <= 120*time.Millisecond {
			in.PacketTime = pt
		}
	}
	return media.EstimateMOS(in)
}

func mosLine(st *session.Stream, sm media.Summary) string {
	e := MOS(st, sm)
	s := strconv.FormatFloat(e.MOS, 'f', 2, 64) + " estimated (E-model, R " + strconv.FormatFloat(e.R, 'f', 1, 64) + ")"
	if e.Fallback {
		s += ", G.711's values for " + CodecName(st.Codec)
	}
	return s
}

func hex8(v uint32) string {
	s := strconv.FormatUint(uint64(v), 16)
	return strings.Repeat("0", 8-len(s)) + s
}

func kB(n int) string {
	if n < 1000 {
		return strconv.Itoa(n) + " B"
	}
	return strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + " kB"
}

// ms writes milliseconds with one decimal.
func ms(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
}

// Seconds writes a duration in seconds with one decimal.
func Seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s" }

func clock(t time.Time) string { return t.UTC().Format("15:04:05.000") }

func pad(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
