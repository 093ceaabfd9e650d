package report

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// jsonTime is RFC 3339 with a fixed nanosecond fraction, so that columns
// of times sort and align as text.
const jsonTime = "2006-01-02T15:04:05.000000000Z07:00"

type jsonReport struct {
	Source      jsonSource        `json:"source"`
	Stats       jsonStats         `json:"stats"`
	Calls       []json.RawMessage `json:"calls"`
	Undecodable []jsonBad         `json:"undecodable"`
}

type jsonSource struct {
	Files []string `json:"files"`
}

type jsonStats struct {
	Packets         int   `json:"packets"`
	Bytes           int64 `json:"bytes"`
	SIPMessages     int   `json:"sip_messages"`
	Retransmissions int   `json:"retransmissions"`
	Calls           int   `json:"calls"`
	Undecodable     int   `json:"undecodable"`
	TCPGaps         int   `json:"tcp_gaps"`
	IPReassembled   int   `json:"ip_reassembled"`
}

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
	Findings []analysis.Finding `json:"findings"`
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

type jsonBad struct {
	Packet int    `json:"packet"`
	Reason string `json:"reason"`
}

// writeJSON prints the report as one JSON document. Calls are encoded one
// at a time so that a large capture is never held twice in memory.
func JSON(w io.Writer, files []string, s *session.Store, opt analysis.Options) error {
	return JSONCalls(w, files, s, s.Calls(), opt)
}

// JSONCalls is JSON for some of the store's calls.
func JSONCalls(w io.Writer, files []string, s *session.Store, calls []*session.Call, opt analysis.Options) error {
	opt = surveyed(s, opt)
	rep := jsonReport{Source: jsonSource{Files: files}, Stats: statsOf(s), Undecodable: []jsonBad{}}
	for _, u := range s.Undecodables() {
		rep.Undecodable = append(rep.Undecodable, jsonBad{Packet: u.Packet, Reason: u.Reason})
	}
	head, err := json.Marshal(struct {
		Source jsonSource `json:"source"`
		Stats  jsonStats  `json:"stats"`
	}{rep.Source, rep.Stats})
	if err != nil {
		return err
	}
	io.WriteString(w, string(head[:len(head)-1])+`,"calls":[`)
	writers := make([]callWriter, max(1, runtime.GOMAXPROCS(0)))
	err = eachInOrder(w, len(calls), newPager(w, s, calls), s.Guard, func(k, i int, buf *bytes.Buffer) error {
		if i > 0 {
			buf.WriteString(",\n")
		} else {
			buf.WriteString("\n")
		}
		buf.Write(writers[k].appendCall(buf.AvailableBuffer(), s, calls[i], opt))
		return nil
	})
	if err != nil {
		return err
	}
	tail, err := json.Marshal(rep.Undecodable)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "],\n\"undecodable\":"+string(tail)+"}\n")
	return err
}

func statsOf(s *session.Store) jsonStats {
	st := s.Stats()
	return jsonStats{Packets: st.Decoder.Frames, Bytes: st.Decoder.Bytes, SIPMessages: st.Messages,
		Retransmissions: st.Retransmissions, Calls: st.Calls, Undecodable: st.Undecodable,
		TCPGaps: st.Decoder.TCPGaps, IPReassembled: st.Decoder.Reassembled}
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
