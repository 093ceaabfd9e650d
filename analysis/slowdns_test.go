package analysis

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// A proxy that holds the INVITE for seconds while its DNS lookups of the
// next hop go unanswered: slow-setup names the lookups as where the time
// went; without DNS in the capture it names the proxy only.
func TestSlowSetupNamesTheProxysDNS(t *testing.T) {
	for _, withDNS := range []bool{true, false} {
		e := newExchange(t)
		resolver := netip.MustParseAddrPort("203.0.113.53:53")
		from := netip.AddrPortFrom(proxy.Addr(), 40000)
		q := func(sec float64, id uint16, typ uint16, name string, resp bool, rcode uint8, answers uint16) {
			src, dst := from, resolver
			if resp {
				src, dst = resolver, from
			}
			e.s.DNS(session.DNS{Time: e.start.Add(time.Duration(sec * 1e9)), Src: src, Dst: dst, ID: id, Response: resp,
				RCode: rcode, Answers: answers, Name: name, Type: typ})
		}
		hop := func(sec float64, src, dst netip.AddrPort, first, branch string) {
			to := "To: <sip:bob@example.com>"
			if strings.HasPrefix(first, "SIP/2.0 18") {
				to += ";tag=b1"
			}
			raw := first + "\r\nVia: SIP/2.0/UDP " + src.String() + ";branch=" + branch + "\r\nFrom: <sip:alice@example.com>;tag=a1\r\n" + to +
				"\r\nCall-ID: slow@example.com\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
			e.s.Message(&session.Input{Time: e.start.Add(time.Duration(sec * 1e9)), Src: src, Dst: dst, Transport: session.UDP, Data: []byte(raw)})
		}
		hop(0, uac, proxy, "INVITE sip:bob@example.com SIP/2.0", "z9hG4bK-a")
		hop(0.01, proxy, uac, "SIP/2.0 100 Trying", "z9hG4bK-a")
		if withDNS {
			q(0.02, 1, 33, "_sip._udp.example.com", false, 0, 0)
			q(5.02, 2, 33, "_sip._udp.example.com", false, 0, 0)
			q(10.02, 3, 1, "example.com", false, 0, 0)
			q(10.03, 3, 1, "example.com", true, 0, 1)
		}
		hop(10.05, proxy, uas, "INVITE sip:bob@example.com SIP/2.0", "z9hG4bK-p")
		hop(10.1, uas, proxy, "SIP/2.0 180 Ringing", "z9hG4bK-p")
		hop(10.11, proxy, uac, "SIP/2.0 180 Ringing", "z9hG4bK-a")
		f := has(e.findings(), CodeSlowSetup)
		if f == nil {
			t.Fatalf("DNS %v: no slow-setup: %s", withDNS, codeList(e.findings()))
		}
		named := strings.Contains(f.Summary, "203.0.113.1 held it for 10.1 s while it looked up SRV _sip._udp.example.com (no answer), A example.com in DNS")
		if withDNS != named || !strings.Contains(f.Summary, "203.0.113.1 held it for 10.1 s") {
			t.Errorf("DNS %v: %s", withDNS, f.Summary)
		}
	}
}

// A request answered by an ICMP port unreachable quoting it is a
// transaction timeout at once, named so; an ICMP error about another
// datagram changes nothing.
func TestICMPUnreachableAnswersARequest(t *testing.T) {
	for _, quotesIt := range []bool{true, false} {
		e := newExchange(t)
		e.add(0, uac, uas, "REGISTER sip:example.com SIP/2.0", "1 REGISTER")
		src := uac
		if !quotesIt {
			src = netip.MustParseAddrPort("198.51.100.99:5060")
		}
		e.s.ICMP(session.ICMP{Packet: 2, Time: e.start.Add(time.Millisecond), From: uas.Addr(), Type: 3, Code: 3, Src: src, Dst: uas})
		f := has(e.findings(), CodeTransactionTimeout)
		switch {
		case quotesIt && (f == nil || f.Severity != Error || !strings.Contains(f.Summary, "answered by ICMP port unreachable from the host itself")):
			t.Errorf("ICMP about the REGISTER: %+v", f)
		case !quotesIt && f != nil:
			t.Errorf("ICMP about another datagram: %+v", f)
		}
	}
}
