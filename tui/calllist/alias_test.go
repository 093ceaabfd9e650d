package calllist

import (
	"slices"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// The Source and Destination columns show the store's aliases; the
// filter finds a call by the alias of any address its messages are from
// or to, though no message says the name.
func TestAliases(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var before Model
	before.SetFilter(s, "yealink")
	if before.Len() != 0 {
		t.Fatal("the demo says yealink: the filter test below proves nothing")
	}
	var a session.Aliases
	for _, kv := range [][2]string{{"127.0.0.1:5194", "alice-phone"}, {"127.0.0.1:5190", "edge"}, {"127.0.0.1:5197", "Yealink-42"}} {
		if err := a.Add(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	s.SetAliases(a)
	var m Model
	m.SetColumns(cols(t, "#", "Method", "Source", "Destination"))
	m.Refresh(s)
	src, dst := m.cols[2], m.cols[3]
	if got, want := src.value(&m, s, s.Calls()[0])+" → "+dst.value(&m, s, s.Calls()[0]), "alice-phone → edge"; got != want {
		t.Errorf("call 1: %q, want %q", got, want)
	}
	if got := src.value(&m, s, s.Calls()[2]); got != "127.0.0.1:5195" {
		t.Errorf("an address without alias shows %q", got)
	}
	v := golden.ASCII(m.View(s, 160, 10, styles.Default()))
	if !strings.Contains(v, "alice-phone") || strings.Contains(v, "127.0.0.1:5194") || strings.Contains(v, "127.0.0.1:5190") {
		t.Errorf("the list shows an address that has an alias:\n%s", v)
	}
	for _, c := range []struct {
		filter string
		want   []int
	}{
		{"yealink", []int{3}},        // 5197 is called in the fourth call only
		{"ALICE-PHONE", []int{0, 1}}, // any letter case
		{"127.0.0.1:5195", []int{2, 3}},
	} {
		m.SetFilter(s, c.filter)
		if !slices.Equal(m.rows, c.want) {
			t.Errorf("filter %q: calls %v, want %v", c.filter, m.rows, c.want)
		}
	}
	// Sorted by Source: by the names shown, not by the addresses.
	var b session.Aliases
	b.Add("127.0.0.1:5194", "zz-phone")
	b.Add("127.0.0.1:5195", "aa-phone")
	s.SetAliases(b)
	m.SetFilter(s, "")
	m.SortCol = 2 // # is capture order; then Method, Source
	m.Refresh(s)
	if m.SortName() != "Source" || !slices.Equal(m.rows, []int{2, 3, 0, 1}) {
		t.Errorf("sorted by %s: %v, want the calls from aa-phone first", m.SortName(), m.rows)
	}
}
