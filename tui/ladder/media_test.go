package ladder

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// load reads a committed capture of the media lab into a store.
func load(t *testing.T, name string) *session.Store {
	t.Helper()
	r, err := capture.Open(filepath.Join(testenv.Root(t), "testdata", "captures", "media", name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The streams of a real call (baresip ↔ baresip through Kamailio) sit
// on the phones' columns, chosen by IP address, after the ACK and before
// the BYE, one arrow each way; by host too.
func TestStreamRows(t *testing.T) {
	s := load(t, "clean-call.pcap")
	c := s.Calls()[0]
	for _, byHost := range []bool{false, true} {
		l := Build(s, c.Msgs, byHost, nil)
		cols := len(l.Columns)
		l.AddStreams(s.CallStreams(c), byHost)
		if len(l.Columns) != cols {
			t.Errorf("by host %v: the streams added columns %v", byHost, l.Columns[cols:])
		}
		var rtp []Row
		for i, r := range l.Rows {
			if r.Stream == nil {
				continue
			}
			rtp = append(rtp, r)
			if prev := l.Rows[i-1]; prev.Stream == nil && s.Msg(int(prev.Msg)).Method() != "ACK" {
				t.Errorf("a stream after %s", s.Msg(int(prev.Msg)).Method())
			}
			if r.Msg != -1 || r.Num != 0 || r.Delta <= 0 || !strings.HasPrefix(r.Label, "RTP PCMU ") || !strings.HasSuffix(r.Label, " pkts") {
				t.Errorf("row %+v", r)
			}
		}
		if len(rtp) != 2 || rtp[0].From != rtp[1].To || rtp[0].To != rtp[1].From || rtp[0].From == rtp[0].To {
			t.Fatalf("by host %v: %d RTP rows %+v", byHost, len(rtp), rtp)
		}
		for _, r := range rtp {
			if a, _ := columnAddr(l.Columns[r.From]); a != r.Stream.Src.Addr() {
				t.Errorf("from column %s for %v", l.Columns[r.From], r.Stream.Src)
			}
		}
		if l.Find(-1) >= 0 || l.FindStream(rtp[1].Stream.Seq) < 0 {
			t.Error("Find finds an RTP row, or FindStream does not")
		}
	}
}

// A media address on a host no message names gets a column of its own,
// named with its port, shared by the addresses of that host.
func TestStreamColumns(t *testing.T) {
	s := load(t, "clean-call.pcap")
	l := Ladder{Columns: []string{"~192.0.2.1:5060"}}
	l.AddStreams(s.CallStreams(s.Calls()[0]), false)
	if len(l.Columns) != 3 || !strings.HasPrefix(l.Columns[1], "127.0.0.") || !strings.Contains(l.Columns[1], ":") {
		t.Errorf("columns %v", l.Columns)
	}
}

// The ladder with its RTP arrows, at the widths of the goldens.
func TestStreamLadderGolden(t *testing.T) {
	s := load(t, "dtmf.pcap")
	c := s.Calls()[0]
	l := Build(s, c.Msgs, false, nil)
	l.AddStreams(s.CallStreams(c), false)
	sel := l.FindStream(s.CallStreams(c)[0].Seq)
	golden.Check(t, "rtp-160x48", l.View(160, 0, 48, sel, styles.Default()))
	golden.Check(t, "rtp-80x24", l.View(80, 0, 24, sel, styles.Default()))
	if v := golden.ASCII(l.View(80, 0, 24, -1, styles.Default())); !strings.Contains(v, "╌ RTP PCMU 301 pkts ╌") {
		t.Errorf("no RTP arrow:\n%s", v)
	}
}

// columnAddr reads the IP address of a column's title ("~" for an
// inferred one, with a port or without: by host).
func columnAddr(c string) (netip.Addr, bool) {
	c = strings.TrimPrefix(c, "~")
	if ap, err := netip.ParseAddrPort(c); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(c)
	return a.Unmap(), err == nil
}
