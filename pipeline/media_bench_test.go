package pipeline_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// BenchmarkLoadMedia loads a generated capture that is mostly RTP
// (gen.Config.RTP, about 64 MB) as the report does
// (pipeline.LoadConcurrentWith), with media analysis on and off:
//
//	go test -run '^$' -bench LoadMedia -benchtime 5x ./pipeline/
//
// Issue 19 asks that "on" take at most twice the time of "off". rtp/s is
// RTP packets per second; alloc-B/rtp what the load allocated per RTP
// packet, and heap-B/rtp the heap the loaded store keeps per RTP packet
// (both in the off run too, to compare: off keeps no stream).
func BenchmarkLoadMedia(b *testing.B) {
	path, rep := mediaCapture(b)
	for _, c := range []struct {
		name string
		opt  pipeline.Options
	}{{"on", pipeline.Options{}}, {"off", pipeline.Options{NoMedia: true}}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(rep.Bytes)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				s := loadMedia(b, path, c.opt)
				if s.Len() != rep.SIPMessages {
					b.Fatalf("%d SIP messages, want %d", s.Len(), rep.SIPMessages)
				}
				if want := rep.RTPPackets; c.opt.NoMedia {
					want = 0
				} else if s.MediaPackets() != want || len(s.Streams()) != rep.RTPStreams {
					b.Fatalf("%d RTP packets in %d streams, want %d in %d", s.MediaPackets(), len(s.Streams()), want, rep.RTPStreams)
				}
			}
			runtime.ReadMemStats(&after)
			n := float64(rep.RTPPackets)
			b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "rtp/s")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/n, "alloc-B/rtp")

			runtime.GC()
			runtime.ReadMemStats(&before)
			s := loadMedia(b, path, c.opt)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "heap-B/rtp")
			runtime.KeepAlive(s)
		})
	}
}

// mediaCapture writes the capture to a directory the benchmark removes.
func mediaCapture(b *testing.B) (string, *gen.Report) {
	path := filepath.Join(b.TempDir(), "media.pcap")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := gen.Generate(f, gen.Config{Seed: 1, Size: 64 << 20, RTP: true, RTPLoss: 0.02, RTPJitter: 3})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	return path, rep
}

func loadMedia(b *testing.B, path string, opt pipeline.Options) *session.Store {
	r, err := capture.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.LoadConcurrentWith(r, s, opt); err != nil {
		b.Fatal(err)
	}
	return s
}
