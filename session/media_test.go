package session

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/media"
)

// invite returns an INVITE (or 200) of call id whose SDP offers audio at
// at with the given m= formats and attribute lines.
func sdpMsg(first, id string, at netip.AddrPort, fmts, attrs string) string {
	body := "v=0\r\no=- 1 1 IN IP4 " + at.Addr().String() + "\r\ns=-\r\nc=IN IP4 " + at.Addr().String() + "\r\nt=0 0\r\n" +
		"m=audio " + strconv.Itoa(int(at.Port())) + " RTP/AVP " + fmts + "\r\n" + attrs
	return first + "\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:alice@x>;tag=a\r\nTo: <sip:bob@x>\r\n" +
		"Call-ID: " + id + "\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

func rtp(s *Store, pkt int, src, dst string, ssrc uint32, pt uint8, seq uint16) {
	s.RTP(&RTP{Packet: pkt, Src: netip.MustParseAddrPort(src), Dst: netip.MustParseAddrPort(dst),
		P: media.Packet{Time: time.Unix(1000, int64(seq)*20e6), SSRC: ssrc, Seq: seq, TS: uint32(seq) * 160, PT: pt, Size: 160}})
}

// Streams belong to the call whose SDP names their destination (or, for
// symmetric RTP, their source), with the codec of its rtpmap; RTP seen
// before any description is linked when the description comes; RTP
// nobody described stays apart.
func TestStreamsFollowTheSessionDescriptions(t *testing.T) {
	f := newFlow()
	a := netip.MustParseAddrPort("10.0.0.1:4000")
	b := netip.MustParseAddrPort("10.0.0.2:5000")
	rtp(f.s, 1, "10.0.0.2:5000", "10.0.0.1:4000", 7, 96, 1) // before the INVITE: an orphan until it comes
	f.add(uac, proxy, sdpMsg("INVITE sip:bob@x SIP/2.0", "c1", a, "96 101", "a=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n"))
	f.add(proxy, uac, sdpMsg("SIP/2.0 200 OK", "c1", b, "0", ""))
	rtp(f.s, 2, "10.0.0.1:4000", "10.0.0.2:5000", 9, 0, 1)
	rtp(f.s, 3, "10.0.0.1:4000", "10.0.0.2:5000", 9, 0, 2)
	rtp(f.s, 4, "10.0.0.2:5000", "10.0.0.1:4000", 7, 96, 2)
	rtp(f.s, 5, "192.0.2.1:7000", "192.0.2.2:7002", 1, 0, 1) // nobody's
	c := f.s.Calls()[0]
	got := f.s.CallStreams(c)
	if len(got) != 2 {
		t.Fatalf("%d streams in the call, want 2: %+v", len(got), got)
	}
	for _, st := range got {
		switch st.SSRC {
		case 7:
			if st.Codec != "opus/48000/2" || st.FirstPacket != 1 || st.LastPacket != 4 || st.Stats().Packets != 2 {
				t.Errorf("the early stream: %+v %+v", st, st.Stats())
			}
		case 9:
			if st.Codec != "PCMU/8000" || st.Stats().Packets != 2 || st.Call != c.Seq {
				t.Errorf("the answer's stream: %+v", st)
			}
		default:
			t.Errorf("stream %d in the call", st.SSRC)
		}
	}
	if n := len(f.s.Streams()); n != 3 {
		t.Fatalf("%d streams, want 3", n)
	}
	if other := f.s.Streams()[2]; other.Call != -1 || other.Plausible() {
		t.Errorf("one packet nobody described: %+v, plausible %v", other, other.Plausible())
	}
}

func TestClockOf(t *testing.T) {
	for in, want := range map[string]int{"opus/48000/2": 48000, "PCMU/8000": 8000, "PT 99": 0, "x/": 0, "telephone-event/8000": 8000} {
		if got := clockOf(in); got != want {
			t.Errorf("clockOf(%q) = %d, want %d", in, got, want)
		}
	}
}

// A receiver report about a stream lands on that stream (its SSRC, sent
// by the stream's receiver), with its loss, its jitter in ms of the
// stream's clock, and the round trip from the echoed sender report.
func TestRTCPReportsLandOnTheirStream(t *testing.T) {
	f := newFlow()
	rtp(f.s, 1, "10.0.0.1:4000", "10.0.0.2:5000", 9, 0, 1)
	sent := time.Unix(1000, 0)
	ntp := uint64(0x1234_5678_9abc_0000)
	f.s.RTCP(&RTCP{Packet: 2, Time: sent, Src: netip.MustParseAddrPort("10.0.0.1:4001"), Dst: netip.MustParseAddrPort("10.0.0.2:5001"),
		Reports: []media.Report{{Kind: media.SenderReport, Reporter: 9, NTPTime: ntp}}})
	lsr := uint32(ntp >> 16) // the middle 32 bits (RFC 3550 §6.4.1)
	f.s.RTCP(&RTCP{Packet: 3, Time: sent.Add(250 * time.Millisecond), Src: netip.MustParseAddrPort("10.0.0.2:5001"), Dst: netip.MustParseAddrPort("10.0.0.1:4001"),
		Reports: []media.Report{{Kind: media.ReceiverReport, Reporter: 7, Source: 9, HasBlock: true, FractionLost: 12.5, CumulativeLost: 4,
			Jitter: 80, LSR: lsr, DLSR: 1 << 14}}}) // DLSR in 16.16 seconds: 1<<14 is 0.25 s
	st := f.s.Streams()[0]
	r := st.Reported
	if r == nil || r.Reports != 1 || r.FractionLost != 12.5 || r.CumulativeLost != 4 || r.JitterMs != 10 || !r.HasRTT || r.RTT > time.Millisecond {
		t.Fatalf("reported %+v", r)
	}
	if m := st.MOS(); m.MOS < 1 || m.MOS > 4.5 {
		t.Errorf("MOS %v", m)
	}
}

// A stream whose address an RTP/SAVP description named is SRTP: its
// payloads are encrypted.
func TestSRTPStreamsAreNamed(t *testing.T) {
	f := newFlow()
	a := netip.MustParseAddrPort("10.0.0.1:4000")
	offer := sdpMsg("INVITE sip:bob@x SIP/2.0", "c1", a, "0", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n")
	f.add(uac, proxy, strings.Replace(offer, "RTP/AVP", "RTP/SAVP", 1))
	rtp(f.s, 1, "10.0.0.2:5000", "10.0.0.1:4000", 7, 0, 1)
	rtp(f.s, 2, "10.0.0.9:5000", "10.0.0.8:4000", 8, 0, 1)
	if st := f.s.Streams(); len(st) != 2 || !st[0].SRTP || st[1].SRTP {
		t.Errorf("SRTP marks: %v %v", st[0].SRTP, st[1].SRTP)
	}
}

// An eviction drops the streams of the calls it drops, keeps the others
// with their statistics, and leaves the indexes consistent: the kept
// call finds its stream, a new packet of it lands there, and the
// dropped call's addresses no longer name a stream.
func TestEvictDropsTheStreamsOfDroppedCalls(t *testing.T) {
	f := newFlow()
	callWith := func(id, at string) {
		ap := netip.MustParseAddrPort(at)
		f.add(uac, proxy, sdpMsg("INVITE sip:bob@x SIP/2.0", id, ap, "0", ""))
		f.add(proxy, uac, strings.Replace(sdpMsg("SIP/2.0 200 OK", id, ap, "0", ""), "To: <sip:bob@x>", "To: <sip:bob@x>;tag=b", 1))
		f.add(uac, proxy, req("BYE", id, "z9hG4bK2", 2, ""))
		f.add(proxy, uac, resp(200, "BYE", id, "z9hG4bK2", 2, "b"))
	}
	callWith("old", "10.0.0.1:4000")
	rtp(f.s, 10, "10.0.0.2:5000", "10.0.0.1:4000", 1, 0, 1)
	callWith("new", "10.0.0.1:6000")
	rtp(f.s, 20, "10.0.0.2:5002", "10.0.0.1:6000", 2, 0, 1)
	rtp(f.s, 21, "10.0.0.2:5002", "10.0.0.1:6000", 2, 0, 2)
	old, young := f.s.Calls()[0], f.s.Calls()[1]
	if n := f.s.Evict(1, func(c *Call) bool { return c == young }); n != 1 {
		t.Fatalf("%d calls evicted, want the old one", n)
	}
	if f.s.Call(old.Seq) != nil || len(f.s.Streams()) != 1 || len(f.s.StreamsAt(netip.MustParseAddrPort("10.0.0.1:4000"))) != 0 {
		t.Fatalf("after eviction: %d streams, old call %v", len(f.s.Streams()), f.s.Call(old.Seq))
	}
	sts := f.s.CallStreams(young)
	if len(sts) != 1 || sts[0].Seq != 0 || sts[0].Stats().Packets != 2 {
		t.Fatalf("the kept call's streams: %+v", sts)
	}
	rtp(f.s, 22, "10.0.0.2:5002", "10.0.0.1:6000", 2, 0, 3)
	if got := f.s.CallStreams(young)[0].Stats().Packets; got != 3 || len(f.s.Streams()) != 1 {
		t.Errorf("a packet after the eviction: %d packets, %d streams", got, len(f.s.Streams()))
	}
}

// A capture of signalling only never reads its session descriptions:
// they are noted when the first stream comes, in the order they came, so
// the latest description of an address still names its codec, and a
// call evicted before any RTP names none.
func TestDescriptionsNotedWhenMediaComes(t *testing.T) {
	f := newFlow()
	a := netip.MustParseAddrPort("10.0.0.1:4000")
	f.add(uac, proxy, sdpMsg("INVITE sip:bob@x SIP/2.0", "c1", a, "0", ""))
	reoffer := sdpMsg("INVITE sip:bob@x SIP/2.0", "c1", a, "96", "a=rtpmap:96 opus/48000/2\r\n")
	reoffer = strings.NewReplacer("CSeq: 1 INVITE", "CSeq: 2 INVITE", "branch=z9hG4bK1", "branch=z9hG4bK2").Replace(reoffer)
	f.add(uac, proxy, reoffer)
	gone := netip.MustParseAddrPort("10.0.0.5:7000")
	f.add(uac, proxy, sdpMsg("INVITE sip:bob@x SIP/2.0", "gone", gone, "0", ""))
	f.add(proxy, uac, resp(486, "INVITE", "gone", "z9hG4bK1", 1, "b"))
	if len(f.s.media.sdp) != 0 || f.s.media.indexed {
		t.Fatalf("descriptions noted before any media: %d", len(f.s.media.sdp))
	}
	c1 := f.s.Calls()[0]
	if n := f.s.Evict(1, func(c *Call) bool { return c == c1 }); n != 1 {
		t.Fatalf("%d calls evicted, want the refused one", n)
	}
	rtp(f.s, 10, "10.0.0.2:5000", "10.0.0.1:4000", 7, 96, 1)
	rtp(f.s, 11, "10.0.0.2:5000", "10.0.0.5:7000", 8, 0, 1)
	sts := f.s.Streams()
	if len(sts) != 2 {
		t.Fatalf("%d streams, want 2", len(sts))
	}
	if sts[0].Call != c1.Seq || sts[0].Codec != "opus/48000/2" {
		t.Errorf("the re-offered address: call %d codec %q, want call %d opus/48000/2", sts[0].Call, sts[0].Codec, c1.Seq)
	}
	if sts[1].Call != -1 {
		t.Errorf("the evicted call's address still names call %d", sts[1].Call)
	}
	// From the first stream on, each description is noted as it comes.
	b := netip.MustParseAddrPort("10.0.0.1:4100")
	f.add(uac, proxy, sdpMsg("INVITE sip:bob@x SIP/2.0", "c3", b, "8", ""))
	rtp(f.s, 12, "10.0.0.2:5000", "10.0.0.1:4100", 9, 8, 1)
	if st := f.s.Streams()[2]; st.Call < 0 || st.Codec != "PCMA/8000" {
		t.Errorf("a description after the first stream: call %d codec %q", st.Call, st.Codec)
	}
}
