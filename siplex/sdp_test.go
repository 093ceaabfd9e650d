package siplex

import (
	"strings"
	"testing"
)

// RFC 4566 §5's example, a T.38 offer (m=image, RFC 6466), and media
// c= lines over the session's.
func TestSDP(t *testing.T) {
	var got []SDPMedia[string]
	collect := func(m SDPMedia[string]) bool { got = append(got, m); return true }
	SDP("v=0\r\no=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\ns=SDP Seminar\r\nc=IN IP4 224.2.17.12/127\r\nt=2873397496 2873404696\r\na=recvonly\r\n"+
		"m=audio 49170 RTP/AVP 0\r\nm=video 51372 RTP/AVP 99\r\na=rtpmap:99 h263-1998/90000\r\n", collect)
	if len(got) != 2 || got[0].Kind != "audio" || got[0].Port != 49170 || got[0].Proto != "RTP/AVP" || got[0].Formats != "0" ||
		got[0].Addr != "224.2.17.12" || got[1].Formats != "99" || got[1].Attrs != "a=rtpmap:99 h263-1998/90000\r\n" {
		t.Errorf("RFC 4566 example: %+v", got)
	}
	got = nil
	SDP("c=IN IP4 138.132.169.101\nm=image 15580 udptl t38\n", collect)
	if len(got) != 1 || got[0].Kind != "image" || got[0].Proto != "udptl" || got[0].Formats != "t38" {
		t.Errorf("T.38: %+v", got)
	}
	got = nil
	SDP([]byte("c=IN IP4 192.168.1.10\r\nm=audio 4000/2 RTP/SAVP 8 101\r\nc=IN IP6 ::1\r\nm=video 0 RTP/SAVP 96\r\nm=audio x RTP/AVP 0\r\n"), func(m SDPMedia[[]byte]) bool {
		got = append(got, SDPMedia[string]{Kind: string(m.Kind), Port: m.Port, Addr: string(m.Addr), Formats: string(m.Formats)})
		return true
	})
	if len(got) != 3 || got[0].Port != 4000 || got[0].Addr != "::1" || got[0].Formats != "8 101" || got[1].Port != 0 || got[1].Addr != "192.168.1.10" || got[2].Port != -1 {
		t.Errorf("media c= lines: %+v", got)
	}
}

// FuzzSDP: every field given is a part of the body and the port is a
// port or -1.
func FuzzSDP(f *testing.F) {
	f.Add("v=0\r\nc=IN IP4 192.168.1.10\r\nm=audio 4000 RTP/SAVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n")
	f.Add("m=image 15580 udptl t38\nc=IN IP6 ::1\nm=\nc=\n")
	f.Fuzz(func(t *testing.T, body string) {
		SDP(body, func(m SDPMedia[string]) bool {
			for _, s := range []string{m.Kind, m.Proto, m.Formats, m.Addr, m.Attrs} {
				if !strings.Contains(body, s) {
					t.Fatalf("%q is not in %q", s, body)
				}
			}
			if m.Port < -1 || m.Port > 65535 {
				t.Fatalf("port %d", m.Port)
			}
			return true
		})
	})
}
