package calllist

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

func genStore(t *testing.T, n int) *session.Store {
	t.Helper()
	s, _, err := gen.Store(gen.Config{Seed: 9, Messages: n})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every sort position, both ways, orders the rows as a plain stable sort
// by the column's key would: equal keys in capture order. The auth
// column is graded in steps first.
func TestSortOrders(t *testing.T) {
	s := genStore(t, 3000)
	var m Model
	m.Refresh(s)
	for col := 0; col < m.Columns(); col++ {
		for _, rev := range []bool{false, true} {
			m.SortCol, m.Reverse = col, rev
			m.Refresh(s)
			steps := 0
			for m.Pending(s) {
				m.Step(s, 500)
				steps++
			}
			if (m.sortsByAuth() && !rev) != (steps > 0) { // graded once, then cached
				t.Errorf("column %s: %d grading steps", m.SortName(), steps)
			}
			want := make([]int, len(s.Calls()))
			for i := range want {
				want[i] = i
			}
			if key := m.sortKey(); key != nil {
				calls := s.Calls()
				sort.SliceStable(want, func(i, j int) bool {
					a, b := key(&m, s, calls[want[i]]), key(&m, s, calls[want[j]])
					if rev {
						return b < a
					}
					return a < b
				})
			} else if rev {
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
			}
			for i := range want {
				if m.rows[i] != want[i] {
					t.Fatalf("sorted by %s (reverse %v): row %d is call %d, want %d", m.SortName(), rev, i, m.rows[i], want[i])
				}
			}
		}
	}
}

// Addresses sort by number: 10.0.0.9 before 10.0.0.10, ports likewise.
func TestSortAddressesByNumber(t *testing.T) {
	c := pcaptest.New(layers.LinkTypeEthernet)
	for _, src := range []string{"10.0.0.10:5060", "10.0.0.9:5060", "10.0.0.9:506"} {
		id := "a-" + src
		c.Add(pcaptest.UDP(pcaptest.Addr(src), pcaptest.Addr("10.0.0.1:5060"), pcaptest.Request("OPTIONS", id, "z9hG4bK"+src, 1, "")))
	}
	r, err := capture.NewReader(bytes.NewReader(c.Bytes()), "a.pcap", -1)
	if err != nil {
		t.Fatal(err)
	}
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	var m Model
	m.Refresh(s)
	for m.SortName() != "Source" {
		m.SortCol++
	}
	m.Refresh(s)
	var got []string
	for _, c := range m.Shown(s) {
		got = append(got, s.Msg(int(c.Msgs[0])).Src().String())
	}
	if want := "10.0.0.9:506 10.0.0.9:5060 10.0.0.10:5060"; strings.Join(got, " ") != want {
		t.Fatalf("sorted by Source: %v, want %s", got, want)
	}
}
