package analysis

import (
	"net/netip"
	"strings"
	"testing"
)

// RFC 4566 §5's example, a T.38 re-INVITE's offer (m=image, RFC 6466),
// and an SRTP offer with a refused video stream.
func TestParseSDP(t *testing.T) {
	rfc := "v=0\r\no=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\ns=SDP Seminar\r\nc=IN IP4 224.2.17.12/127\r\nt=2873397496 2873404696\r\na=recvonly\r\n" +
		"m=audio 49170 RTP/AVP 0\r\nm=video 51372 RTP/AVP 99\r\na=rtpmap:99 h263-1998/90000\r\n"
	ms := parseSDP(rfc)
	if len(ms) != 2 || ms[0].kind != "audio" || ms[0].port != 49170 || ms[0].codecs[0] != "0 PCMU/8000" ||
		ms[1].codecs[0] != "99 h263-1998/90000" || ms[1].addr != netip.MustParseAddr("224.2.17.12") {
		t.Errorf("RFC 4566 example: %+v", ms)
	}
	fax := parseSDP("v=0\no=- 191 1 IN IP4 138.132.169.101\ns=IMSS\nc=IN IP4 138.132.169.101\nt=0 0\nm=image 15580 udptl t38\n")
	if len(fax) != 1 || fax[0].kind != "image" || fax[0].codecs[0] != "t38" || codecNames(fax) != "t38 (image over udptl)" {
		t.Errorf("T.38 offer: %+v %q", fax, codecNames(fax))
	}
	srtp := parseSDP("v=0\r\nc=IN IP4 192.168.1.10\r\nm=audio 4000 RTP/SAVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\nm=video 0 RTP/SAVP 96\r\nc=IN IP4 10.0.0.1\r\n")
	if len(srtp) != 2 || srtp[0].proto != "RTP/SAVP" || srtp[1].port != 0 || srtp[1].addr != netip.MustParseAddr("10.0.0.1") ||
		srtp[0].addr != netip.MustParseAddr("192.168.1.10") || codecNames(srtp[:1]) != "PCMA/8000, telephone-event/8000" {
		t.Errorf("SRTP offer: %+v", srtp)
	}
}

// FuzzSessionDesc: any body reads without a panic, every port is a port
// and every m= line found is in the body.
func FuzzSessionDesc(f *testing.F) {
	f.Add("v=0\r\nc=IN IP4 192.168.1.10\r\nm=audio 4000 RTP/SAVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n")
	f.Add("m=image 15580 udptl t38\nc=IN IP6 ::1\n")
	f.Add("m=audio 1/2 RTP/AVP\na=rtpmap:\nc=IN IP4 1.2.3.4/127/3\n")
	f.Fuzz(func(t *testing.T, body string) {
		for _, m := range parseSDP(body) {
			if m.port < 0 || m.port > 65535 || !strings.Contains(body, m.kind) || !strings.Contains(body, m.proto) {
				t.Fatalf("%+v from %q", m, body)
			}
			_ = codecNames([]mline{m})
		}
	})
}
