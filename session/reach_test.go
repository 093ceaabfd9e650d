package session

import (
	"math/rand/v2"
	"net/netip"
	"strings"
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

// privateOther passes over most dotted quads by their first number
// (privateLead) without parsing them, and Private writes the IPv4 ranges
// out: both must agree with netip's own range checks on every address,
// the edges of each private range included.
func TestPrivateLeadAgreesWithParsing(t *testing.T) {
	byLibrary := func(a netip.Addr) bool {
		a = a.Unmap()
		return a.IsPrivate() || sharedSpace.Contains(a) || a.IsLinkLocalUnicast()
	}
	hosts := []string{"10.0.0.1", "9.255.255.255", "11.0.0.0", "100.64.0.1", "100.63.255.255", "100.128.0.0", "169.254.3.4", "169.253.0.1",
		"172.16.0.1", "172.31.255.255", "172.15.0.1", "172.32.0.1", "192.168.1.1", "192.167.1.1", "192.0.2.1", "1.2.3.4", "010.0.0.1",
		"::ffff:10.0.0.1", "fd00::1", "fe80::1", "2001:db8::1", "1und1.de", "10", "10.", "1000.0.0.1"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a := netip.AddrFrom4([4]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		hosts = append(hosts, a.String())
		if Private(a) != byLibrary(a) {
			t.Errorf("Private(%s) = %v, netip says %v", a, Private(a), byLibrary(a))
		}
	}
	for _, h := range hosts {
		a, err := netip.ParseAddr(h)
		want := err == nil && byLibrary(a)
		if _, got := privateOther([]byte(h)); got != want {
			t.Errorf("%s: private %v, parsing says %v", h, got, want)
		}
	}
}

// A call is marked when one of its messages names a private address
// other than its source, so the NAT checks can pass over the others.
func TestCallMarksPrivateAddrs(t *testing.T) {
	f := newFlow()
	pub, srv := netip.MustParseAddrPort("203.0.113.7:5060"), netip.MustParseAddrPort("198.51.100.1:5060")
	publicVia := func(raw string) string { return strings.Replace(raw, "10.0.0.1:5060", "203.0.113.7:5060", 1) } // req's Via is private
	f.add(pub, srv, publicVia(req("REGISTER", "natted", "z9hG4bK1", 1, "Contact: <sip:alice@192.168.1.10:5060>\r\n")))
	f.add(pub, srv, publicVia(req("REGISTER", "plain", "z9hG4bK2", 1, "Contact: <sip:alice@203.0.113.7:5060>\r\n")))
	f.add(srv, pub, resp(200, "REGISTER", "plain", "z9hG4bK2", 1, "s"))
	for _, c := range f.s.Calls() {
		if want := c.CallID == "natted"; c.PrivateAddrs != want {
			t.Errorf("call %s: PrivateAddrs %v, want %v", c.CallID, c.PrivateAddrs, want)
		}
	}
}

// firstPortSet lets a LAN's description skip the full reading only when
// its first m= line plainly has a port: whatever else is read whole.
func TestFirstPortSet(t *testing.T) {
	for body, want := range map[string]bool{
		"v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n":      true,
		"v=0\r\nm=audio 0 RTP/AVP 0\r\n":                              false,
		"v=0\r\nm=audio 0 RTP/AVP 0\r\nm=video 5000 RTP/AVP 96\r\n":   false,
		"v=0\r\nm=audio  4000 RTP/AVP 0\r\n":                          false,
		"v=0\r\nm=audio\t4000 RTP/AVP 0\r\n":                          false,
		"v=0\r\n":                                                     false,
		"m=audio 4000 RTP/AVP 0\r\n":                                  false,
		"v=0\nm=audio 9 RTP/AVP 0\n":                                  true,
		"v=0\r\nm=audio 0/2 RTP/AVP 0\r\n":                            false,
		"v=0\r\nm=audio 4000/2 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n": true,
		"v=0\r\nm=":       false,
		"v=0\r\nm=audio ": false,
		"v=0\r\nc=IN IP4 10.0.0.1\r\nm=application 5060 TCP/MSRP *\r\n":          true,
		"v=0\r\nc=IN IP4 10.0.0.1\r\nm=image 0 udptl t38\r\nm=audio 0 RTP/AVP 0": false,
	} {
		if got := firstPortSet([]byte(body)); got != want {
			t.Errorf("%q: %v, want %v", body, got, want)
		}
	}
}
