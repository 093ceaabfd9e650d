package ladder

import (
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// RTP in the ladder, as sngrep draws it: one row per stream, between the
// columns of its media addresses, at the time of its first packet among
// the messages, labelled with its codec and its packet count.

// AddStreams puts a row for each of sts among the rows, in time order.
// Their endpoints are named by the aliases Build was given.
//
// A stream goes on the column of the host its address is on, chosen by
// IP address alone, as sngrep places RTP: 10.0.0.1:4000 shares the
// column of 10.0.0.1:5060, since a phone's media and signalling are one
// endpoint. An address on a host no message names gets a column of its
// own (a media gateway, a relay), one per IP address. A media address
// with an alias of its own goes on that alias's column.
func (l *Ladder) AddStreams(sts []*session.Stream, byHost bool) {
	if len(sts) == 0 {
		return
	}
	// A flow keeps a copy of l from Build: the maps are l's own from here.
	l.hosts, l.cols = maps.Clone(l.hosts), maps.Clone(l.cols)
	if l.cols == nil { // a Ladder not from Build
		l.hosts, l.cols = map[netip.Addr]int{}, map[string]int{}
	}
	colOf := func(a netip.AddrPort) int {
		if _, ok := l.aliases.Name(a); !ok {
			if i, ok := l.hosts[a.Addr().Unmap()]; ok {
				return i
			}
		}
		return l.column(a, byHost)
	}
	for _, st := range sts {
		sm := st.Stats()
		r := Row{Msg: -1, Stream: st, From: colOf(st.Src), To: colOf(st.Dst), Time: sm.First,
			Label: "RTP " + codecName(st.Codec) + " " + strconv.Itoa(sm.Packets) + " pkts"}
		at := slices.IndexFunc(l.Rows, func(o Row) bool { return !o.NoTime && o.Time.After(r.Time) })
		if at < 0 {
			at = len(l.Rows)
		}
		l.Rows = slices.Insert(l.Rows, at, r)
	}
	var prev time.Time
	for i := range l.Rows {
		r := &l.Rows[i]
		r.Delta = 0
		if i > 0 && !r.NoTime {
			r.Delta = r.Time.Sub(prev)
		}
		prev = r.Time
	}
}

// codecName is a stream's codec without its clock rate and channels, as
// a label shows it: "PCMU/8000" is PCMU, "opus/48000/2" opus; "PT 101"
// stays.
func codecName(codec string) string {
	name, _, _ := strings.Cut(codec, "/")
	if name == "" {
		return "?"
	}
	return name
}
