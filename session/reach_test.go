package session

import (
	"net/netip"
	"testing"
)

// Where a message asks to be reached, read while indexing: a Contact or
// a Via without rport naming a private address other than the source,
// an SDP connection address likewise, and an answer refusing every
// stream. Public addresses, names, the source itself and a Via with
// rport are not kept.
func TestReachFacts(t *testing.T) {
	src := netip.MustParseAddrPort("203.0.113.7:5060")
	msg := func(raw string) Message {
		return newMessage(new(arena), new(statusLines), &Input{Data: []byte(raw), Transport: UDP, Src: src, Dst: netip.MustParseAddrPort("198.51.100.1:5060")})
	}
	const head = "INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: a\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
	sdp := "v=0\r\no=- 1 1 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 192.168.1.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n"
	m := msg(head + "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1\r\nContact: \"Al\" <sip:alice@192.168.1.10:5070;ob>\r\nContent-Type: application/sdp\r\nContent-Length: " + itoaTest(len(sdp)) + "\r\n\r\n" + sdp)
	if a, via, ok := m.PrivateReach(); !ok || via || a != netip.MustParseAddrPort("192.168.1.10:5070") {
		t.Errorf("Contact: %v %v %v", a, via, ok)
	}
	if a, kind, ok := m.PrivateMedia(); !ok || kind != "audio" || a != netip.MustParseAddrPort("192.168.1.10:4000") || m.SDPRefused() {
		t.Errorf("SDP: %v %q %v, refused %v", a, kind, ok, m.SDPRefused())
	}
	m = msg(head + "Via: SIP/2.0/UDP [fd00::5]:5062;branch=z9hG4bK1\r\nContact: <sip:alice@example.com>\r\nContent-Length: 0\r\n\r\n")
	if a, via, ok := m.PrivateReach(); !ok || !via || a != netip.MustParseAddrPort("[fd00::5]:5062") {
		t.Errorf("Via: %v %v %v", a, via, ok)
	}
	for _, raw := range []string{
		head + "Via: SIP/2.0/UDP 10.0.0.5:5062;rport;branch=z9hG4bK1\r\nContact: <sip:alice@203.0.113.7>\r\nContent-Length: 0\r\n\r\n",
		head + "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1\r\nContact: <sip:alice@198.51.100.9:5060>\r\nContent-Length: 0\r\n\r\n",
	} {
		if m := msg(raw); m.ext != nil && m.ext.reach != nil {
			t.Errorf("kept %+v for\n%s", *m.ext.reach, raw)
		}
	}
	// From a private address (a LAN, or a proxy in it forwarding the
	// caller's Contact), a private Contact says nothing of a NAT.
	lan := newMessage(new(arena), new(statusLines), &Input{Data: []byte(head + "Via: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP 10.20.7.108;branch=z9hG4bK1\r\nContact: <sip:alice@10.20.7.108>\r\nContent-Length: 0\r\n\r\n"),
		Transport: UDP, Src: netip.MustParseAddrPort("10.0.0.10:5060"), Dst: netip.MustParseAddrPort("10.0.0.20:5060")})
	if _, _, ok := lan.PrivateReach(); ok {
		t.Error("a private Contact from a private source is kept")
	}
	// A host's message to itself (127.0.0.1 to 127.0.0.1) crossed no NAT:
	// its private Via is one of its own addresses. From another loopback
	// address (a lab's second host), it is kept.
	for _, c := range []struct {
		src  string
		kept bool
	}{{"127.0.0.1:5061", false}, {"127.0.0.10:5060", true}} {
		self := newMessage(new(arena), new(statusLines), &Input{Data: []byte(head + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK3\r\nContent-Length: 0\r\n\r\n"),
			Transport: UDP, Src: netip.MustParseAddrPort(c.src), Dst: netip.MustParseAddrPort("127.0.0.1:5060")})
		if _, _, ok := self.PrivateReach(); ok != c.kept {
			t.Errorf("from %s to 127.0.0.1: private Via kept %v, want %v", c.src, ok, c.kept)
		}
	}
	refuse := "v=0\r\nc=IN IP4 198.51.100.1\r\nm=audio 0 RTP/AVP 0\r\n"
	m = msg("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1\r\nCall-ID: a\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + itoaTest(len(refuse)) + "\r\n\r\n" + refuse)
	if _, _, ok := m.PrivateReach(); ok || !m.SDPRefused() {
		t.Errorf("a response's Via is not its sender's, and every stream is refused: reach %v, refused %v", ok, m.SDPRefused())
	}
}

func itoaTest(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoaTest(n/10) + string(rune('0'+n%10))
}
