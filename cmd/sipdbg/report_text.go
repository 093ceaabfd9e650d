package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

const textTime = "2006-01-02 15:04:05.000000"

// writeText prints each call with its flow, then what could not be
// decoded, then the totals.
func writeText(w io.Writer, s *session.Store) error {
	for _, c := range s.Calls() {
		writeCall(w, s, c)
	}
	bad := s.Undecodables()
	if len(bad) > 0 {
		fmt.Fprintf(w, "Undecodable (%d)\n", s.Stats().Undecodable)
		for _, u := range bad {
			fmt.Fprintf(w, "  packet %-7d %s\n", u.Packet, u.Reason)
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintln(w, totals(s))
	return err
}

func writeCall(w io.Writer, s *session.Store, c *session.Call) {
	state := c.State.String()
	if state == "" {
		state = "-"
	}
	callID := c.CallID
	if callID == "" {
		callID = "(no Call-ID)"
	}
	fmt.Fprintf(w, "Call %d  %s  %s  %s\n", c.Index+1, orDash(c.Method), state, callID)
	fmt.Fprintf(w, "  From %s  To %s  %s\n", orDash(c.From), orDash(c.To), plural(len(c.Msgs), "message")+retransNote(c.Retrans))
	var prev int64
	for i, mi := range c.Msgs {
		m := s.Msg(int(mi))
		delta := ""
		if i > 0 {
			delta = "+" + fmtDelta(m.TimeNs-prev)
		}
		prev = m.TimeNs
		fmt.Fprintf(w, "  %5d  %s %10s  %-21s → %-21s %-4s %s%s\n", m.Index+1, m.Time().Format(textTime), delta,
			m.Src, m.Dst, m.Transport, m.FirstLine(), marks(m))
	}
	fmt.Fprintln(w)
}

func marks(m *session.Message) string {
	var b strings.Builder
	if m.Has(session.FlagRetransmission) {
		b.WriteString("  (retransmission)")
	}
	if m.Err != "" {
		b.WriteString("  [" + m.Err + "]")
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

func totals(s *session.Store) string {
	st := s.Stats()
	return fmt.Sprintf("Totals: %s, %s (%s), %s, %s",
		plural(st.Decoder.Frames, "packet"), plural(st.Messages, "SIP message"),
		plural(st.Retransmissions, "retransmission"), plural(st.Calls, "call"), plural(st.Undecodable, "undecodable"))
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
