package analysis

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// The edges of the media codes, on calls written here with their SDP
// and RTP (the media lab's captures, from real stacks, hold the main
// cases: testdata/captures/media).

var (
	aliceMedia = netip.MustParseAddrPort("198.51.100.10:4000")
	bobMedia   = netip.MustParseAddrPort("203.0.113.20:5000")
)

// mediaCall is an INVITE offering audio at aliceMedia and a 200
// answering at bobMedia, with the given m= formats, attribute lines and
// profiles; the call ends with a BYE at end seconds.
type mediaCall struct {
	e                  *exchange
	offerFmt, ansFmt   string
	offerAttr, ansAttr string
	offerProto         string
	ansProto           string
	end                float64
}

func sdpBody(at netip.AddrPort, proto, fmts, attrs string) string {
	return "v=0\r\no=- 1 1 IN IP4 " + at.Addr().String() + "\r\ns=-\r\nc=IN IP4 " + at.Addr().String() + "\r\nt=0 0\r\n" +
		"m=audio " + strconv.Itoa(int(at.Port())) + " " + proto + " " + fmts + "\r\n" + attrs
}

func (c *mediaCall) msg(sec float64, src, dst netip.AddrPort, first, cseq, body string) {
	hdr := first + "\r\nVia: SIP/2.0/UDP 198.51.100.10:5060;rport;branch=z9hG4bK-" + strings.ReplaceAll(cseq, " ", "") +
		"\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>"
	if !strings.HasPrefix(first, "INVITE") {
		hdr += ";tag=b1"
	}
	hdr += "\r\nCall-ID: media-1@example.com\r\nCSeq: " + cseq + "\r\n"
	if body != "" {
		hdr += "Content-Type: application/sdp\r\n"
	}
	raw := hdr + "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	c.e.s.Message(&session.Input{Time: c.e.start.Add(time.Duration(sec * 1e9)), Src: src, Dst: dst, Transport: session.UDP, Data: []byte(raw)})
}

// build writes the signalling: INVITE at 0, 200 at 1, ACK, BYE at end.
func (c *mediaCall) build() {
	for _, p := range []*string{&c.offerProto, &c.ansProto} {
		if *p == "" {
			*p = "RTP/AVP"
		}
	}
	c.msg(0, uac, uas, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", sdpBody(aliceMedia, c.offerProto, c.offerFmt, c.offerAttr))
	c.msg(1, uas, uac, "SIP/2.0 200 OK", "1 INVITE", sdpBody(bobMedia, c.ansProto, c.ansFmt, c.ansAttr))
	c.msg(1.01, uac, uas, "ACK sip:bob@example.com SIP/2.0", "1 ACK", "")
	c.msg(c.end, uac, uas, "BYE sip:bob@example.com SIP/2.0", "2 BYE", "")
}

// rtp sends n packets of payload type pt, 20 ms apart from sec.
func (c *mediaCall) rtp(src, dst netip.AddrPort, ssrc uint32, pt uint8, sec float64, n int) {
	for i := 0; i < n; i++ {
		at := c.e.start.Add(time.Duration(sec*1e9) + time.Duration(i)*20*time.Millisecond)
		c.e.s.RTP(&session.RTP{Packet: i, Src: src, Dst: dst, P: media.Packet{Time: at, SSRC: ssrc, Seq: uint16(i), TS: uint32(i * 160), PT: pt, Size: 160}})
	}
}

func newMediaCall(t *testing.T, end float64) *mediaCall {
	return &mediaCall{e: newExchange(t), offerFmt: "0 101", ansFmt: "0 101",
		offerAttr: "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n", ansAttr: "a=rtpmap:101 telephone-event/8000\r\n", end: end}
}

func TestOneWayAndNoMedia(t *testing.T) {
	// Both ways for 10 s: nothing to say.
	c := newMediaCall(t, 11)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 500)
	c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
	if fs := c.e.findings(); has(fs, CodeOneWayMedia) != nil || has(fs, CodeNoMedia) != nil {
		t.Errorf("both ways: %s", codeList(fs))
	}
	// One way: bob never sends.
	c = newMediaCall(t, 11)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 500)
	f := has(c.e.findings(), CodeOneWayMedia)
	if f == nil || f.Severity != Error || !strings.Contains(f.Summary, "198.51.100.10:4000 → 203.0.113.20:5000 (500 packets) but nothing comes back") {
		t.Errorf("one way: %+v", f)
	}
	// Bob sends half a second and stops: one-way for the rest of the call.
	c = newMediaCall(t, 11)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 500)
	c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 25)
	if f := has(c.e.findings(), CodeOneWayMedia); f == nil || !strings.Contains(f.Summary, "only 25 packets come back") {
		t.Errorf("bob stops after 0.5 s: %+v", f)
	}
	// On hold (the answer is recvonly): one way is what was agreed.
	c = newMediaCall(t, 11)
	c.ansAttr = "a=recvonly\r\n"
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 500)
	if fs := c.e.findings(); has(fs, CodeOneWayMedia) != nil {
		t.Errorf("recvonly answer: %s", codeList(fs))
	}
	// The call lasts 2.5 s after the answer: too short to judge.
	c = newMediaCall(t, 3.5)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 120)
	if fs := c.e.findings(); has(fs, CodeOneWayMedia) != nil {
		t.Errorf("2.5 s call: %s", codeList(fs))
	}
	// No RTP at all in the capture: a capture of signalling only looks
	// the same, so it is said once for the capture (info), not per call.
	c = newMediaCall(t, 11)
	c.build()
	if f := has(c.e.findings(), CodeNoMedia); f != nil {
		t.Errorf("no RTP in the capture, a finding on the call: %+v", f)
	}
	if f := has(CaptureFindings(c.e.s), CodeNoMedia); f == nil || f.Severity != Info || !strings.Contains(f.Summary, "1 call was answered") {
		t.Errorf("no RTP in the capture: %+v", f)
	}
	// No RTP for this call although the capture holds RTP of both
	// hosts (with other parties): no-media.
	c = newMediaCall(t, 11)
	c.build()
	other := netip.MustParseAddrPort("192.0.2.99:6000")
	c.rtp(netip.AddrPortFrom(aliceMedia.Addr(), 4100), other, 7, 0, 0, 20)
	c.rtp(other, netip.AddrPortFrom(bobMedia.Addr(), 5100), 8, 0, 0, 20)
	if f := has(c.e.findings(), CodeNoMedia); f == nil || f.Severity != Error {
		t.Errorf("no RTP for the call, hosts seen: %s", codeList(c.e.findings()))
	}
}

