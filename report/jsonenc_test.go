package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/session"
)

// The reference shape of the report's JSON: what the document holds,
// written as Go types so that encoding/json can say what the bytes must
// be. The report never builds these; callWriter and the append functions
// write the bytes straight from the store.

type Call struct {
	CallID   string             `json:"call_id"`
	Method   string             `json:"method"`
	From     string             `json:"from"`
	To       string             `json:"to"`
	State    string             `json:"state"`
	Start    string             `json:"start"`
	Related  []string           `json:"related,omitempty"`
	Verdict  *analysis.Verdict  `json:"verdict,omitempty"` // the root cause, first; the findings are its evidence
	Messages []jsonMessage      `json:"messages"`
	Streams  []jsonStream       `json:"streams,omitempty"`
	Findings []analysis.Finding `json:"findings"`
}

type jsonStream struct {
	Src          string     `json:"src"`
	Dst          string     `json:"dst"`
	SSRC         string     `json:"ssrc"`
	Codec        string     `json:"codec"`
	FirstPacket  int        `json:"first_packet"`
	LastPacket   int        `json:"last_packet"`
	Start        string     `json:"start"`
	End          string     `json:"end"`
	Packets      int        `json:"packets"`
	Bytes        int        `json:"bytes"`
	Expected     int        `json:"expected"`
	Lost         int        `json:"lost"`
	MaxDeltaMs   float64    `json:"max_delta_ms"`
	JitterMeanMs float64    `json:"jitter_mean_ms"`
	JitterMaxMs  float64    `json:"jitter_max_ms"`
	PayloadTypes []jsonPT   `json:"payload_types"`
	DTMF         []jsonDTMF `json:"dtmf,omitempty"`
}

type jsonPT struct {
	PT      uint8 `json:"pt"`
	Packets int   `json:"packets"`
}

type jsonDTMF struct {
	Digit      string `json:"digit"`
	Time       string `json:"time"`
	DurationMs int64  `json:"duration_ms"`
}

func streamJSON(st *session.Stream) jsonStream {
	sm := st.Stats()
	ms := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	js := jsonStream{Src: st.Src.String(), Dst: st.Dst.String(), SSRC: fmt.Sprintf("0x%08x", st.SSRC), Codec: st.Codec,
		FirstPacket: st.FirstPacket, LastPacket: st.LastPacket, Start: sm.First.UTC().Format(jsonTime), End: sm.Last.UTC().Format(jsonTime),
		Packets: sm.Packets, Bytes: sm.Bytes, Expected: sm.Expected, Lost: sm.Lost, MaxDeltaMs: ms(float64(sm.MaxDelta) / 1e6),
		JitterMeanMs: ms(sm.MeanJitter), JitterMaxMs: ms(sm.MaxJitter), PayloadTypes: []jsonPT{}}
	for _, tc := range st.Types {
		js.PayloadTypes = append(js.PayloadTypes, jsonPT{tc.PT, tc.Packets})
	}
	for _, d := range sm.DTMF {
		js.DTMF = append(js.DTMF, jsonDTMF{d.Digit, d.Start.UTC().Format(jsonTime), d.Duration.Milliseconds()})
	}
	return js
}

type jsonMessage struct {
	Index          int    `json:"index"`
	Packet         int    `json:"packet"`
	Time           string `json:"time"`
	Src            string `json:"src"`
	Dst            string `json:"dst"`
	Transport      string `json:"transport"`
	FirstLine      string `json:"first_line"`
	Retransmission bool   `json:"retransmission"`
	Error          string `json:"error,omitempty"`
	// Src/DstInferred: a text trace did not give that address; it was
	// inferred from headers (or is the documentation address 192.0.2.x
	// when unknown). Time is "" when the trace gives none.
	SrcInferred bool `json:"src_inferred,omitempty"`
	DstInferred bool `json:"dst_inferred,omitempty"`
	// HEPAgent is the capture id of the HEP agent that sent the message
	// (omitted when it did not come over HEP).
	HEPAgent *uint32 `json:"hep_agent,omitempty"`
}

