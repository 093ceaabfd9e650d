package report

import (
	"strconv"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// callWriter writes a call as JSON straight from the store: the bytes of
// CallJSON(…).appendJSON (TestCallWriterIsCallJSON), without building
// the Call first. A report of two million messages otherwise makes a
// gigabyte of garbage in message structs, time and address strings, and
// the garbage collector lets the process grow by as much before it runs.
// One per goroutine: it remembers the last second it formatted.
type callWriter struct {
	sec   int64
	stamp []byte // sec as "2006-01-02T15:04:05", UTC
}

func (w *callWriter) appendCall(b []byte, s *session.Store, c *session.Call, opt analysis.Options) []byte {
	b = appendCallHead(b, c.CallID, c.Method, c.From, c.To, c.State.String())
	b = append(b, '"')
	if len(c.Msgs) > 0 {
		b = w.appendTime(b, s.Msg(int(c.Msgs[0])).TimeNs)
	}
	b = append(b, '"')
	if rel := s.Related(c); len(rel) > 0 {
		b = append(b, `,"related":[`...)
		for i, r := range rel {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, r.CallID)
		}
		b = append(b, ']')
	}
	fs := analysis.Diagnose(s, c, opt)
	if fs == nil {
		fs = []analysis.Finding{} // as CallJSON: [] rather than null
	}
	b = appendVerdict(b, analysis.VerdictOf(fs))
	b = append(b, `,"messages":[`...)
	for i, mi := range c.Msgs {
		if i > 0 {
			b = append(b, ',')
		}
		b = w.appendMessage(b, s, s.Msg(int(mi)))
	}
	b = append(b, ']')
	b = w.appendStreams(b, s, c)
	b = append(b, `,"findings":`...)
	b = appendFindings(b, fs)
	return append(b, '}')
}

// appendMessage writes what jsonMessage.appendJSON writes for m.
func (w *callWriter) appendMessage(b []byte, s *session.Store, m *session.Message) []byte {
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(m.Seq), 10)
	b = append(b, `,"packet":`...)
	b = strconv.AppendInt(b, int64(m.Packet), 10)
	b = append(b, `,"time":"`...)
	if !m.Has(session.FlagNoTime) {
		b = w.appendTime(b, m.TimeNs)
	}
	// Addresses and transport names need no escaping.
	b = append(b, `","src":"`...)
	b = m.Src().AppendTo(b)
	b = append(b, `","dst":"`...)
	b = m.Dst().AppendTo(b)
	b = append(b, `","transport":"`...)
	b = append(b, m.Transport.String()...)
	b = append(b, `","first_line":`...)
	b = appendString(b, s.FirstLine(m))
	b = append(b, `,"retransmission":`...)
	b = strconv.AppendBool(b, m.Has(session.FlagRetransmission))
	if e := m.Err(); e != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e)
	}
	if m.Has(session.FlagSrcInferred) {
		b = append(b, `,"src_inferred":true`...)
	}
	if m.Has(session.FlagDstInferred) {
		b = append(b, `,"dst_inferred":true`...)
	}
	if m.Has(session.FlagHEP) {
		b = append(b, `,"hep_agent":`...)
		b = strconv.AppendUint(b, uint64(m.CaptureID), 10)
	}
	return append(b, '}')
}

// appendTime writes time.Unix(0, ns).UTC().Format(jsonTime). The date and
// time of day are formatted once per second: the messages of a call, and
// of a chunk of calls, mostly share it.
func (w *callWriter) appendTime(b []byte, ns int64) []byte {
	sec, frac := ns/1e9, ns%1e9
	if frac < 0 {
		sec, frac = sec-1, frac+1e9
	}
	if w.stamp == nil || sec != w.sec {
		w.sec = sec
		w.stamp = time.Unix(sec, 0).UTC().AppendFormat(w.stamp[:0], "2006-01-02T15:04:05")
	}
	b = append(b, w.stamp...)
	b = append(b, '.')
	for d := int64(1e8); d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return append(b, 'Z')
}

// appendFindings writes fs as encoding/json does (nil as null).
func appendFindings(b []byte, fs []analysis.Finding) []byte {
	if fs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFinding(b, &fs[i])
	}
	return append(b, ']')
}

func appendFinding(b []byte, f *analysis.Finding) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, string(f.Code))
	b = append(b, `,"severity":`...)
	b = appendString(b, f.Severity.String())
	b = append(b, `,"messages":`...)
	b = appendInts(b, f.Messages)
	b = append(b, `,"summary":`...)
	b = appendString(b, f.Summary)
	b = append(b, `,"explanation":`...)
	b = appendString(b, f.Explanation)
	b = append(b, `,"rfc":`...)
	b = appendString(b, f.RFC)
	if len(f.Steps) > 0 {
		b = append(b, `,"steps":[`...)
		for i, st := range f.Steps {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Name":`...)
			b = appendString(b, st.Name)
			b = append(b, `,"Formula":`...)
			b = appendString(b, st.Formula)
			b = append(b, `,"Value":`...)
			b = appendString(b, st.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if f.Count != 0 {
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(f.Count), 10)
	}
	return append(b, '}')
}

// appendInts writes ms as encoding/json does (nil as null).
func appendInts(b []byte, ms []int32) []byte {
	if ms == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(m), 10)
	}
	return append(b, ']')
}

// appendVerdict writes ,"verdict":{…} for v, nothing for nil (omitempty).
func appendVerdict(b []byte, v *analysis.Verdict) []byte {
	if v == nil {
		return b
	}
	b = append(b, `,"verdict":{"code":`...)
	b = appendString(b, string(v.Code))
	b = append(b, `,"severity":`...)
	b = appendString(b, v.Severity.String())
	b = append(b, `,"summary":`...)
	b = appendString(b, v.Summary)
	b = append(b, `,"messages":`...)
	b = appendInts(b, v.Messages)
	return append(b, '}')
}
