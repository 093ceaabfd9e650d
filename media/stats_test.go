package media

import (
	"runtime"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// pk is a PCMU packet i of a 20 ms stream: seq base+i, timestamp 160·i,
// arriving at 20·i ms.
func pk(seq uint16, ts uint32, ms float64) Packet {
	return Packet{Time: t0.Add(time.Duration(ms * float64(time.Millisecond))), SSRC: 0x1234,
		Seq: seq, TS: ts, PT: 0, Size: 160}
}

func run(clock int, ps ...Packet) Summary {
	s := NewStats(clock)
	s.SetEventPT(101, 8000)
	for _, p := range ps {
		s.Add(p)
	}
	return s.Summary()
}

// steady returns n in-order packets from seq0.
func steady(seq0 uint16, n int) []Packet {
	ps := make([]Packet, n)
	for i := range ps {
		ps[i] = pk(seq0+uint16(i), uint32(1000+160*i), float64(20*i))
	}
	return ps
}

func TestStatsSequence(t *testing.T) {
	swap := steady(10, 6)
	swap[2], swap[3] = swap[3], swap[2]
	dup := append(steady(10, 4), steady(10, 4)[2])
	late := steady(10, 6)
	late = append(late[:2], append(late[3:], late[2])...)
	lost := steady(10, 6)
	lost = append(lost[:2], lost[4:]...)
	tests := []struct {
		name                               string
		ps                                 []Packet
		packets, expected, lost, dups, seq int
	}{
		{"in order", steady(10, 5), 5, 5, 0, 0, 0},
		{"wrap at 65535", steady(65533, 6), 6, 6, 0, 0, 0},
		{"loss across the wrap", append(steady(65533, 2), steady(1, 2)...), 4, 6, 2, 0, 1},
		{"reordered pair", swap, 6, 6, 0, 0, 2},
		{"duplicate", dup, 5, 4, -1, 1, 1},
		{"late packet", late, 6, 6, 0, 0, 2},
		{"two lost", lost, 4, 6, 2, 0, 1},
		{"single packet", steady(7, 1), 1, 1, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := run(0, tt.ps...)
			if sm.Packets != tt.packets || sm.Expected != tt.expected || sm.Lost != tt.lost ||
				sm.Duplicates != tt.dups || sm.SeqErrors != tt.seq {
				t.Errorf("packets %d expected %d lost %d dups %d seqerr %d; want %d %d %d %d %d",
					sm.Packets, sm.Expected, sm.Lost, sm.Duplicates, sm.SeqErrors,
					tt.packets, tt.expected, tt.lost, tt.dups, tt.seq)
			}
		})
	}
}

func TestStatsJitterAndDelta(t *testing.T) {
	// One packet 5 ms late, the rest on time: D is 5 then 5 (the next
	// one comes 15 ms after it), then 0.
	ps := steady(1, 5)
	ps[2].Time = ps[2].Time.Add(5 * time.Millisecond)
	sm := run(0, ps...)
	j1 := 5.0 / 16
	j2 := j1 + (5-j1)/16
	j3 := j2 - j2/16
	if !near(sm.MaxJitter, j2) || !near(sm.Jitter, j3) {
		t.Errorf("jitter max %v last %v, want %v %v", sm.MaxJitter, sm.Jitter, j2, j3)
	}
	// Mean over the regular packets 2..5 as Wireshark weighs it.
	mean := (0 + j1 + j2 + j3) / 4
	if !near(sm.MeanJitter, mean) {
		t.Errorf("mean jitter %v, want %v", sm.MeanJitter, mean)
	}
	if sm.MaxDelta != 25*time.Millisecond || sm.MaxDeltaAt != 3 {
		t.Errorf("max delta %v at %d, want 25ms at 3", sm.MaxDelta, sm.MaxDeltaAt)
	}
	if sm.TSJumps != 0 {
		t.Errorf("ts jumps %d", sm.TSJumps)
	}
}

