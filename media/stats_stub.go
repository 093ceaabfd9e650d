package media

import "time"

// TEMPORARY stub until mediacore merges.
type Stats struct{ s Summary }

type Summary struct {
	SSRC                  uint32
	PT                    uint8
	PTs                   []uint8
	Packets               int
	Bytes                 int64
	First, Last           time.Time
	Expected, Lost        int
	MaxDelta              time.Duration
	MeanJitter, MaxJitter float64
	DTMF                  []Digit
}
type Digit struct {
	Digit    string
	Start    time.Time
	Duration time.Duration
}

func NewStats(clock int) *Stats { return &Stats{} }
func (s *Stats) Add(p Packet) {
	if s.s.Packets == 0 {
		s.s.First, s.s.SSRC, s.s.PT = p.Time, p.SSRC, p.PT
	}
	s.s.Packets++
	if len(s.s.PTs) == 0 || s.s.PTs[len(s.s.PTs)-1] != p.PT {
		s.s.PTs = append(s.s.PTs, p.PT)
	}
	s.s.Last = p.Time
}
func (s *Stats) SetEventPT(pt uint8) {}
func (s *Stats) Summary() Summary    { return s.s }
