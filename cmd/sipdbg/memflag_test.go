package main

import (
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
)

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2G": 2 << 30, "300m": 300 << 20, "65536": 65536, "0": 0, "16 KiB": 16 << 10} {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("%q → %d, %v; want %d", in, b, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "12XB", "-5M", "1.5G"} {
		var b byteSize
		if err := b.Set(bad); err == nil {
			t.Errorf("%q accepted as %d", bad, b)
		}
	}
	b := byteSize(defaultBudget)
	if b.String() != "512MiB" {
		t.Errorf("the default prints as %s", b.String())
	}
}

// ringSource holds a capture ring, as a live interface does.
type ringSource struct {
	capture.Source
	ring int64
}

func (r ringSource) RingBytes() int64 { return r.ring }

// A live session's budget counts the capture ring: the heap gets the
// rest, and a budget the ring leaves less than half of is refused.
func TestSessionBudgetCountsTheRing(t *testing.T) {
	src := ringSource{ring: 32 << 20}
	if b, err := sessionBudget(512<<20, src); err != nil || b != 480<<20 {
		t.Errorf("512 MiB with a 32 MiB ring: %v, %v; want 480 MiB for the heap", b, err)
	}
	if _, err := sessionBudget(48<<20, src); err == nil || !strings.Contains(err.Error(), "give at least 64 MiB") {
		t.Errorf("48 MiB with a 32 MiB ring: %v", err)
	}
	if b, err := sessionBudget(0, src); err != nil || b != 0 {
		t.Errorf("no budget: %v, %v", b, err)
	}
}
