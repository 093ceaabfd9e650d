package report

import (
	"io"
	"testing"
	"unsafe"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

type releases struct{ next [][]byte }

func (r *releases) Guard(fn func() error) error { return fn() }
func (r *releases) Release(next []byte)         { r.next = append(r.next, next) }

// A report tells the store how far it has read, every releaseCalls calls:
// the first message of the next call, in call order, then nil at the end.
// The store's backing (a mapped capture's) hands back what lies before.
func TestReportReleasesAsItReads(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 3, Messages: 6000})
	if err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if len(calls) < 3*releaseCalls {
		t.Fatalf("only %d calls: the test needs several windows", len(calls))
	}
	rec := &releases{}
	s.SetBacking(rec)
	if err := JSON(io.Discard, nil, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.next) < len(calls)/releaseCalls {
		t.Fatalf("%d releases for %d calls", len(rec.next), len(calls))
	}
	first := map[*byte]int{} // a call's first message → the call's position
	for i, c := range calls {
		first[unsafe.SliceData(s.Msg(int(c.Msgs[0])).Raw())] = i
	}
	last := 0
	for i, next := range rec.next[:len(rec.next)-1] {
		k, ok := first[unsafe.SliceData(next)]
		if !ok || k <= last {
			t.Fatalf("release %d: call %d (first message: %v), want a later call's first message than %d", i, k, ok, last)
		}
		last = k
	}
	if rec.next[len(rec.next)-1] != nil {
		t.Error("the last release names a message: want nil, every call read")
	}
}
