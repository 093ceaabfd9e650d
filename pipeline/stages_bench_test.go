package pipeline_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// The stage benchmarks split the pipeline on a realistic generated
// capture (internal/testkit/gen: registrations, calls through a proxy, OPTIONS,
// UDP and TCP, retransmissions, a few malformed packets):
//
//	go test -run '^$' -bench Stage -benchtime 3x -cpu 1 ./session/
//
// Each stage includes the ones before it; the cost of a stage is the
// difference with the previous one:
//
//	Read     capture.Reader.Next over every frame
//	Decode   + capture.Decoder (link, IP, UDP/TCP, reassembly, SIP framing) into a no-op sink
//	Index    + session.Builder (copy into the arena, index the headers), through
//	         pipeline.Stream with the batches dropped: the Builder needs the
//	         store's unexported arena, Stream is the public way to it
//	Group    + Store.Add (calls, transactions, dialogs, states): pipeline.Load
//	Analyse  analysis.Diagnose over every call of a loaded store (loading not timed)
//
// MB/s is file bytes per second, msgs/s SIP messages per second, and
// allocs/msg and B/msg what each message costs the allocator.

const stageMessages = 120000

var stageCapture struct {
	once sync.Once
	path string
	rep  *gen.Report
	err  error
}

// stageFile generates the capture once per process, into a fixed name in
// os.TempDir() (replaced each time, so that a changed generator is never
// measured with an old file; about 70 MB stay there afterwards).
func stageFile(b *testing.B) (string, *gen.Report) {
	b.Helper()
	c := &stageCapture
	c.once.Do(func() {
		dir := os.TempDir()
		f, err := os.CreateTemp(dir, "sipdbg-stages-*.tmp")
		if err != nil {
			c.err = err
			return
		}
		rep, err := gen.Generate(f, gen.Config{Seed: 1, Messages: stageMessages})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		path := filepath.Join(dir, "sipdbg-stages-bench.pcap")
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
			c.err = err
			return
		}
		c.path, c.rep = path, rep
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	return c.path, c.rep
}

func stageOpen(b *testing.B, path string) *capture.Reader {
	r, err := capture.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// stageRun times fn, one pass over the capture per iteration, and
// reports the throughput and allocations per message.
func stageRun(b *testing.B, rep *gen.Report, fn func()) {
	b.SetBytes(rep.Bytes)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		fn()
		n++
	}
	runtime.ReadMemStats(&after)
	msgs := float64(rep.SIPMessages) * float64(n)
	b.ReportMetric(msgs/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/msgs, "allocs/msg")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/msgs, "B/msg")
}

func BenchmarkStageRead(b *testing.B) {
	path, rep := stageFile(b)
	stageRun(b, rep, func() {
		r := stageOpen(b, path)
		defer r.Close()
		frames := 0
		for {
			_, err := r.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					b.Fatal(err)
				}
				break
			}
			frames++
		}
		if frames != rep.Packets {
			b.Fatalf("%d frames, generated %d", frames, rep.Packets)
		}
	})
}

type nopSink struct{}

func (nopSink) Message(*capture.Payload)        {}
func (nopSink) Undecodable(capture.Undecodable) {}

func BenchmarkStageDecode(b *testing.B) {
	path, rep := stageFile(b)
	stageRun(b, rep, func() {
		r := stageOpen(b, path)
		defer r.Close()
		dec := capture.NewDecoder(nopSink{})
		for {
			f, err := r.Next()
			if err != nil {
				break
			}
			dec.Decode(f)
		}
		dec.Flush()
		if st := dec.Stats(); st.SIPMessages != rep.SIPMessages {
			b.Fatalf("%d SIP messages decoded, generated %d", st.SIPMessages, rep.SIPMessages)
		}
	})
}

func BenchmarkStageIndex(b *testing.B) {
	path, rep := stageFile(b)
	stageRun(b, rep, func() {
		r := stageOpen(b, path)
		defer r.Close()
		n := 0
		for batch := range pipeline.Stream(context.Background(), r, 0) {
			n += len(batch.Messages)
			if batch.Err != nil {
				b.Fatal(batch.Err)
			}
		}
		if n != rep.SIPMessages {
			b.Fatalf("%d messages indexed, generated %d", n, rep.SIPMessages)
		}
	})
}

func BenchmarkStageGroup(b *testing.B) {
	path, rep := stageFile(b)
	stageRun(b, rep, func() {
		s := stageLoad(b, path)
		if s.Len() != rep.SIPMessages || s.Stats().Calls != rep.Calls {
			b.Fatalf("%d messages, %d calls; generated %d, %d", s.Len(), s.Stats().Calls, rep.SIPMessages, rep.Calls)
		}
	})
	// What a loaded store keeps in memory, per message.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := stageLoad(b, path)
	runtime.GC()
	runtime.ReadMemStats(&after)
	// The file is mapped (capture.Open): UDP messages stay in it, so the
	// heap is the index plus the bytes copied (TCP, reassembled IP).
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(s.Len()), "heap-B/msg")
	runtime.KeepAlive(s)
}

func stageLoad(b *testing.B, path string) *session.Store {
	r := stageOpen(b, path)
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkStageAnalyse(b *testing.B) {
	path, rep := stageFile(b)
	s := stageLoad(b, path)
	calls := s.Calls()
	stageRun(b, rep, func() {
		findings := 0
		for _, c := range calls {
			findings += len(analysis.Diagnose(s, c, analysis.Options{}))
		}
		if findings == 0 {
			b.Fatal("no findings")
		}
	})
}
