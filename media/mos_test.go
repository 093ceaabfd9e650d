package media

import (
	"math"
	"testing"
	"time"
)

func TestMOSFromR(t *testing.T) {
	for _, tt := range []struct{ r, mos float64 }{
		{-5, 1}, {0, 1}, {50, 2.58}, {80, 4.02}, {93.2, 4.41}, {100, 4.5}, {120, 4.5},
	} {
		if got := MOSFromR(tt.r); math.Abs(got-tt.mos) > 0.01 {
			t.Errorf("MOSFromR(%v) = %v, want %v", tt.r, got, tt.mos)
		}
	}
}

func TestEstimateMOS(t *testing.T) {
	tests := []struct {
		name     string
		in       MOSInput
		r        float64
		fallback bool
	}{
		{"clean G.711", MOSInput{Codec: "PCMU", PLC: true}, 93.2, false},
		// Ie,eff = 95·1/(1+25.1) = 3.64
		{"G.711 PLC 1% loss", MOSInput{Codec: "PCMA", PLC: true, LossPct: 1}, 93.2 - 95.0/26.1, false},
		// without PLC: 95·1/(1+4.3) = 17.92
		{"G.711 no PLC 1% loss", MOSInput{Codec: "PCMU", LossPct: 1}, 93.2 - 95.0/5.3, false},
		{"G.729A clean", MOSInput{Codec: "G729"}, 93.2 - 11, false},
		// Ie,eff = 11 + 84·2/(2/2+19) = 19.4
		{"G.729A 2% bursty", MOSInput{Codec: "G729", LossPct: 2, BurstR: 2}, 93.2 - 11 - 84*2/20.0, false},
		{"opus falls back", MOSInput{Codec: "opus", PLC: true}, 93.2, true},
		// Ta = 200 + 20 + 2·15 = 250 ms: X = log2(2.5)
		{"delay", MOSInput{Codec: "PCMU", PLC: true, OneWay: 200 * time.Millisecond, Jitter: 15}, 93.2 - idd(250), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := EstimateMOS(tt.in)
			if math.Abs(e.R-tt.r) > 1e-9 || e.Fallback != tt.fallback || e.MOS != MOSFromR(e.R) {
				t.Errorf("R %v fallback %v MOS %v, want R %v fallback %v", e.R, e.Fallback, e.MOS, tt.r, tt.fallback)
			}
		})
	}
	if d := delayImpairment(100 * time.Millisecond); d != 0 {
		t.Errorf("Idd(100ms) = %v", d)
	}
	// G.107 Idd at 200 ms (X = 1) is about 3.0; at 400 ms about 13.
	if d := delayImpairment(200 * time.Millisecond); math.Abs(d-3.05) > 0.05 {
		t.Errorf("Idd(200ms) = %v", d)
	}
}

func idd(ms float64) float64 {
	x := math.Log2(ms / 100)
	return 25 * (math.Pow(1+math.Pow(x, 6), 1.0/6) - 3*math.Pow(1+math.Pow(x/3, 6), 1.0/6) + 2)
}
