package session_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// BenchmarkStoreRTP measures the per-packet path of media analysis
// (Store.RTPBatch: the stream's lookup, its payload types and its
// statistics) on 3,000 streams whose 20 ms packets interleave, as in a
// busy capture:
//
//	go test -run '^$' -bench StoreRTP ./session/
func BenchmarkStoreRTP(b *testing.B) {
	const streams, perStream = 3000, 100
	batch := make([]session.RTP, 0, streams*perStream)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for k := range perStream {
		for i := range streams {
			a := netip.AddrFrom4([4]byte{10, 20, byte(i >> 8), byte(i)})
			c := netip.AddrFrom4([4]byte{10, 30, byte(i >> 8), byte(i)})
			batch = append(batch, session.RTP{
				Packet: len(batch) + 1,
				Src:    netip.AddrPortFrom(a, uint16(10000+2*(i%5000))),
				Dst:    netip.AddrPortFrom(c, 20000),
				P: media.Packet{Time: t0.Add(time.Duration(k)*20*time.Millisecond + time.Duration(i)*time.Microsecond),
					SSRC: uint32(i) * 2654435761, Seq: uint16(k), TS: uint32(k) * 160, Size: 160},
			})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		s := session.NewStore()
		s.RTPBatch(batch)
		if len(s.Streams()) != streams {
			b.Fatalf("%d streams", len(s.Streams()))
		}
	}
	b.ReportMetric(float64(len(batch)*b.N)/b.Elapsed().Seconds(), "rtp/s")
}
