package media

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
)

func marshal(t testing.TB, pkts ...rtcp.Packet) []byte {
	b, err := rtcp.Marshal(pkts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRTCP(t *testing.T) {
	at := t0
	rr, sr, xr := rtcpSamples()
	tests := []struct {
		name  string
		b     []byte
		ok    bool
		kinds []ReportKind
	}{
		{"SR with a block", marshal(t, sr), true, []ReportKind{SenderReport}},
		{"SR alone", marshal(t, &rtcp.SenderReport{SSRC: 1}), true, []ReportKind{SenderReport}},
		{"RR + SDES", marshal(t, &rtcp.ReceiverReport{SSRC: 2, Reports: []rtcp.ReceptionReport{rr, rr}},
			&rtcp.SourceDescription{Chunks: []rtcp.SourceDescriptionChunk{{Source: 2,
				Items: []rtcp.SourceDescriptionItem{{Type: rtcp.SDESCNAME, Text: "x"}}}}}), true,
			[]ReportKind{ReceiverReport, ReceiverReport}},
		{"XR VoIP metrics", marshal(t, xr), true, []ReportKind{ExtendedReport}},
		{"empty RR", marshal(t, &rtcp.ReceiverReport{SSRC: 3}), false, nil},
		{"BYE only", marshal(t, &rtcp.Goodbye{Sources: []uint32{1}}), false, nil},
		{"empty", nil, false, nil},
		{"garbage", []byte{0x81, 0xc8, 0xff, 0xff, 1, 2, 3}, false, nil},
		{"truncated SR", marshal(t, sr)[:20], false, nil},
		{"version 1", []byte{0x41, 0xc9, 0, 1, 0, 0, 0, 1}, false, nil},
		{"bad second packet keeps the first", append(marshal(t, sr), 0x80, 0xc9, 0, 0), true, []ReportKind{SenderReport}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRTCP(tt.b, at)
			if ok != tt.ok || len(got) != len(tt.kinds) {
				t.Fatalf("ok %v, %d reports %+v", ok, len(got), got)
			}
			for i, k := range tt.kinds {
				if got[i].Kind != k || !got[i].At.Equal(at) {
					t.Errorf("report %d: %v at %v", i, got[i].Kind, got[i].At)
				}
			}
		})
	}

}

// rtcpSamples is an RR block, an SR carrying it and an XR with a VoIP
// Metrics block.
func rtcpSamples() (rtcp.ReceptionReport, *rtcp.SenderReport, *rtcp.ExtendedReport) {
	rr := rtcp.ReceptionReport{SSRC: 0xbbbb, FractionLost: 64, TotalLost: 0xfffffe,
		LastSequenceNumber: 70000, Jitter: 80, LastSenderReport: 0x12345678, Delay: 0x10000}
	sr := &rtcp.SenderReport{SSRC: 0xaaaa, NTPTime: 0xe0000000_80000000, RTPTime: 1234,
		PacketCount: 10, OctetCount: 1600, Reports: []rtcp.ReceptionReport{rr}}
	xr := &rtcp.ExtendedReport{SenderSSRC: 0xcccc, Reports: []rtcp.ReportBlock{
		&rtcp.VoIPMetricsReportBlock{SSRC: 0xaaaa, LossRate: 128, RoundTripDelay: 40,
			RFactor: 90, MOSLQ: 41, MOSCQ: 127}}}
	return rr, sr, xr
}

func TestParseRTCPFields(t *testing.T) {
	at := t0
	_, sr, xr := rtcpSamples()
	got, _ := ParseRTCP(marshal(t, sr), at)
	r := got[0]
	if r.Reporter != 0xaaaa || r.Source != 0xbbbb || !r.HasBlock || r.FractionLost != 25 ||
		r.CumulativeLost != -2 || r.HighestSeq != 70000 || r.Jitter != 80 ||
		r.LSR != 0x12345678 || r.DLSR != 0x10000 || r.NTPTime != sr.NTPTime ||
		r.RTPTime != 1234 || r.PacketCount != 10 || r.OctetCount != 1600 {
		t.Errorf("SR report %+v", r)
	}
	got, _ = ParseRTCP(marshal(t, xr), at)
	v := got[0].VoIP
	if got[0].Reporter != 0xcccc || got[0].Source != 0xaaaa || v == nil || v.LossRate != 50 ||
		v.RoundTripDelay != 40*time.Millisecond || v.RFactor != 90 || !v.HasRFactor ||
		v.MOSLQ != 4.1 || !v.HasMOSLQ || v.HasMOSCQ {
		t.Errorf("XR report %+v %+v", got[0], v)
	}
}

func TestRoundTrip(t *testing.T) {
	sent := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	lsr := NTPShort(sent)
	arrival := NTPShort(sent.Add(1500 * time.Millisecond))
	dlsr := uint32(65536) // the receiver held it 1 s
	rtt, ok := RoundTrip(arrival, lsr, dlsr)
	if !ok || rtt < 499*time.Millisecond || rtt > 501*time.Millisecond {
		t.Errorf("rtt %v %v, want 500ms", rtt, ok)
	}
	if _, ok := RoundTrip(arrival, 0, dlsr); ok {
		t.Error("no LSR gives an RTT")
	}
	if _, ok := RoundTrip(lsr, lsr, dlsr); ok {
		t.Error("negative RTT accepted")
	}
	// 2026-05-01 12:00:00 UTC is 3986625600 s since 1900: its NTP
	// short format holds the low 16 bits of the seconds.
	if lsr != uint32(3986625600&0xffff)<<16 {
		t.Errorf("NTPShort = %#x", lsr)
	}
}

func FuzzParseRTCP(f *testing.F) {
	f.Add(marshal(f, &rtcp.SenderReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: 2}}}))
	f.Add(marshal(f, &rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: 2}}}))
	f.Add(marshal(f, &rtcp.ExtendedReport{SenderSSRC: 1, Reports: []rtcp.ReportBlock{&rtcp.VoIPMetricsReportBlock{SSRC: 2}}}))
	f.Add([]byte{0x80, 0xc8, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		reports, ok := ParseRTCP(b, t0)
		if ok != (len(reports) > 0) {
			t.Fatalf("ok %v with %d reports", ok, len(reports))
		}
	})
}
