package session

import (
	"net/netip"
	"testing"
)

// benchMessages are what a softphone's call and registration look like
// on the wire: the headers most messages carry, an SDP offer and answer,
// and a challenge and its answer.
var benchMessages = []string{
	"INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\n" +
		"To: Bob <sip:bob@example.com>\r\nFrom: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710@198.51.100.7\r\n" +
		"CSeq: 314159 INVITE\r\nContact: <sip:alice@198.51.100.7:5060;transport=udp>\r\nUser-Agent: Softphone 1.2\r\n" +
		"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY\r\nSupported: replaces, timer\r\nContent-Type: application/sdp\r\nContent-Length: 221\r\n\r\n" +
		"v=0\r\no=- 3868 3868 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\n" +
		"a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
	"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport=5060;received=198.51.100.7\r\n" +
		"Record-Route: <sip:203.0.113.1;lr>\r\nTo: Bob <sip:bob@example.com>;tag=a6c85cf\r\nFrom: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n" +
		"Call-ID: a84b4c76e66710@198.51.100.7\r\nCSeq: 314159 INVITE\r\nContact: <sip:bob@203.0.113.9:5060>\r\nServer: PBX 16\r\n" +
		"Content-Type: application/sdp\r\nContent-Length: 130\r\n\r\n" +
		"v=0\r\no=- 1 1 IN IP4 203.0.113.9\r\ns=-\r\nc=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n",
	"REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKreg2;rport\r\nMax-Forwards: 70\r\n" +
		"To: <sip:alice@example.com>\r\nFrom: <sip:alice@example.com>;tag=reg1\r\nCall-ID: reg-7d1e@198.51.100.7\r\nCSeq: 2 REGISTER\r\n" +
		"Contact: <sip:alice@198.51.100.7:5060>;expires=3600\r\nAuthorization: Digest username=\"alice\", realm=\"example.com\", " +
		"nonce=\"5f2a\", uri=\"sip:example.com\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKreg1;rport=5060\r\nTo: <sip:alice@example.com>;tag=srv\r\n" +
		"From: <sip:alice@example.com>;tag=reg1\r\nCall-ID: reg-7d1e@198.51.100.7\r\nCSeq: 1 REGISTER\r\n" +
		"WWW-Authenticate: Digest realm=\"example.com\", nonce=\"5f2a\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n",
}

// BenchmarkIndex is the indexer alone: what every SIP message of a
// capture costs before it reaches the store.
func BenchmarkIndex(b *testing.B) {
	ins := make([]Input, len(benchMessages))
	size := 0
	for i, raw := range benchMessages {
		ins[i] = Input{Data: []byte(raw), Transport: UDP, Stable: true,
			Src: netip.MustParseAddrPort("198.51.100.7:5060"), Dst: netip.MustParseAddrPort("203.0.113.1:5060")}
		size += len(raw)
	}
	var bld Builder
	b.SetBytes(int64(size))
	for b.Loop() {
		for i := range ins {
			m := bld.Message(&ins[i])
			if m.CSeq == 0 {
				b.Fatal("not indexed")
			}
		}
	}
}
