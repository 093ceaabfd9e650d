package analysis

import (
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// BenchmarkScannerCalls judges 100,000 INVITE → 401 calls from one
// source, never answered (scanner traffic): every unanswered challenge
// looks for its retry in the calls that follow, and that must stay
// linear (it once compared every such call with every other, minutes
// for 80,000 calls). Reported per call.
func BenchmarkScannerCalls(b *testing.B) {
	s := session.NewStore()
	src, dst := netip.MustParseAddrPort("203.0.113.9:5070"), netip.MustParseAddrPort("192.0.2.1:5060")
	at := time.Unix(1700000000, 0)
	for i := range 100000 {
		n := strconv.Itoa(i)
		head := "Via: SIP/2.0/UDP 203.0.113.9:5070;branch=z9hG4bK" + n + "\r\nFrom: <sip:100@203.0.113.9>;tag=t" + n +
			"\r\nTo: <sip:" + n + "@192.0.2.1>\r\nCall-ID: scan" + n + "\r\nCSeq: 1 INVITE\r\n"
		at = at.Add(500 * time.Microsecond)
		s.Message(&session.Input{Data: []byte("INVITE sip:" + n + "@192.0.2.1 SIP/2.0\r\n" + head + "Content-Length: 0\r\n\r\n"),
			Src: src, Dst: dst, Transport: session.UDP, Time: at})
		at = at.Add(500 * time.Microsecond)
		s.Message(&session.Input{Data: []byte("SIP/2.0 401 Unauthorized\r\n" + head + "WWW-Authenticate: Digest realm=\"x\", nonce=\"n" + n +
			"\"\r\nContent-Length: 0\r\n\r\n"), Src: dst, Dst: src, Transport: session.UDP, Time: at})
	}
	calls := s.Calls()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		opt := Options{Survey: NewSurvey(s)}
		for _, c := range calls {
			Diagnose(s, c, opt)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(calls)), "ns/call")
}

// BenchmarkOneCallManyChallenges: one Call-ID with n INVITEs, each
// challenged (407), never ACKed nor answered, as a scanner that keeps
// its Call-ID sends them. The call is judged in time linear in n: the
// per-call index answers what a scan of the call per challenge did.
func BenchmarkOneCallManyChallenges(b *testing.B) {
	for _, n := range []int{5000, 10000, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := session.NewStore()
			src, dst := netip.MustParseAddrPort("203.0.113.9:5070"), netip.MustParseAddrPort("192.0.2.1:5060")
			at := time.Unix(1700000000, 0)
			for i := range n {
				k := strconv.Itoa(i)
				head := "Via: SIP/2.0/UDP 203.0.113.9:5070;branch=z9hG4bK" + k + "\r\nFrom: <sip:100@203.0.113.9>;tag=t\r\nTo: <sip:" + k +
					"@192.0.2.1>\r\nCall-ID: one\r\nCSeq: " + strconv.Itoa(i+1) + " INVITE\r\n"
				at = at.Add(time.Millisecond)
				s.Message(&session.Input{Data: []byte("INVITE sip:" + k + "@192.0.2.1 SIP/2.0\r\n" + head + "Content-Length: 0\r\n\r\n"),
					Src: src, Dst: dst, Transport: session.UDP, Time: at})
				s.Message(&session.Input{Data: []byte("SIP/2.0 407 Proxy Authentication Required\r\n" + head +
					"Proxy-Authenticate: Digest realm=\"x\", nonce=\"n" + k + "\"\r\nContent-Length: 0\r\n\r\n"), Src: dst, Dst: src, Transport: session.UDP, Time: at})
			}
			c := s.Calls()[0]
			b.ResetTimer()
			for range b.N {
				Diagnose(s, c, Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/challenge")
		})
	}
}