func TestCodecSRTPAndDTMFMismatch(t *testing.T) {
	// PCMA (8) sent though the answer listed only PCMU and events.
	c := newMediaCall(t, 11)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 8, 1.1, 500)
	c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
	f := has(c.e.findings(), CodeCodecMismatch)
	if f == nil || f.Severity != Error || !strings.Contains(f.Summary, "payload type 8") {
		t.Errorf("PCMA to a PCMU-only answer: %+v", f)
	}
	// Comfort noise unasked is let pass.
	c = newMediaCall(t, 11)
	c.build()
	c.rtp(aliceMedia, bobMedia, 1, 13, 1.1, 20)
	c.rtp(aliceMedia, bobMedia, 3, 0, 1.5, 480)
	c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
	if fs := c.e.findings(); has(fs, CodeCodecMismatch) != nil {
		t.Errorf("comfort noise: %s", codeList(fs))
	}
	// SAVP offered, AVP answered (in a capture with RTP: one without
	// any is read for no session description).
	c = newMediaCall(t, 11)
	c.offerProto = "RTP/SAVP"
	c.build()
	c.rtp(netip.MustParseAddrPort("192.0.2.5:7000"), netip.MustParseAddrPort("192.0.2.6:7000"), 9, 0, 0, 20)
	if f := has(c.e.findings(), CodeSRTPMismatch); f == nil || !strings.Contains(f.Summary, "RTP/SAVP") {
		t.Errorf("SAVP answered AVP: %s", codeList(c.e.findings()))
	}
	// DTMF as INFO after both negotiated telephone-event: info when taken,
	// a warning when refused.
	for _, status := range []string{"200 OK", "415 Unsupported Media Type"} {
		c = newMediaCall(t, 11)
		c.build()
		c.rtp(aliceMedia, bobMedia, 1, 0, 1.1, 500)
		c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
		c.msg(5, uac, uas, "INFO sip:bob@example.com SIP/2.0\r\nContent-Type: application/dtmf-relay", "3 INFO", "")
		c.msg(5.01, uas, uac, "SIP/2.0 "+status, "3 INFO", "")
		f := has(c.e.findings(), CodeDTMFMismatch)
		want := Info
		if status != "200 OK" {
			want = Warning
		}
		if f == nil || f.Severity != want {
			t.Errorf("INFO answered %s: %+v", status, f)
		}
	}
}

func TestMediaAddressMismatch(t *testing.T) {
	// Alice sends from port 4002 while her offer says 4000.
	c := newMediaCall(t, 11)
	c.build()
	c.rtp(netip.AddrPortFrom(aliceMedia.Addr(), 4002), bobMedia, 1, 0, 1.1, 500)
	c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
	f := has(c.e.findings(), CodeMediaAddressMismatch)
	if f == nil || f.Severity != Warning || !strings.Contains(f.Summary, "leaves from 198.51.100.10:4002, not from 198.51.100.10:4000") {
		t.Errorf("another source port: %+v", f)
	}
}

// Loss above the threshold is a warning; when the capture holds fewer
// frames over the stream than the stream alone should have sent, it is
// the capture that missed them: info.
func TestMediaLossAndCaptureGaps(t *testing.T) {
	for _, sparse := range []bool{false, true} {
		c := newMediaCall(t, 11)
		c.build()
		c.rtp(bobMedia, aliceMedia, 2, 0, 1.1, 500)
		for i := 0; i < 500; i++ {
			if i%10 == 3 { // 10% lost
				continue
			}
			at := c.e.start.Add(1100*time.Millisecond + time.Duration(i)*20*time.Millisecond)
			frame := 2000 + 2*i // the capture holds both directions, frame after frame
			if sparse {
				frame = 2000 + i/10 // a sampled capture: a frame number for every tenth packet
			}
			c.e.s.RTP(&session.RTP{Packet: frame, Src: aliceMedia, Dst: bobMedia, P: media.Packet{Time: at, SSRC: 1, Seq: uint16(i), TS: uint32(i * 160), Size: 160}})
		}
		f := has(c.e.findings(), CodeMediaLoss)
		switch {
		case f == nil:
			t.Fatalf("sparse %v: no media-loss: %s", sparse, codeList(c.e.findings()))
		case !sparse && (f.Severity != Warning || !strings.Contains(f.Summary, "lost 50 of 500 packets (10.0%)")):
			t.Errorf("10%% lost: %+v", f)
		case sparse && (f.Severity != Info || !strings.Contains(f.Summary, "the capture itself holds only")):
			t.Errorf("a sampled capture: %+v", f)
		}
	}
}
