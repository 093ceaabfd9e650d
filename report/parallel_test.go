package report

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// Every item once, in order, whatever the count against the chunk size
// (a short last window among them); the first error stops it.
func TestEachInOrder(t *testing.T) {
	for _, n := range []int{0, 1, chunkCalls - 1, chunkCalls, chunkCalls + 1, 5*chunkCalls + 7, 300} {
		var out bytes.Buffer
		err := eachInOrder(&out, n, nil, nil, func(_, i int, b *bytes.Buffer) error {
			b.WriteString(strconv.Itoa(i) + "\n")
			return nil
		})
		var want strings.Builder
		for i := range n {
			want.WriteString(strconv.Itoa(i) + "\n")
		}
		if err != nil || out.String() != want.String() {
			t.Fatalf("n=%d: %v\n%q", n, err, out.String())
		}
	}
	boom := errors.New("boom")
	err := eachInOrder(&bytes.Buffer{}, 1000, nil, nil, func(_, i int, b *bytes.Buffer) error {
		if i == 700 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the error was lost: %v", err)
	}
}

// A report written on several goroutines is the one written on one,
// byte for byte (and go test -race sees the analysis only read).
func TestParallelReportIsTheSequentialOne(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 3, Messages: 4000})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Calls()) < 4*chunkCalls {
		t.Fatalf("only %d calls: the test needs several chunks", len(s.Calls()))
	}
	write := func(procs int) (string, string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var j, x bytes.Buffer
		if err := JSON(&j, []string{"gen.pcap"}, s, analysis.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := Text(&x, s, analysis.Options{}, true); err != nil {
			t.Fatal(err)
		}
		return j.String(), x.String()
	}
	j1, x1 := write(1)
	j4, x4 := write(4)
	if j1 != j4 || x1 != x4 {
		t.Fatal("the report differs when written on four goroutines")
	}
}