func CallJSON(s *session.Store, c *session.Call, opt analysis.Options) Call {
	jc := Call{CallID: c.CallID, Method: c.Method, From: c.From, To: c.To, State: c.State.String(),
		Messages: make([]jsonMessage, 0, len(c.Msgs)), Findings: analysis.Diagnose(s, c, opt)}
	if jc.Findings == nil {
		jc.Findings = []analysis.Finding{}
	}
	jc.Verdict = analysis.VerdictOf(jc.Findings)
	if len(c.Msgs) > 0 {
		jc.Start = s.Msg(int(c.Msgs[0])).Time().Format(jsonTime)
	}
	for _, r := range s.Related(c) {
		jc.Related = append(jc.Related, r.CallID)
	}
	for _, st := range s.CallStreams(c) {
		jc.Streams = append(jc.Streams, streamJSON(st))
	}
	for _, mi := range c.Msgs {
		m := s.Msg(int(mi))
		when := m.Time().Format(jsonTime)
		if m.Has(session.FlagNoTime) {
			when = ""
		}
		jc.Messages = append(jc.Messages, jsonMessage{Index: int(m.Seq), Packet: int(m.Packet), Time: when,
			Src: m.Src().String(), Dst: m.Dst().String(), Transport: m.Transport.String(), FirstLine: m.FirstLine(),
			Retransmission: m.Has(session.FlagRetransmission), Error: m.Err(),
			SrcInferred: m.Has(session.FlagSrcInferred), DstInferred: m.Has(session.FlagDstInferred), HEPAgent: hepAgent(m)})
	}
	return jc
}

func hepAgent(m *session.Message) *uint32 {
	if !m.Has(session.FlagHEP) {
		return nil
	}
	id := m.CaptureID
	return &id
}

type jsonBad struct {
	Packet int    `json:"packet"`
	Reason string `json:"reason"`
}

// The document's head and its undecodable records are encoding/json's.
func TestHeadIsEncodingJSON(t *testing.T) {
	for _, files := range [][]string{nil, {}, {"a.pcap", "dir/<b>&\"c\".pcapng"}} {
		st := jsonStats{Packets: 1, Bytes: 1 << 40, SIPMessages: 3, Retransmissions: 4, Calls: 5, Undecodable: 6, TCPGaps: 7, IPReassembled: 8}
		want, err := json.Marshal(struct {
			Source jsonSource `json:"source"`
			Stats  jsonStats  `json:"stats"`
		}{jsonSource{Files: files}, st})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendHead(nil, jsonSource{Files: files}, st); !bytes.Equal(append(got, '}'), want) {
			t.Errorf("head:\n got %s}\nwant %s", got, want)
		}
	}
	for _, us := range [][]session.Undecodable{nil, {{Packet: 3, Reason: "bad \"IPv4\" <header>\n"}, {Packet: 9, Reason: "é"}}} {
		bad := []jsonBad{}
		for _, u := range us {
			bad = append(bad, jsonBad{Packet: u.Packet, Reason: u.Reason})
		}
		want, _ := json.Marshal(bad)
		if got := appendUndecodable(nil, us); !bytes.Equal(got, want) {
			t.Errorf("undecodable:\n got %s\nwant %s", got, want)
		}
	}
}

// FuzzAppendString: any string is quoted as encoding/json quotes it.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a&b>", "\x00\x01\b\f\n\r\t\x1f", "\u2028\u2029", "\xff\xfe ok \xc3", "é€😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// The report's writer (straight from the store) writes what encoding/json
// writes for the reference shape above, on every call of a generated capture, with a
// candidate password so that findings carry their digest steps, and for
// times before 1970 and in the middle of a second.
func TestCallWriterIsCallJSON(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 9, Messages: 3000})
	if err != nil {
		t.Fatal(err)
	}
	opt := analysis.Options{Credentials: []analysis.Credential{{User: "1000", Secret: analysis.Password("pw-1000")},
		{Secret: analysis.Password("wrong")}}}
	var w callWriter
	steps := 0
	for i, c := range s.Calls() {
		if i%7 == 0 && len(c.Msgs) > 0 {
			s.Msg(int(c.Msgs[0])).TimeNs = -1_500_000_001 + int64(i) // 1969, and a second's change in the call
		}
		if i%5 == 1 && len(c.Msgs) > 1 { // the flags that add fields
			m := s.Msg(int(c.Msgs[1]))
			m.Flags |= session.FlagSrcInferred | session.FlagDstInferred | session.FlagHEP
			m.CaptureID = 2001
		}
		jc := CallJSON(s, c, opt)
		for _, f := range jc.Findings {
			steps += len(f.Steps)
		}
		want, err := json.Marshal(jc)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.appendCall(nil, s, c, opt); !bytes.Equal(got, want) {
			t.Fatalf("call %s:\n got %s\nwant %s", c.CallID, got, want)
		}
	}
	if steps == 0 {
		t.Fatal("no finding had digest steps: the test does not cover them")
	}
}
