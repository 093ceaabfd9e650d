package ladder

import (
	"slices"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

func aliases(t *testing.T, kv ...string) session.Aliases {
	t.Helper()
	var a session.Aliases
	for i := 0; i+1 < len(kv); i += 2 {
		if err := a.Add(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// Two addresses with one alias share one column, headed by the alias;
// an address named by its IP's entry takes that name; the messages
// between the two named alike become self arrows.
func TestAliasColumns(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	call := s.Calls()[3] // 127.0.0.1:5195 → :5190 → :5191 → :5197
	if l := Build(s, call.Msgs, false, nil); !slices.Equal(l.Columns, []string{"127.0.0.1:5195", "127.0.0.1:5190", "127.0.0.1:5191", "127.0.0.1:5197"}) {
		t.Fatalf("the demo's call changed: columns %q", l.Columns)
	}
	s.SetAliases(aliases(t,
		"127.0.0.1:5195", "phone",
		"127.0.0.1:5190", "edge",
		"127.0.0.1:5191", "edge",
		"127.0.0.1", "lab", // :5197 has no entry of its own
	))
	for _, byHost := range []bool{false, true} {
		l := Build(s, call.Msgs, byHost, nil)
		if want := []string{"phone", "edge", "lab"}; !slices.Equal(l.Columns, want) {
			t.Errorf("by host %v: columns %q, want %q", byHost, l.Columns, want)
		}
		self := 0
		for _, r := range l.Rows {
			if r.From == 1 && r.To == 1 {
				self++
			}
		}
		if self == 0 {
			t.Errorf("by host %v: no message from edge to edge", byHost)
		}
	}
	l := Build(s, call.Msgs, false, nil)
	v := golden.ASCII(l.View(80, 0, 12, 2, styles.Default()))
	if head := strings.SplitN(v, "\n", 2)[0]; !strings.Contains(head, "phone") || !strings.Contains(head, "edge") || strings.Contains(head, "127.0.0.1") {
		t.Errorf("header %q: the aliases, no address", head)
	}
	golden.Check(t, "alias-80x12", l.View(80, 0, 12, 2, styles.Default()))
}

// RTP goes where the aliases say: on the column of its host's name, or
// on a column of its own when its media address has a name of its own.
func TestAliasStreams(t *testing.T) {
	s := load(t, "clean-call.pcap") // alice 127.0.0.10, proxy 127.0.0.1, bob 127.0.0.20; RTP alice ↔ bob
	c := s.Calls()[0]
	s.SetAliases(aliases(t, "127.0.0.10", "alice", "127.0.0.1:5060", "proxy", "127.0.0.20:5060", "bob"))
	l := Build(s, c.Msgs, false, nil)
	l.AddStreams(s.CallStreams(c), false)
	if want := []string{"alice", "proxy", "bob"}; !slices.Equal(l.Columns, want) {
		t.Fatalf("columns %q, want %q", l.Columns, want)
	}
	for _, r := range l.Rows {
		if r.Stream != nil && (min(r.From, r.To) != 0 || max(r.From, r.To) != 2) {
			t.Errorf("RTP row between %s and %s, want alice and bob", l.Columns[r.From], l.Columns[r.To])
		}
	}
	s.SetAliases(aliases(t, "127.0.0.10", "alice", "127.0.0.20:16114", "bob-media"))
	l = Build(s, c.Msgs, false, nil)
	l.AddStreams(s.CallStreams(c), false)
	if want := []string{"alice", "127.0.0.1:5060", "127.0.0.20:5060", "bob-media"}; !slices.Equal(l.Columns, want) {
		t.Errorf("columns %q, want %q", l.Columns, want)
	}
}
