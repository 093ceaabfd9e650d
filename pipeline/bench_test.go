package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// benchCalls × 10 messages: a registration with a digest challenge and a
// call with a proxy challenge, each answered, as most real traces hold.
const benchCalls = 10000

// writeBenchCapture writes a capture of benchCalls*10 SIP messages over
// UDP to dir and returns its path and message count.
func writeBenchCapture(b *testing.B, dir string) (string, int) {
	c := pcaptest.New(layers.LinkTypeEthernet)
	c.Step = 50e3 // 50 µs between packets
	n := 0
	add := func(src, dst string, raw []byte) {
		c.Add(pcaptest.UDP(pcaptest.Addr(src), pcaptest.Addr(dst), raw))
		n++
	}
	sdp := "v=0\r\no=- 1 1 IN IP4 10.1.0.1\r\ns=-\r\nc=IN IP4 10.1.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
	for i := 0; i < benchCalls; i++ {
		reg, call := fmt.Sprintf("reg-%d@10.1.0.1", i), fmt.Sprintf("call-%d@10.1.0.1", i)
		u, p := "10.1.0.1:5060", "10.1.0.2:5060"
		add(u, p, pcaptest.Request("REGISTER", reg, fmt.Sprintf("z9hG4bKr%da", i), 1, ""))
		add(p, u, pcaptest.Response(401, "Unauthorized", "REGISTER", reg, fmt.Sprintf("z9hG4bKr%da", i), 1, "s1"))
		add(u, p, pcaptest.Request("REGISTER", reg, fmt.Sprintf("z9hG4bKr%db", i), 2, ""))
		add(p, u, pcaptest.Response(200, "OK", "REGISTER", reg, fmt.Sprintf("z9hG4bKr%db", i), 2, "s1"))
		add(u, p, pcaptest.Request("INVITE", call, fmt.Sprintf("z9hG4bKc%da", i), 1, sdp))
		add(p, u, pcaptest.Response(407, "Proxy Authentication Required", "INVITE", call, fmt.Sprintf("z9hG4bKc%da", i), 1, "p1"))
		add(u, p, pcaptest.Request("ACK", call, fmt.Sprintf("z9hG4bKc%da", i), 1, ""))
		add(u, p, pcaptest.Request("INVITE", call, fmt.Sprintf("z9hG4bKc%db", i), 2, sdp))
		add(p, u, pcaptest.Response(180, "Ringing", "INVITE", call, fmt.Sprintf("z9hG4bKc%db", i), 2, "b1"))
		add(p, u, pcaptest.Response(200, "OK", "INVITE", call, fmt.Sprintf("z9hG4bKc%db", i), 2, "b1"))
	}
	path := filepath.Join(dir, "bench.pcap")
	if err := os.WriteFile(path, c.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path, n
}

func loadPath(b *testing.B, path string) *session.Store {
	r, err := capture.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkPipeline measures file → calls on one goroutine: reading,
// decoding, indexing and grouping. msgs/s is the throughput; alloc-B/msg
// what was allocated per message; heap-B/msg the heap the loaded store
// keeps per message.
func BenchmarkPipeline(b *testing.B) {
	path, n := writeBenchCapture(b, b.TempDir())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := loadPath(b, path); s.Len() != n {
			b.Fatalf("%d messages, want %d", s.Len(), n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := loadPath(b, path)
	runtime.GC()
	runtime.ReadMemStats(&after)
	// The file is mapped (capture.Open): UDP messages stay in it, so the
	// heap is the index plus the bytes copied (TCP, reassembled IP).
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(n), "heap-B/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "alloc-B/msg")
	runtime.KeepAlive(s)
}

// BenchmarkPipelineStream is BenchmarkPipeline with decoding and
// grouping on two goroutines (pipeline.Stream), as the interface and the
// report run it.
func BenchmarkPipelineStream(b *testing.B) {
	path, n := writeBenchCapture(b, b.TempDir())
	b.ReportAllocs()
	for b.Loop() {
		r, err := capture.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s := session.NewStore()
		for batch := range pipeline.Stream(b.Context(), r, 1) {
			batch.Apply(s)
		}
		r.Close()
		if s.Len() != n {
			b.Fatalf("%d messages, want %d", s.Len(), n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
