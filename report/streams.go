package report

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/sipdbg/sipdbg/session"
)

// A call's media streams, as the text report and the JSON show them: one
// line (one object) per stream with its codec, packets, loss and jitter
// (package media measured them, RFC 3550 A.3 and A.8).

// writeStreams prints the call's streams under its flow.
func writeStreams(w io.Writer, s *session.Store, c *session.Call) {
	sts := s.CallStreams(c)
	if len(sts) == 0 {
		return
	}
	fmt.Fprintln(w, "  Streams:")
	for _, st := range sts {
		sm := st.Stats()
		lost := "0"
		if sm.Expected > 0 {
			lost = fmt.Sprintf("%d (%.1f%%)", sm.Lost, 100*float64(sm.Lost)/float64(sm.Expected))
		}
		fmt.Fprintf(w, "    RTP %-21s → %-21s %-12s ssrc 0x%08x  %d pkts  lost %s  jitter %.1f/%.1f ms  max Δ %.0f ms  %s\n",
			st.Src, st.Dst, st.Codec, st.SSRC, sm.Packets, lost, sm.MeanJitter, sm.MaxJitter,
			float64(sm.MaxDelta)/1e6, fmtDur(sm.Last.Sub(sm.First).Nanoseconds()))
		for _, dg := range sm.DTMF {
			fmt.Fprintf(w, "        DTMF %s at %s for %d ms\n", dg.Digit, dg.Start.UTC().Format(textTime), dg.Duration.Milliseconds())
		}
	}
}

// fmtDur is a duration in seconds with one decimal.
func fmtDur(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 1, 64) + " s" }

// appendStreams writes the call's streams as the "streams" member (none:
// nothing, as omitempty).
func (w *callWriter) appendStreams(b []byte, s *session.Store, c *session.Call) []byte {
	sts := s.CallStreams(c)
	if len(sts) == 0 {
		return b
	}
	b = append(b, `,"streams":[`...)
	for i, st := range sts {
		if i > 0 {
			b = append(b, ',')
		}
		b = w.appendStream(b, st)
	}
	return append(b, ']')
}

func (w *callWriter) appendStream(b []byte, st *session.Stream) []byte {
	sm := st.Stats()
	b = append(b, `{"src":`...)
	b = appendString(b, st.Src.String())
	b = append(b, `,"dst":`...)
	b = appendString(b, st.Dst.String())
	b = append(b, `,"ssrc":`...)
	b = appendString(b, fmt.Sprintf("0x%08x", st.SSRC))
	b = append(b, `,"codec":`...)
	b = appendString(b, st.Codec)
	b = append(b, `,"first_packet":`...)
	b = strconv.AppendInt(b, int64(st.FirstPacket), 10)
	b = append(b, `,"last_packet":`...)
	b = strconv.AppendInt(b, int64(st.LastPacket), 10)
	b = append(b, `,"start":"`...)
	b = w.appendTime(b, sm.First.UnixNano())
	b = append(b, `","end":"`...)
	b = w.appendTime(b, sm.Last.UnixNano())
	b = append(b, `","packets":`...)
	b = strconv.AppendInt(b, int64(sm.Packets), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(sm.Bytes), 10)
	b = append(b, `,"expected":`...)
	b = strconv.AppendInt(b, int64(sm.Expected), 10)
	b = append(b, `,"lost":`...)
	b = strconv.AppendInt(b, int64(sm.Lost), 10)
	b = append(b, `,"max_delta_ms":`...)
	b = appendMs(b, float64(sm.MaxDelta)/1e6)
	b = append(b, `,"jitter_mean_ms":`...)
	b = appendMs(b, sm.MeanJitter)
	b = append(b, `,"jitter_max_ms":`...)
	b = appendMs(b, sm.MaxJitter)
	b = append(b, `,"payload_types":[`...)
	for i, tc := range st.Types {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"pt":`...)
		b = strconv.AppendInt(b, int64(tc.PT), 10)
		b = append(b, `,"packets":`...)
		b = strconv.AppendInt(b, int64(tc.Packets), 10)
		b = append(b, '}')
	}
	b = append(b, ']')
	if len(sm.DTMF) > 0 {
		b = append(b, `,"dtmf":[`...)
		for i, dg := range sm.DTMF {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"digit":`...)
			b = appendString(b, dg.Digit)
			b = append(b, `,"time":"`...)
			b = w.appendTime(b, dg.Start.UnixNano())
			b = append(b, `","duration_ms":`...)
			b = strconv.AppendInt(b, dg.Duration.Milliseconds(), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendMs writes a value in milliseconds rounded to the microsecond, as
// encoding/json writes that float64.
func appendMs(b []byte, ms float64) []byte {
	if math.IsNaN(ms) || math.IsInf(ms, 0) {
		ms = 0
	}
	return strconv.AppendFloat(b, math.Round(ms*1000)/1000, 'f', -1, 64)
}