func TestStatsMarkerAndCN(t *testing.T) {
	// A talkspurt after 1 s of silence: the gap is not the network's.
	ps := append(steady(1, 3), pk(4, 1000+160*53, 1060))
	ps[3].Marker = true
	sm := run(0, ps...)
	if sm.MaxDelta != 20*time.Millisecond || sm.Markers != 1 || sm.TSJumps != 0 {
		t.Errorf("max delta %v markers %d jumps %d", sm.MaxDelta, sm.Markers, sm.TSJumps)
	}
	// Without the marker the same gap counts, and is no jump either
	// (53 frames for 1 sequence step: silence suppressed).
	ps[3].Marker = false
	if sm := run(0, ps...); sm.MaxDelta != 1020*time.Millisecond || sm.TSJumps != 0 {
		t.Errorf("unmarked: max delta %v jumps %d", sm.MaxDelta, sm.TSJumps)
	}
	// Comfort noise and the packet after it are not regular.
	cn := append(steady(1, 3), pk(4, 1000+160*3, 60), pk(5, 1000+160*30, 600))
	cn[3].PT = 13
	if sm := run(0, cn...); sm.MaxDelta != 20*time.Millisecond || len(sm.PTs) != 2 {
		t.Errorf("cn: max delta %v pts %v", sm.MaxDelta, sm.PTs)
	}
}

func TestStatsTimestampJump(t *testing.T) {
	ps := steady(1, 6)
	ps[4].TS += 37 // not a whole frame
	ps[5].TS += 37
	if sm := run(0, ps...); sm.TSJumps != 1 {
		t.Errorf("ts jumps %d, want 1", sm.TSJumps)
	}
	back := steady(1, 4)
	back[3].TS = back[1].TS
	if sm := run(0, back...); sm.TSJumps != 1 {
		t.Errorf("backwards: ts jumps %d, want 1", sm.TSJumps)
	}
}

func TestStatsClockChange(t *testing.T) {
	// PCMU at 8 kHz, then a dynamic opus PT at 48 kHz on the same SSRC
	// (a re-INVITE): timestamps are judged by each packet's own clock.
	ps := steady(1, 3)
	for i := range 3 {
		p := pk(uint16(4+i), 1000+160*3+960*uint32(i), float64(60+20*i))
		p.PT = 111
		ps = append(ps, p)
	}
	s := NewStats(0)
	s.SetClock(111, ClockRate(111, "opus/48000/2"))
	for _, p := range ps {
		s.Add(p)
	}
	sm := s.Summary()
	if sm.MaxJitter > 0.01 || len(sm.PTs) != 2 || sm.PT != 0 {
		t.Errorf("max jitter %v pts %v pt %d", sm.MaxJitter, sm.PTs, sm.PT)
	}
	// Unknown clock for the dynamic type: no jitter from those packets.
	if sm := run(0, ps[3:]...); sm.MaxJitter != 0 || sm.MaxDelta != 20*time.Millisecond {
		t.Errorf("no clock: jitter %v delta %v", sm.MaxJitter, sm.MaxDelta)
	}
}

func TestStatsSeconds(t *testing.T) {
	ps := steady(1, 120) // 2.4 s
	ps = append(ps[:60], ps[62:]...)
	sm := run(0, ps...)
	if len(sm.Seconds) != 3 {
		t.Fatalf("%d seconds", len(sm.Seconds))
	}
	if sm.Seconds[0].Packets != 50 || sm.Seconds[1].Packets != 48 || sm.Seconds[1].Lost != 2 {
		t.Errorf("seconds %+v", sm.Seconds)
	}
	// A clock jump of years costs no more than a day of buckets.
	far := pk(200, 1000+160*200, 0)
	far.Time = t0.Add(10 * 365 * 24 * time.Hour)
	if sm := run(0, steady(1, 2)[0], far); len(sm.Seconds) != maxSeconds {
		t.Errorf("%d buckets", len(sm.Seconds))
	}
}

