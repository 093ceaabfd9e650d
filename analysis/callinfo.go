package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// What the call list shows of a call besides its findings: the codec it
// settled on (sngrep #503) and the final answer to its first request
// with the cause the answerer gave (sngrep #138, #148).

// CallCodec returns the first codec of the call's first INVITE's session
// descriptions, as the answer has it (a 2xx, else a 18x with SDP), else
// as offered: "PCMU", "opus", "t38"; "" when there is none. It reads the
// messages' bodies: for the rows on screen, not for every call of a
// capture.
func CallCodec(s *session.Store, c *session.Call) string {
	for i := range c.Txs {
		tx := &c.Txs[i]
		if tx.Method != "INVITE" || tx.Request < 0 {
			continue
		}
		var answer, early *session.Message
		for _, mi := range tx.Response {
			m := s.Msg(int(mi))
			if !m.Has(session.FlagSDP) {
				continue
			}
			switch {
			case m.Status >= 200 && m.Status < 300 && answer == nil:
				answer = m
			case m.Status > 100 && m.Status < 200 && early == nil:
				early = m
			}
		}
		for _, m := range []*session.Message{answer, early, s.Msg(int(tx.Request))} {
			if m == nil || !m.Has(session.FlagSDP) {
				continue
			}
			ms, _ := sessionDesc(m)
			for _, x := range ms {
				if x.port == 0 || len(x.codecs) == 0 {
					continue
				}
				name := x.codecs[0]
				if _, n, ok := strings.Cut(name, " "); ok {
					name = n
				}
				name, _, _ = strings.Cut(name, "/")
				return name
			}
		}
		return ""
	}
	return ""
}

// CallStatus returns the final response that ended the call's method
// (its last transaction of c.Method with one, so a REGISTER challenged
// then accepted reads "200 OK"): "486 Busy Here (Q.850 user busy)"; ""
// while there is none. It reads what loading kept (the status line
// table, the refusal's headers), no message's bytes.
func CallStatus(s *session.Store, c *session.Call) string {
	for i := len(c.Txs) - 1; i >= 0; i-- {
		tx := &c.Txs[i]
		if tx.Method != c.Method || tx.Final == 0 {
			continue
		}
		for _, mi := range tx.Response {
			m := s.Msg(int(mi))
			if m.Status != tx.Final {
				continue
			}
			line := strings.TrimPrefix(s.FirstLine(m), "SIP/2.0 ")
			if m.Status >= 300 {
				if r := m.RefusalHeader("reason"); r != "" {
					if name := q850Name(r); name != "" {
						line += " (" + name + ")"
					} else if _, text, ok := strings.Cut(r, "text="); ok {
						line += " (" + strings.Trim(strings.TrimSpace(strings.SplitN(text, ";", 2)[0]), "\"") + ")"
					}
				}
			}
			return line
		}
		return ""
	}
	return ""
}
