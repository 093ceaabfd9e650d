package report

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// mediaStore is one call whose INVITE offers PCMU and telephone-event
// at 10.0.0.1:4000 and whose 200 answers at 10.0.0.2:5000, with RTP
// both ways (payload 0, and a few events) for two seconds.
func mediaStore() *session.Store {
	s := session.NewStore()
	start := time.Unix(1.7e9, 0)
	add := func(sec float64, src, dst, first string, at string) {
		body := "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 " + strings.Split(at, ":")[0] + "\r\nt=0 0\r\nm=audio " +
			strings.Split(at, ":")[1] + " RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
		to := "<sip:bob@x>"
		if !strings.HasPrefix(first, "INVITE") {
			to += ";tag=b"
		}
		raw := first + "\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:alice@x>;tag=a\r\nTo: " + to +
			"\r\nCall-ID: m1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
		s.Message(&session.Input{Time: start.Add(time.Duration(sec * 1e9)), Src: netip.MustParseAddrPort(src), Dst: netip.MustParseAddrPort(dst),
			Transport: session.UDP, Data: []byte(raw)})
	}
	add(0, "10.0.0.1:5060", "10.0.0.2:5060", "INVITE sip:bob@x SIP/2.0", "10.0.0.1:4000")
	add(0.5, "10.0.0.2:5060", "10.0.0.1:5060", "SIP/2.0 200 OK", "10.0.0.2:5000")
	for i := 0; i < 100; i++ {
		at := start.Add(600*time.Millisecond + time.Duration(i)*20*time.Millisecond)
		pt := uint8(0)
		if i >= 50 && i < 53 {
			pt = 101
		}
		s.RTP(&session.RTP{Packet: 10 + 2*i, Src: netip.MustParseAddrPort("10.0.0.1:4000"), Dst: netip.MustParseAddrPort("10.0.0.2:5000"),
			P: media.Packet{Time: at, SSRC: 0xdeadbeef, Seq: uint16(i), TS: uint32(160 * i), PT: pt, Size: 160}})
		s.RTP(&session.RTP{Packet: 11 + 2*i, Src: netip.MustParseAddrPort("10.0.0.2:5000"), Dst: netip.MustParseAddrPort("10.0.0.1:4000"),
			P: media.Packet{Time: at.Add(3 * time.Millisecond), SSRC: 7, Seq: uint16(1000 + i), TS: uint32(160 * i), Size: 160}})
	}
	return s
}

// The streams of a call are written as encoding/json writes the
// reference shape, and the text report lists them.
func TestStreamsInJSONAndText(t *testing.T) {
	s := mediaStore()
	c := s.Calls()[0]
	jc := CallJSON(s, c, analysis.Options{})
	if len(jc.Streams) != 2 {
		t.Fatalf("%d streams in the call's JSON, want 2", len(jc.Streams))
	}
	want, err := json.Marshal(jc)
	if err != nil {
		t.Fatal(err)
	}
	var w callWriter
	if got := w.appendCall(nil, s, c, analysis.Options{}); !bytes.Equal(got, want) {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(string(want), `"ssrc":"0xdeadbeef","codec":"PCMU/8000"`) || !strings.Contains(string(want), `{"pt":101,"packets":3}`) {
		t.Errorf("the JSON lacks the stream's ssrc, codec or payload types: %s", want)
	}
	var b bytes.Buffer
	if err := TextCalls(&b, s, s.Calls(), analysis.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "RTP  10.0.0.1:4000") || !strings.Contains(b.String(), "ssrc 0xdeadbeef  100 pkts") {
		t.Errorf("the text report lacks the streams:\n%s", b.String())
	}
}

// RTP that no description names is listed apart when its packets look
// like media (a steady SSRC and sequence), and not when they do not.
func TestStreamsOutsideCalls(t *testing.T) {
	s := mediaStore()
	start := time.Unix(1.7e9, 0)
	for i := 0; i < 30; i++ {
		s.RTP(&session.RTP{Packet: 500 + i, Src: netip.MustParseAddrPort("192.0.2.1:7000"), Dst: netip.MustParseAddrPort("192.0.2.2:7002"),
			P: media.Packet{Time: start.Add(time.Duration(i) * 20 * time.Millisecond), SSRC: 42, Seq: uint16(i), TS: uint32(160 * i), PT: 8, Size: 160}})
	}
	s.RTP(&session.RTP{Packet: 600, Src: netip.MustParseAddrPort("192.0.2.7:9"), Dst: netip.MustParseAddrPort("192.0.2.8:9"),
		P: media.Packet{Time: start, SSRC: 1, Seq: 9, PT: 33, Size: 3}})
	if lone := LoneStreams(s); len(lone) != 1 || lone[0].SSRC != 42 {
		t.Fatalf("streams outside calls: %+v", lone)
	}
	var b bytes.Buffer
	if err := JSON(&b, []string{"x"}, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Outside []jsonStream `json:"streams_outside_calls"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil || len(doc.Outside) != 1 || doc.Outside[0].Codec != "PCMA/8000" {
		t.Errorf("JSON: %v %+v", err, doc.Outside)
	}
}