// ev is a telephone-event packet of event code, start timestamp ts.
func ev(seq uint16, ts uint32, ms float64, code uint8, end bool, dur uint16) Packet {
	p := pk(seq, ts, ms)
	p.PT, p.Size = 101, 4
	p.Head = [4]byte{code, 10, byte(dur >> 8), byte(dur)}
	if end {
		p.Head[1] |= 0x80
	}
	return p
}

func TestStatsDTMF(t *testing.T) {
	ps := steady(1, 3)
	ps = append(ps,
		ev(4, 1480, 60, 5, false, 160),
		ev(5, 1480, 80, 5, false, 320),
		ev(6, 1480, 100, 5, true, 640),
		ev(7, 1480, 101, 5, true, 640), // §2.5.1.4: the end, twice more
		ev(8, 1480, 102, 5, true, 640),
		ev(9, 3000, 300, 11, true, 800),
		ev(10, 3000, 301, 11, true, 800),
		ev(11, 5000, 500, 16, false, 400), // flash, end lost
	)
	sm := run(0, ps...)
	want := []Digit{
		{Digit: "5", Event: 5, Volume: 10, Start: t0.Add(60 * time.Millisecond), Duration: 80 * time.Millisecond, Ended: true, Packets: 5},
		{Digit: "#", Event: 11, Volume: 10, Start: t0.Add(300 * time.Millisecond), Duration: 100 * time.Millisecond, Ended: true, Packets: 2},
		{Digit: "flash", Event: 16, Volume: 10, Start: t0.Add(500 * time.Millisecond), Duration: 50 * time.Millisecond, Packets: 1},
	}
	if len(sm.DTMF) != len(want) {
		t.Fatalf("digits %+v", sm.DTMF)
	}
	for i := range want {
		if sm.DTMF[i] != want[i] {
			t.Errorf("digit %d: %+v, want %+v", i, sm.DTMF[i], want[i])
		}
	}
	// Without SetEventPT they are just packets of an unknown type.
	s := NewStats(0)
	for _, p := range ps {
		s.Add(p)
	}
	if sm := s.Summary(); len(sm.DTMF) != 0 || sm.Packets != len(ps) {
		t.Errorf("no event pt: %d digits", len(sm.DTMF))
	}
}

func TestStatsLongEventSegments(t *testing.T) {
	// §2.5.2.2: an event longer than 65535 units goes on with a new
	// timestamp where the previous segment ended.
	ps := []Packet{ev(1, 0, 0, 1, false, 65535), ev(2, 65535, 8200, 1, false, 8000), ev(3, 65535, 9200, 1, true, 16000)}
	sm := run(0, ps...)
	if len(sm.DTMF) != 1 || sm.DTMF[0].Duration != time.Duration(65535+16000)*time.Second/8000 {
		t.Errorf("digits %+v", sm.DTMF)
	}
}

func TestEventName(t *testing.T) {
	for code, want := range map[uint8]string{0: "0", 9: "9", 10: "*", 11: "#", 12: "A", 15: "D", 16: "flash", 32: "32"} {
		if got := EventName(code); got != want {
			t.Errorf("EventName(%d) = %q, want %q", code, got, want)
		}
	}
}

// TestStatsMemory: an hour at 50 packets a second must cost what the
// buckets cost (12 bytes a second), far below 16 bytes a packet.
func TestStatsMemory(t *testing.T) {
	const n = 3600 * 50
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewStats(0)
	for i := range n {
		s.Add(pk(uint16(i), uint32(160*i), float64(20*i)))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew %d bytes for %d packets (%.3f a packet)", grown, n, float64(grown)/n)
	if grown > 16*n/4 {
		t.Errorf("heap grew %d bytes for %d packets", grown, n)
	}
	if sm := s.Summary(); sm.Packets != n || sm.Lost != 0 || len(sm.Seconds) != 3600 {
		t.Errorf("packets %d lost %d seconds %d", sm.Packets, sm.Lost, len(sm.Seconds))
	}
	runtime.KeepAlive(s)
}

func BenchmarkAdd(b *testing.B) {
	s := NewStats(8000)
	s.SetEventPT(101, 8000)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Add(pk(uint16(i), uint32(160*i), float64(20*i)))
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
