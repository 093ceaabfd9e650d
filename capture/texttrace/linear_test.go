package texttrace_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/capture/texttrace"
)

// TestLinearTime parses hostile inputs of 1 MB and 5 MB and requires the
// larger to take less than ten times as long as the smaller (linear time
// would make it five; a quadratic parser, twenty-five). Times are the
// process's CPU time where the system reports it (see cputime_*_test.go),
// the best of three runs: wall time on a loaded machine says little.
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	hdr := "<--- Received SIP request (1 bytes) from UDP:10.0.0.5:5062 --->\n"
	inputs := map[string]func(n int) []byte{
		"<--- lines":      func(n int) []byte { return []byte(strings.Repeat("<--- \n", n/6)) },
		"one long line":   func(n int) []byte { return bytes.Repeat([]byte("INVITE "), n/7) },
		"headers only":    func(n int) []byte { return []byte(strings.Repeat(hdr, n/len(hdr))) },
		"endless headers": func(n int) []byte { return []byte(register[:40] + strings.Repeat("X-A: b\n", n/7)) },
		"messages":        func(n int) []byte { return []byte(strings.Repeat(hdr+lf(invite), n/(len(hdr)+len(invite)))) },
	}
	for name, gen := range inputs {
		t.Run(name, func(t *testing.T) {
			small, large := best(gen(1<<20)), best(gen(5<<20))
			ratio := float64(large) / float64(max(small, time.Microsecond))
			t.Logf("1 MB %v, 5 MB %v, ratio %.1f", small, large, ratio)
			if ratio >= 10 {
				t.Errorf("5 MB took %.1f times as long as 1 MB", ratio)
			}
		})
	}
}

func best(b []byte) time.Duration {
	var d time.Duration
	for i := range 3 {
		start := cpuTime()
		texttrace.Parse(bytes.NewReader(b))
		if e := cpuTime() - start; i == 0 || e < d {
			d = e
		}
	}
	return d
}
