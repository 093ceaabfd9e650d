package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/zaf/g711"
)

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	b   []byte
	off int64
}

func (m *memFile) Write(p []byte) (int, error) {
	if end := m.off + int64(len(p)); end > int64(len(m.b)) {
		m.b = append(m.b, make([]byte, end-int64(len(m.b)))...)
	}
	copy(m.b[m.off:], p)
	m.off += int64(len(p))
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += m.off
	case io.SeekEnd:
		off += int64(len(m.b))
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	m.off = off
	return off, nil
}

// The header, byte by byte (RFC 2361 appendix A; the WAVE format's
// canonical 44 bytes).
func TestWAVHeader(t *testing.T) {
	for _, c := range []struct {
		samples int64
		want    []byte
	}{
		{0, []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")},
		{160, []byte("RIFF\x64\x01\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x40\x01\x00\x00")},
		{wavMaxSamples, append([]byte("RIFF\xfe\xff\xff\xffWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data"), 0xda, 0xff, 0xff, 0xff)},
	} {
		if got := wavHeader(c.samples); !bytes.Equal(got, c.want) {
			t.Errorf("%d samples:\n got % x\nwant % x", c.samples, got, c.want)
		}
	}
}

// pkt is one packet of a table: its timestamp, arrival (ms from the
// first), payload type and payload length, all bytes of one value.
type pkt struct {
	ts     uint32
	ms     int
	pt     uint8
	n      int
	sample byte
}

// write runs packets through a WAV and returns the file.
func write(t testing.TB, ps []pkt) ([]byte, *WAV) {
	var f memFile
	x, err := NewWAV(&f)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := x.Add(Packet{TS: p.ts, PT: p.pt, Time: t0.Add(time.Duration(p.ms) * time.Millisecond)}, bytes.Repeat([]byte{p.sample}, p.n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return f.b, x
}

// spans reads the data chunk back as runs: "S" for silence, "U"/"A" for
// the µ-law/A-law value written, with their lengths in samples.
type span struct {
	kind byte
	n    int
}

func spans(t *testing.T, b []byte, ulaw, alaw int16) []span {
	t.Helper()
	if len(b) < wavHeaderLen {
		t.Fatalf("%d bytes", len(b))
	}
	data := b[wavHeaderLen:]
	if got := binary.LittleEndian.Uint32(b[40:]); int(got) != len(data) {
		t.Fatalf("data size %d, %d bytes follow", got, len(data))
	}
	if got := binary.LittleEndian.Uint32(b[4:]); int(got) != len(b)-8 {
		t.Fatalf("RIFF size %d, file %d bytes", got, len(b))
	}
	var out []span
	for i := 0; i+1 < len(data); i += 2 {
		var k byte = '?'
		switch int16(binary.LittleEndian.Uint16(data[i:])) {
		case 0:
			k = 'S'
		case ulaw:
			k = 'U'
		case alaw:
			k = 'A'
		}
		if len(out) > 0 && out[len(out)-1].kind == k {
			out[len(out)-1].n++
		} else {
			out = append(out, span{k, 1})
		}
	}
	return out
}

// Gaps are silence by the RTP timestamp (RFC 3550 §5.1); late packets go
// back to their place; events and comfort noise are not audio; a clock
// that jumps is followed by the arrival times.
func TestWAVGaps(t *testing.T) {
	const u, a = 0x10, 0x20 // a µ-law and an A-law byte, neither silence
	for _, c := range []struct {
		name string
		ps   []pkt
		want []span
	}{
		{"in order", []pkt{{1000, 0, 0, 160, u}, {1160, 20, 0, 160, u}}, []span{{'U', 320}}},
		{"one packet lost", []pkt{{1000, 0, 0, 160, u}, {1320, 40, 0, 160, u}}, []span{{'U', 160}, {'S', 160}, {'U', 160}}},
		{"late packet fills its gap", []pkt{{1000, 0, 0, 160, u}, {1320, 40, 0, 160, u}, {1160, 45, 8, 160, a}},
			[]span{{'U', 160}, {'A', 160}, {'U', 160}}},
		{"PCMU then PCMA", []pkt{{0, 0, 0, 80, u}, {80, 10, 8, 80, a}}, []span{{'U', 80}, {'A', 80}}},
		{"telephone-event and CN are not audio", []pkt{{0, 0, 0, 160, u}, {160, 20, 101, 4, 1}, {320, 40, 13, 1, 1}, {480, 60, 0, 160, u}},
			[]span{{'U', 160}, {'S', 320}, {'U', 160}}},
		{"timestamp wraps", []pkt{{1<<32 - 160, 0, 0, 160, u}, {160, 40, 0, 160, u}}, []span{{'U', 160}, {'S', 160}, {'U', 160}}},
		{"clock jumps ahead: the arrival says 20 ms", []pkt{{0, 0, 0, 160, u}, {1 << 30, 40, 0, 160, u}}, []span{{'U', 160}, {'S', 160}, {'U', 160}}},
		{"clock jumps back", []pkt{{50000, 0, 0, 160, u}, {1000, 20, 0, 160, u}}, []span{{'U', 320}}},
		{"late before the start", []pkt{{1000, 0, 0, 160, u}, {900, 5, 8, 160, a}}, []span{{'A', 60}, {'U', 100}}},
		{"empty payload", []pkt{{0, 0, 0, 0, u}}, nil},
		{"silence suppressed 1 s", []pkt{{0, 0, 0, 160, u}, {8160, 1020, 0, 160, u}}, []span{{'U', 160}, {'S', 8000}, {'U', 160}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, _ := write(t, c.ps)
			got := spans(t, b, g711.DecodeUlawFrame(u), g711.DecodeAlawFrame(a))
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestWAVCloseTwiceAndAfter(t *testing.T) {
	var f memFile
	x, _ := NewWAV(&f)
	_ = x.Add(Packet{PT: 0}, []byte{1, 2})
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if err := x.Add(Packet{PT: 0, TS: 2}, []byte{1}); err == nil {
		t.Error("Add after Close succeeded")
	}
	if x.Samples() != 2 || x.Duration() != 250*time.Microsecond {
		t.Errorf("%d samples, %v", x.Samples(), x.Duration())
	}
}

// Whatever the packets, the file is a well-formed WAV whose data is as
// long as the header says, and no longer than the arrival times allow.
func FuzzWAV(f *testing.F) {
	f.Add([]byte{0, 0, 0, 20, 160, 0, 0, 1, 20, 160})
	f.Add([]byte{8, 0xff, 0xff, 5, 10, 0, 0x80, 0, 0, 200, 101, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		var ps []pkt
		var ts uint32
		ms := 0
		for len(in) >= 5 {
			// type, timestamp step (signed, in 8-sample units), arrival step, length
			pt := []uint8{0, 8, 13, 101}[in[0]%4]
			ts += uint32(int32(int16(binary.BigEndian.Uint16(in[1:]))) * 8)
			ms += int(in[3])
			ps = append(ps, pkt{ts, ms, pt, int(in[4]), in[0]})
			ts += uint32(in[4])
			in = in[5:]
		}
		b, x := write(t, ps)
		if len(b) != wavHeaderLen+2*int(x.Samples()) {
			t.Fatalf("%d bytes for %d samples", len(b), x.Samples())
		}
		if !bytes.Equal(b[:4], []byte("RIFF")) || int(binary.LittleEndian.Uint32(b[4:])) != len(b)-8 ||
			int(binary.LittleEndian.Uint32(b[40:])) != len(b)-wavHeaderLen {
			t.Fatalf("header % x for %d bytes", b[:wavHeaderLen], len(b))
		}
		// Each packet adds at most its samples, its arrival gap and a
		// second of skew.
		bound := int64(0)
		for _, p := range ps {
			bound += int64(p.n) + wavMaxSkew
		}
		if x.Samples() > bound+int64(ms)*wavRate/1000 {
			t.Fatalf("%d samples from %d packets over %d ms", x.Samples(), len(ps), ms)
		}
	})
}
