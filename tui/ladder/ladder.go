// Package ladder lays out a call flow: one column per endpoint, one row
// per message with an arrow from sender to receiver, the way sngrep's
// call flow reads, plus the authentication step of each message.
//
// It imports report (Printable, for the labels the capture gives),
// session and tui/styles only.
package ladder

import (
	"net/netip"
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
	// hosts is the first column of each IP address the messages name,
	// where AddStreams puts the media of that host, and cols the column
	// of each endpoint key (colKey): a column's title may be an alias,
	// which says no address.
	hosts   map[netip.Addr]int
	cols    map[string]int
	aliases session.Aliases // the store's, when built
}

// colKey is what a column stands for: an alias, or an address (a host's
// alone by host). An address's text has no space: no alias takes an
// address's column.
func colKey(ap netip.AddrPort, byHost bool, aliases session.Aliases) (key, title string) {
	if name, ok := aliases.Name(ap); ok {
		return "alias " + name, name
	}
	if byHost {
		return ap.Addr().String(), ap.Addr().String()
	}
	return ap.String(), ap.String()
}

// column returns the column of endpoint ap, adding it when new.
func (l *Ladder) column(ap netip.AddrPort, byHost bool) int {
	key, title := colKey(ap, byHost, l.aliases)
	i, ok := l.cols[key]
	if !ok {
		i = len(l.Columns)
		l.cols[key] = i
		l.Columns = append(l.Columns, title)
	}
	if h := ap.Addr().Unmap(); h.IsValid() {
		if _, ok := l.hosts[h]; !ok {
			l.hosts[h] = i
		}
	}
	return i
}

// Build lays out msgs (store indexes, in order). With byHost, endpoints on
// one host share a column (sngrep's 's'). An endpoint the store has an
// alias for (session.Aliases) is shown by it, and endpoints of one alias
// share a column, by host or not: the user said they are one.
func Build(s *session.Store, msgs []int32, byHost bool, notes map[int32]string) Ladder {
	l := Ladder{hosts: map[netip.Addr]int{}, cols: map[string]int{}, aliases: s.Aliases()}
	given := map[int]bool{} // columns some message of the trace names for certain
	colOf := func(ap netip.AddrPort, inferred bool) int {
		i := l.column(ap, byHost)
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
		r := Row{Msg: mi, Num: int(m.Seq) + 1, From: colOf(m.Src(), m.Has(session.FlagSrcInferred)), To: colOf(m.Dst(), m.Has(session.FlagDstInferred)), Label: label(s, m), Time: m.Time(), Status: m.Status,
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
