// Package ladder lays out a call flow: one column per endpoint, one row
// per message with an arrow from sender to receiver, the way sngrep's
// call flow reads, plus the authentication step of each message.
//
// It imports session and tui/styles only.
package ladder

import (
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// Row is one message of the ladder, or one RTP stream (AddStreams).
type Row struct {
	Msg      int32           // store index; -1 for a stream
	Stream   *session.Stream // the stream of an RTP row, nil for a message
	Num      int             // the message's number, as findings cite it (#Num)
	From, To int             // column indexes
	Label    string
	Time     time.Time
	Delta    time.Duration // since the previous row
	Status   uint16
	Retrans  bool
	NoTime   bool   // the trace gave no time for this message
	Note     string // the authentication step, see Notes
}

// Ladder is the layout of a set of messages, computed once per call.
type Ladder struct {
	Columns []string
	Rows    []Row
}

// Build lays out msgs (store indexes, in order). With byHost, endpoints on
// one host share a column (sngrep's 's').
func Build(s *session.Store, msgs []int32, byHost bool, notes map[int32]string) Ladder {
	var l Ladder
	col := map[string]int{}
	given := map[int]bool{} // columns some message of the trace names for certain
	colOf := func(a string, inferred bool) int {
		i, ok := col[a]
		if !ok {
			i = len(l.Columns)
			col[a] = i
			l.Columns = append(l.Columns, a)
		}
		given[i] = given[i] || !inferred
		return i
	}
	defer func() {
		for i := range l.Columns {
			if !given[i] { // inferred from headers: said, not passed off as seen
				l.Columns[i] = "~" + l.Columns[i]
			}
		}
	}()
	var prev time.Time
	for i, mi := range msgs {
		m := s.Msg(int(mi))
		src, dst := m.Src().String(), m.Dst().String()
		if byHost {
			src, dst = m.Src().Addr().String(), m.Dst().Addr().String()
		}
		r := Row{Msg: mi, Num: int(m.Seq) + 1, From: colOf(src, m.Has(session.FlagSrcInferred)), To: colOf(dst, m.Has(session.FlagDstInferred)), Label: label(s, m), Time: m.Time(), Status: m.Status,
			Retrans: m.Has(session.FlagRetransmission), NoTime: m.Has(session.FlagNoTime), Note: notes[mi]}
		if i > 0 && !r.NoTime {
			r.Delta = r.Time.Sub(prev)
		}
		prev = r.Time
		l.Rows = append(l.Rows, r)
	}
	return l
}

// label is what the arrow carries: the method, or the status and reason.
func label(s *session.Store, m *session.Message) string {
	l := s.FirstLine(m)
	if m.IsRequest() {
		l = m.Method()
	} else if len(l) > 8 {
		l = l[8:]
	}
	if m.Has(session.FlagSDP) {
		l += " (SDP)"
	}
	if m.Has(session.FlagAuthorization) || m.Has(session.FlagProxyAuthorization) {
		l += " +auth"
	}
	return report.Printable(strings.TrimSpace(l)) // a reason phrase is the capture's
}

// Find returns the row of store message mi, or -1.
func (l Ladder) Find(mi int32) int {
	for i, r := range l.Rows {
		if r.Msg == mi && r.Stream == nil {
			return i
		}
	}
	return -1
}

// FindStream returns the row of the stream with that Seq, or -1.
func (l Ladder) FindStream(seq int) int {
	for i, r := range l.Rows {
		if r.Stream != nil && r.Stream.Seq == seq {
			return i
		}
	}
	return -1
}
