package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/capture"
)

// defaultBudget is the memory a live session may use (the issue's
// default): past it the oldest completed calls are dropped from memory.
const defaultBudget = 512 << 20

// byteSize is a size flag: 512MiB, 1GiB, 300M, 65536; 0 means no limit.
type byteSize int64

func (b *byteSize) String() string {
	if *b == 0 {
		return "0"
	}
	for _, u := range []struct {
		s string
		n int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if int64(*b)%u.n == 0 {
			return strconv.FormatInt(int64(*b)/u.n, 10) + u.s
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Set(v string) error {
	s := strings.TrimSpace(v)
	num := strings.TrimRightFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToLower(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a size (e.g. 512MiB, 2GiB, 0 for no limit)", v)
	}
	mult := map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
		"mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}[unit]
	if mult == 0 {
		return fmt.Errorf("%q: unknown unit %q (KiB, MiB, GiB)", v, unit)
	}
	*b = byteSize(n * mult)
	return nil
}

// applyBudget tells the garbage collector the budget too, as its soft
// limit: the session keeps its data within a third of the budget, and the
// collector, which would otherwise let the heap grow to twice what is
// live, keeps the whole process under it. The limit is set an eighth
// below the budget because it is soft: it may be overshot briefly, and
// a further 12 MiB below for what the process holds outside the Go
// runtime's count (the program's own pages: a HEP flood in the lab peaked
// at 94 MiB of a 96 MiB budget without it).
func applyBudget(b byteSize) {
	if b > 0 {
		debug.SetMemoryLimit(max(int64(b)/2, int64(b)-int64(b)/8-12<<20))
	}
}

// sessionBudget is what of the --memory budget the session's heap may
// use: the budget less the capture rings the source holds (memory of the
// process the Go heap does not count). A budget the rings leave less
// than half of is refused, with what to give instead.
func sessionBudget(b byteSize, src capture.Source) (byteSize, error) {
	if b <= 0 {
		return b, nil
	}
	rings := byteSize(capture.Rings(src))
	if rings > 0 && b-rings < b/2 {
		return 0, fmt.Errorf("--memory %v leaves too little beside the capture ring (%d MiB): give at least %d MiB",
			&b, rings>>20, 2*rings>>20)
	}
	return b - rings, nil
}
