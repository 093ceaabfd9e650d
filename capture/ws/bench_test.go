package ws

import (
	"strings"
	"testing"
)

// benchFrame is a typical client-to-server frame: a masked ~600-byte SIP
// request.
func benchFrame() []byte {
	body := sipInvite + strings.Repeat("X-Pad: 0123456789abcdef0123456789abcdef\r\n", 10)
	return maskedText(body[:600])
}

func BenchmarkFeedMasked(b *testing.B) {
	f := benchFrame()
	var r Reader
	n := 0
	emit := func(p []byte) { n += len(p) }
	b.SetBytes(int64(len(f)))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Feed(f, emit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFeedUnmasked(b *testing.B) {
	f := text(strings.Repeat("a", 600))
	var r Reader
	emit := func([]byte) {}
	b.SetBytes(int64(len(f)))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Feed(f, emit); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFeedMaskedSplit feeds the frame in two segments, as TCP does
// when a message straddles two packets.
func BenchmarkFeedMaskedSplit(b *testing.B) {
	f := benchFrame()
	var r Reader
	emit := func([]byte) {}
	b.SetBytes(int64(len(f)))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Feed(f[:300], emit); err != nil {
			b.Fatal(err)
		}
		if err := r.Feed(f[300:], emit); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNoAllocs guards the hot paths: once a Reader's buffers exist, Feed
// allocates nothing, and the detectors never do.
func TestNoAllocs(t *testing.T) {
	f := benchFrame()
	var r Reader
	emit := func([]byte) {}
	checks := map[string]func(){
		"Feed masked":    func() { r.Feed(f, emit) },
		"Feed split":     func() { r.Feed(f[:100], emit); r.Feed(f[100:], emit) },
		"IsHandshake":    func() { IsHandshake([]byte(upgradeRequest)) },
		"LooksLikeFrame": func() { LooksLikeFrame(f) },
	}
	for name, fn := range checks {
		fn() // warm up the Reader's buffers
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s: %v allocs per call", name, n)
		}
	}
}
