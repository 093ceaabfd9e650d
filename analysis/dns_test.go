package analysis

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// A client whose lookups for its SIP server all fail and that sends no
// SIP is a finding of the capture; one that then sends is not, nor is a
// client whose A lookup succeeds after the SRV ones fail (RFC 3263's
// fallback), nor a lookup that is not for SIP.
func TestCaptureFindingsDNS(t *testing.T) {
	client := netip.MustParseAddrPort("192.0.2.10:40000")
	server := netip.MustParseAddrPort("192.0.2.53:53")
	t0 := time.Unix(1e9, 0)
	q := func(s *session.Store, at time.Duration, id uint16, typ uint16, name string) {
		s.DNS(session.DNS{Time: t0.Add(at), Src: client, Dst: server, ID: id, Name: name, Type: typ})
	}
	r := func(s *session.Store, at time.Duration, id uint16, rcode uint8, answers uint16) {
		s.DNS(session.DNS{Time: t0.Add(at), Src: server, Dst: client, ID: id, Response: true, RCode: rcode, Answers: answers})
	}
	s := session.NewStore()
	q(s, 0, 1, 35, "sipdbg.invalid")
	r(s, 10*time.Millisecond, 1, 3, 0)
	q(s, 20*time.Millisecond, 2, 33, "_sip._udp.sipdbg.invalid")
	q(s, 5*time.Second, 3, 1, "www.example.com") // not a SIP lookup, and unanswered
	// Another client's SIP: the capture is not DNS alone, so an address
	// lookup is not taken for a SIP client's.
	s.Message(&session.Input{Time: t0, Src: netip.MustParseAddrPort("192.0.2.99:5060"), Dst: netip.MustParseAddrPort("198.51.100.1:5060"), Transport: session.UDP,
		Data: []byte("OPTIONS sip:198.51.100.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK9\r\nCall-ID: y\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")})
	fs := CaptureFindings(s)
	if len(fs) != 1 || fs[0].Code != CodeDNSFailure || fs[0].Severity != Error ||
		!strings.Contains(fs[0].Summary, "NAPTR sipdbg.invalid (no such name)") || !strings.Contains(fs[0].Summary, "SRV _sip._udp.sipdbg.invalid (no answer)") {
		t.Fatalf("%+v", fs)
	}

	ok := session.NewStore()
	q(ok, 0, 1, 33, "_sip._udp.example.com")
	r(ok, time.Millisecond, 1, 3, 0)
	q(ok, 2*time.Millisecond, 2, 1, "example.com")
	r(ok, 3*time.Millisecond, 2, 0, 1)
	if fs := CaptureFindings(ok); len(fs) != 0 {
		t.Errorf("the A lookup succeeded: %+v", fs)
	}

	sent := session.NewStore()
	q(sent, 0, 1, 35, "sipdbg.invalid")
	r(sent, time.Millisecond, 1, 3, 0)
	sent.Message(&session.Input{Time: t0.Add(time.Second), Src: client, Dst: netip.MustParseAddrPort("198.51.100.1:5060"), Transport: session.UDP,
		Data: []byte("OPTIONS sip:198.51.100.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nCall-ID: x\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")})
	if fs := CaptureFindings(sent); len(fs) != 0 {
		t.Errorf("the client sent SIP after: %+v", fs)
	}

	// A capture of DNS alone: a client given a host name asks A and AAAA
	// only, and nothing answers.
	dnsOnly := session.NewStore()
	q(dnsOnly, 0, 7, 1, "pbx.lab.test")
	q(dnsOnly, 0, 8, 28, "pbx.lab.test")
	if fs := CaptureFindings(dnsOnly); len(fs) != 1 || !strings.Contains(fs[0].Summary, "could not resolve pbx.lab.test") {
		t.Errorf("A and AAAA unanswered, no SIP: %+v", fs)
	}
}
