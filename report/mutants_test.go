package report_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// mutate changes b the ways a damaged or crafted file does: flipped
// bytes, a cut, bytes inserted, a block repeated, a length field set high.
func mutate(r *rand.Rand, b []byte) []byte {
	out := bytes.Clone(b)
	if len(out) == 0 {
		return out
	}
	for range 1 + r.IntN(4) {
		i := r.IntN(len(out))
		switch r.IntN(5) {
		case 0:
			out[i] ^= byte(1 << r.IntN(8))
		case 1:
			out = out[:i]
		case 2:
			out = append(out[:i], append(bytes.Repeat([]byte{byte(r.IntN(256))}, 1+r.IntN(64)), out[i:]...)...)
		case 3:
			j := min(len(out), i+1+r.IntN(512))
			out = append(out[:j], append(bytes.Clone(out[i:j]), out[j:]...)...)
		case 4:
			if i+4 <= len(out) {
				copy(out[i:], []byte{0xff, 0xff, 0x7f, 0xff})
			}
		}
		if len(out) == 0 {
			return out
		}
	}
	return out
}

// TestMutatedCaptures reads mutants of the public captures (and of the
// text traces) the whole way: open, load, analyse, report as text and
// JSON. None may panic or hang; a damaged file ends with an error or a
// warning, never a crash. SIPDBG_MUTANTS sets how many (1000 by default,
// in about two seconds; 3000, the run, in six). The mutants are
// the same every run: a failure names its index, which reproduces it.
func TestMutatedCaptures(t *testing.T) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("SIPDBG_MUTANTS")); err == nil {
		n = v
	}
	dir := testenv.SharedPcaps(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "*"))
	traces, _ := filepath.Glob(filepath.Join(testenv.Root(t), "testdata", "traces", "*.log"))
	var seeds [][]byte
	for _, p := range append(paths, traces...) {
		if strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".json") {
			continue
		}
		if st, err := os.Stat(p); err != nil || st.Size() > 2<<20 {
			continue // the big ones take long to read a thousand times
		}
		b, err := os.ReadFile(p)
		if err == nil {
			seeds = append(seeds, b)
		}
	}
	if len(seeds) == 0 {
		t.Fatal("no seed captures")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		m := mutate(r, seeds[i%len(seeds)])
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				if v := recover(); v != nil {
					t.Errorf("mutant %d (of seed %d) panicked: %v", i, i%len(seeds), v)
				}
			}()
			src, err := source.FromReader(bytes.NewReader(m), "mutant", int64(len(m)))
			if err != nil {
				return // refused with a message: fine
			}
			s := session.NewStore()
			_ = pipeline.Load(src, s)
			src.Close()
			_ = report.Text(io.Discard, s, analysis.Options{}, true)
			_ = report.JSON(io.Discard, nil, s, analysis.Options{})
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("mutant %d (of seed %d) did not finish in 30 s", i, i%len(seeds))
		}
	}
}
