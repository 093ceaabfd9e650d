package gen_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

var rtpConfig = gen.Config{Seed: 5, Messages: 600, RTP: true, RTPLoss: 0.02, RTPJitter: 3}

// TestRTPStreamsAreFound loads a capture with media and checks that the
// store finds every packet and stream the generator wrote, each linked
// to its call, and that the one-way calls are the ones the analysis
// calls so.
func TestRTPStreamsAreFound(t *testing.T) {
	data, rep := generate(t, rtpConfig)
	if rep.RTPPackets == 0 || rep.OneWayCalls == 0 || rep.DTMFEvents == 0 || rep.RTPLost == 0 || rep.RTPBytes*2 < rep.Bytes {
		t.Fatalf("the capture lacks a feature the test relies on: %+v", rep)
	}
	r, err := capture.NewReader(bytes.NewReader(data), "gen", int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	if s.Len() != rep.SIPMessages || s.MediaPackets() != rep.RTPPackets || len(s.Streams()) != rep.RTPStreams {
		t.Errorf("store: %d SIP messages, %d RTP packets, %d streams; generated %d, %d, %d",
			s.Len(), s.MediaPackets(), len(s.Streams()), rep.SIPMessages, rep.RTPPackets, rep.RTPStreams)
	}
	codecs := map[string]int{}
	events, lost, digits := 0, 0, 0
	for _, st := range s.Streams() {
		sum := st.Stats()
		lost += sum.Lost
		digits += len(sum.DTMF)
		if st.Call < 0 {
			t.Errorf("stream %d (%v → %v) is linked to no call", st.Seq, st.Src, st.Dst)
		}
		codecs[st.Codec]++
		for _, tc := range st.Types {
			if tc.PT == 101 {
				events += tc.Packets
			}
		}
	}
	if codecs["PCMU/8000"] == 0 || codecs["PCMA/8000"] == 0 || codecs["opus/48000/2"] == 0 || len(codecs) != 3 {
		t.Errorf("codecs of the streams: %v", codecs)
	}
	if events != rep.DTMFPackets || digits != rep.DTMFEvents {
		t.Errorf("%d packets of PT 101 and %d digits, generated %d and %d", events, digits, rep.DTMFPackets, rep.DTMFEvents)
	}
	if lost != rep.RTPLost {
		t.Errorf("the streams lost %d packets, generated %d", lost, rep.RTPLost)
	}
	oneWay := 0
	for _, c := range s.Calls() {
		for _, f := range analysis.Diagnose(s, c, analysis.Options{}) {
			if f.Code == analysis.CodeOneWayMedia {
				oneWay++
			}
		}
	}
	if oneWay != rep.OneWayCalls {
		t.Errorf("%d one-way-media findings, generated %d one-way calls", oneWay, rep.OneWayCalls)
	}
}

// TestRTPFrames reads every RTP frame back: time order, lengths, and a
// parseable RTP header whose sequence numbers advance per stream.
func TestRTPFrames(t *testing.T) {
	data, rep := generate(t, rtpConfig)
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	next := map[uint32]uint16{}
	n, rtp, gaps := 0, 0, 0
	var last int64
	for {
		frame, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if ns := ci.Timestamp.UnixNano(); ns < last {
			t.Fatalf("frame %d goes back in time", n)
		} else {
			last = ns
		}
		if len(frame) < 42 || frame[23] != 17 || frame[15] != 0xb8 { // UDP marked EF: media
			continue
		}
		if int(be16(frame[16:])) != len(frame)-14 || int(be16(frame[38:])) != len(frame)-34 {
			t.Fatalf("frame %d: IP or UDP length wrong", n)
		}
		p, ok := media.ParseRTP(frame[42:])
		if !ok {
			t.Fatalf("frame %d: not RTP", n)
		}
		rtp++
		if want, seen := next[p.SSRC]; seen && p.Seq != want {
			gaps += int(p.Seq - want)
		}
		next[p.SSRC] = p.Seq + 1
	}
	if n != rep.Packets || rtp != rep.RTPPackets || len(next) != rep.RTPStreams || gaps != rep.RTPLost {
		t.Errorf("%d frames, %d RTP in %d streams with %d lost; report says %d, %d, %d, %d",
			n, rtp, len(next), gaps, rep.Packets, rep.RTPPackets, rep.RTPStreams, rep.RTPLost)
	}
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func TestRTPDeterministic(t *testing.T) {
	a, _ := generate(t, rtpConfig)
	b, _ := generate(t, rtpConfig)
	if sha256.Sum256(a) != sha256.Sum256(b) {
		t.Error("the same seed gave different captures")
	}
}

func TestRTPSizeTarget(t *testing.T) {
	const target = 16 << 20
	_, rep := generate(t, gen.Config{Seed: 2, Size: target, RTP: true, RTPLoss: 0.02, RTPJitter: 3})
	// Lost packets were counted in the target, and a call's media can
	// be long: the file ends within a few percent of it.
	if rep.Bytes < target*9/10 || rep.Bytes > target+4<<20 || rep.RTPBytes*10 < rep.Bytes*9 {
		t.Errorf("%d bytes (%d RTP) for a target of %d", rep.Bytes, rep.RTPBytes, target)
	}
}

// BenchmarkGenerateRTP measures the generator with media, into io.Discard.
func BenchmarkGenerateRTP(b *testing.B) {
	var rep *gen.Report
	for b.Loop() {
		var err error
		if rep, err = gen.Generate(io.Discard, gen.Config{Seed: 1, Size: 64 << 20, RTP: true, RTPLoss: 0.02, RTPJitter: 3}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(rep.Bytes)
	b.ReportMetric(float64(rep.RTPPackets*b.N)/b.Elapsed().Seconds(), "rtp/s")
}
