// Package report renders a session as the text and JSON documents of
// `sipdbg report` (and of the probe, and of the interface's save).
//
// It imports analysis, session and media (the streams' statistics) only:
// the bytes of a mapped capture are read under the store's Guard, never
// by arming anything itself.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

const textTime = "2006-01-02 15:04:05.000000"

// Text prints each call with its flow, then what could not be decoded,
// then the totals.
func Text(w io.Writer, s *session.Store, opt analysis.Options, explain bool) error {
	w = printableWriter{w} // what comes from the capture is escaped (printable.go)
	if err := TextCalls(w, s, s.Calls(), opt, explain); err != nil {
		return err
	}
	writeCaptureFindings(w, s, explain)
	writeLoneStreams(w, s)
	bad := s.Undecodables()
	if len(bad) > 0 {
		fmt.Fprintf(w, "Undecodable (%d)\n", s.Stats().Undecodable)
		for _, u := range bad {
			fmt.Fprintf(w, "  packet %-7d %s\n", u.Packet, u.Reason)
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintln(w, Totals(s))
	return err
}

// writeCaptureFindings prints what the capture shows outside any call
// (analysis.CaptureFindings), when there is something.
func writeCaptureFindings(w io.Writer, s *session.Store, explain bool) {
	if fs := analysis.CaptureFindings(s); len(fs) > 0 {
		fmt.Fprintln(w, "Outside any call")
		writeFindings(w, s, fs, explain)
		fmt.Fprintln(w)
	}
}

// TextCalls prints some of the store's calls as Text does, each with its
// verdict, messages and findings.
func TextCalls(w io.Writer, s *session.Store, calls []*session.Call, opt analysis.Options, explain bool) error {
	if _, ok := w.(printableWriter); !ok {
		w = printableWriter{w}
	}
	opt = surveyed(s, opt)
	return eachInOrder(w, len(calls), newPager(s, calls), s.Guard, func(_, i int, buf *bytes.Buffer) error {
		fs := analysis.Diagnose(s, calls[i], opt)
		writeCall(buf, s, calls[i], analysis.VerdictOf(fs))
		writeStreams(buf, s, calls[i])
		writeFindings(buf, s, fs, explain)
		return nil
	})
}

func writeCall(w io.Writer, s *session.Store, c *session.Call, v *analysis.Verdict) {
	state := c.State.String()
	if state == "" {
		state = "-"
	}
	callID := c.CallID
	if callID == "" {
		callID = "(no Call-ID)"
	}
	fmt.Fprintf(w, "Call %d  %s  %s  %s\n", c.Seq+1, orDash(c.Method), state, callID)
	fmt.Fprintf(w, "  From %s  To %s  %s\n", orDash(c.From), orDash(c.To), plural(len(c.Msgs), "message")+retransNote(c.Retrans))
	if v != nil {
		// The verdict comes first: the one line to read, the flow and
		// the findings below are its evidence.
		fmt.Fprintf(w, "  Verdict: %s %s  %s  %s\n", severityMark[v.Severity], v.Severity, v.Summary, refs(s, v.Messages))
	}
	var prev int64
	names := s.Aliases() // the names the interface shows; --json keeps the addresses
	for i, mi := range c.Msgs {
		m := s.Msg(int(mi))
		delta := ""
		if i > 0 {
			delta = "+" + fmtDelta(m.TimeNs-prev)
		}
		prev = m.TimeNs
		when, src, dst := m.Time().Format(textTime), names.Label(m.Src()), names.Label(m.Dst())
		if m.Has(session.FlagNoTime) {
			when, delta = fmt.Sprintf("%-26s", "(no time in the trace)"), ""
		}
		if m.Has(session.FlagSrcInferred) { // inferred from headers, not given by the trace
			src = "~" + src
		}
		if m.Has(session.FlagDstInferred) {
			dst = "~" + dst
		}
		fmt.Fprintf(w, "  %5d  %s %10s  %-21s → %-21s %-4s %s%s\n", m.Seq+1, when, delta,
			src, dst, m.Transport, s.FirstLine(m), marks(m))
	}
}

var severityMark = map[analysis.Severity]string{analysis.Info: "i", analysis.Warning: "!", analysis.Error: "✗"}

// writeFindings prints the call's findings under its flow; with explain,
// each with its explanation, RFC reference and digest steps.
func writeFindings(w io.Writer, s *session.Store, fs []analysis.Finding, explain bool) {
	if len(fs) > 0 {
		fmt.Fprintln(w, "  Findings:")
	}
	for _, f := range fs {
		fmt.Fprintf(w, "  %s %-7s %-22s %-12s %s\n", severityMark[f.Severity], f.Severity, f.Code, refs(s, f.Messages), f.Summary)
		if !explain {
			continue
		}
		for _, line := range Wrap(f.Explanation+" ("+f.RFC+")", 100) {
			fmt.Fprintln(w, "              "+line)
		}
		for _, st := range f.Steps {
			fmt.Fprintf(w, "              %-9s %s = %s\n", st.Name, st.Formula, st.Value)
		}
	}
	fmt.Fprintln(w)
}

func marks(m *session.Message) string {
	var b strings.Builder
	if m.Has(session.FlagRetransmission) {
		b.WriteString("  (retransmission)")
	}
	if m.Has(session.FlagHEP) {
		b.WriteString("  [HEP agent " + strconv.FormatUint(uint64(m.CaptureID), 10) + "]")
	}
	if m.Err() != "" {
		b.WriteString("  [" + m.Err() + "]")
	}
	return b.String()
}

func fmtDelta(ns int64) string {
	d := time.Duration(ns)
	if d < 0 {
		return "-" + fmtDelta(-ns)
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
}

func Totals(s *session.Store) string {
	st := s.Stats()
	// Calls dropped from memory by a live session's budget were seen:
	// they count.
	t := fmt.Sprintf("Totals: %s, %s (%s), %s, %s",
		plural(st.Decoder.Frames, "packet"), plural(st.Messages+st.Evicted.Messages, "SIP message"),
		plural(st.Retransmissions, "retransmission"), plural(st.Calls+st.Evicted.Calls, "call"), plural(st.Undecodable, "undecodable"))
	if st.Filtered > 0 {
		t += "; " + plural(st.Filtered, "SIP message") + " left out by the start-up filters"
	}
	return t
}

func plural(n int, word string) string {
	s := strconv.Itoa(n) + " " + word
	if n != 1 && !strings.HasSuffix(word, "undecodable") {
		s += "s"
	}
	return s
}

func retransNote(n int) string {
	if n == 0 {
		return ""
	}
	return " (" + plural(n, "retransmission") + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// refs names messages by their number in the report: "#5,#6", or the
// first and last ("#5…#120, 40 messages") when there are many, as a
// collapsed finding has.
func refs(s *session.Store, ms []int32) string {
	num := func(m int32) string { return "#" + strconv.Itoa(int(s.Msg(int(m)).Seq)+1) }
	if len(ms) > 4 {
		return num(ms[0]) + "…" + num(ms[len(ms)-1]) + " (" + strconv.Itoa(len(ms)) + ")"
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = num(m)
	}
	return strings.Join(out, ",")
}

// surveyed returns opt with the capture's survey (scanners, password
// guessing), made once for the whole report.
func surveyed(s *session.Store, opt analysis.Options) analysis.Options {
	if opt.Survey == nil {
		opt.Survey = analysis.NewSurvey(s)
	}
	return opt
}
