package session

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

var (
	uac   = netip.MustParseAddrPort("10.0.0.1:5060")
	proxy = netip.MustParseAddrPort("10.0.0.9:5060")
)

// flow feeds messages to a store; each message names its direction.
type flow struct {
	s *Store
	t int64
}

func newFlow() *flow { return &flow{s: NewStore(), t: 1e18} }

func (f *flow) add(src, dst netip.AddrPort, raw string) *Message {
	f.t += 1e6
	f.s.Message(&Input{Data: []byte(raw), Src: src, Dst: dst, Transport: UDP, Time: timeNs(f.t)})
	return f.s.Msg(f.s.Len() - 1)
}

func req(method, callID, branch string, cseq int, extra string) string {
	return fmt.Sprintf("%s sip:bob@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\r\nFrom: <sip:alice@x>;tag=a\r\n"+
		"To: <sip:bob@x>\r\nCall-ID: %s\r\nCSeq: %d %s\r\n%sContent-Length: 0\r\n\r\n", method, branch, callID, cseq, method, extra)
}

func resp(status int, method, callID, branch string, cseq int, toTag string) string {
	to := "<sip:bob@x>"
	if toTag != "" {
		to += ";tag=" + toTag
	}
	return fmt.Sprintf("SIP/2.0 %d Reason\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\r\nFrom: <sip:alice@x>;tag=a\r\n"+
		"To: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\nContent-Length: 0\r\n\r\n", status, branch, to, callID, cseq, method)
}

func TestInviteWithProxyChallenge(t *testing.T) {
	f := newFlow()
	const id = "call-1"
	states := []State{}
	step := func(src, dst netip.AddrPort, raw string) *Message {
		m := f.add(src, dst, raw)
		states = append(states, f.s.Calls()[0].State)
		return m
	}
	step(uac, proxy, req("INVITE", id, "z9hG4bK1", 1, ""))
	step(proxy, uac, resp(407, "INVITE", id, "z9hG4bK1", 1, "p1"))
	r := step(proxy, uac, resp(407, "INVITE", id, "z9hG4bK1", 1, "p1")) // retransmitted: the ACK was late
	ack := step(uac, proxy, req("ACK", id, "z9hG4bK1", 1, ""))
	step(uac, proxy, req("INVITE", id, "z9hG4bK2", 2, "Proxy-Authorization: Digest username=\"alice\"\r\n"))
	again := step(uac, proxy, req("INVITE", id, "z9hG4bK2", 2, "Proxy-Authorization: Digest username=\"alice\"\r\n"))
	step(proxy, uac, resp(180, "INVITE", id, "z9hG4bK2", 2, "b"))
	step(proxy, uac, resp(200, "INVITE", id, "z9hG4bK2", 2, "b"))
	step(uac, proxy, req("ACK", id, "z9hG4bK3", 2, "")) // ACK of a 2xx: a transaction of its own (§13.2.2.4)
	step(uac, proxy, req("BYE", id, "z9hG4bK4", 3, ""))
	step(proxy, uac, resp(200, "BYE", id, "z9hG4bK4", 3, "b"))

	c := f.s.Calls()[0]
	want := []State{StateCallSetup, StateChallenged, StateChallenged, StateChallenged, StateCallSetup, StateCallSetup,
		StateRinging, StateInCall, StateInCall, StateCompleted, StateCompleted}
	if fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("states\n %v\nwant\n %v", states, want)
	}
	if !r.Has(FlagRetransmission) || !again.Has(FlagRetransmission) || ack.Has(FlagRetransmission) {
		t.Errorf("retransmission flags: 407 %v, INVITE %v, ACK %v", r.Has(FlagRetransmission), again.Has(FlagRetransmission), ack.Has(FlagRetransmission))
	}
	if st := f.s.Stats(); st.Retransmissions != 2 || st.Messages != 11 || st.Calls != 1 {
		t.Errorf("stats %+v", st)
	}
	if len(c.Txs) != 4 {
		t.Fatalf("%d transactions, want 4 (INVITE+ACK, INVITE, ACK, BYE)", len(c.Txs))
	}
	tx := c.Txs[0]
	if tx.Method != "INVITE" || tx.Final != 407 || tx.ACK != ack.Seq || tx.Request != 0 || len(tx.Msgs) != 4 {
		t.Errorf("first transaction %+v", tx)
	}
	if c.Txs[1].Final != 200 || c.Txs[2].Method != "ACK" || c.Txs[3].Method != "BYE" {
		t.Errorf("transactions %+v", c.Txs)
	}
	if len(c.Dialogs) != 1 || c.Dialogs[0].ToTag != "b" || c.Dialogs[0].Msgs != 3 { // the 407's tag makes no dialog (§12.1)
		t.Errorf("dialogs %+v", c.Dialogs)
	}
}

func TestRegisterOutcomes(t *testing.T) {
	cases := []struct {
		name string
		msgs []string
		want State
	}{
		{"challenge unanswered", []string{req("REGISTER", "r", "z9hG4bKa", 1, ""), resp(401, "REGISTER", "r", "z9hG4bKa", 1, "s")}, StateChallenged},
		{"credentials refused", []string{
			req("REGISTER", "r", "z9hG4bKa", 1, ""), resp(401, "REGISTER", "r", "z9hG4bKa", 1, "s"),
			req("REGISTER", "r", "z9hG4bKb", 2, "Authorization: Digest username=\"a\"\r\n"), resp(401, "REGISTER", "r", "z9hG4bKb", 2, "s")}, StateAuthFailed},
		{"403 after credentials", []string{
			req("REGISTER", "r", "z9hG4bKb", 2, "Authorization: Digest username=\"a\"\r\n"), resp(403, "REGISTER", "r", "z9hG4bKb", 2, "s")}, StateAuthFailed},
		{"registered", []string{
			req("REGISTER", "r", "z9hG4bKb", 2, "Authorization: Digest username=\"a\"\r\n"), resp(200, "REGISTER", "r", "z9hG4bKb", 2, "s")}, StateRegistered},
		{"unregistered", []string{req("REGISTER", "r", "z9hG4bKb", 2, "Expires: 0\r\n"), resp(200, "REGISTER", "r", "z9hG4bKb", 2, "s")}, StateUnregistered},
		{"pending", []string{req("REGISTER", "r", "z9hG4bKb", 2, "")}, StateRegistering},
	}
	for _, c := range cases {
		f := newFlow()
		for i, raw := range c.msgs {
			if i%2 == 0 {
				f.add(uac, proxy, raw)
			} else {
				f.add(proxy, uac, raw)
			}
		}
		if got := f.s.Calls()[0].State; got != c.want {
			t.Errorf("%s: state %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCallSeenFromItsMiddle(t *testing.T) {
	f := newFlow()
	f.add(proxy, uac, resp(200, "INVITE", "mid", "z9hG4bKx", 5, "b"))
	f.add(uac, proxy, req("BYE", "mid", "z9hG4bKy", 6, ""))
	c := f.s.Calls()[0]
	if c.Method != "INVITE" || c.State != StateCompleted || len(c.Txs) != 2 || c.Txs[0].Request != -1 {
		t.Errorf("call %+v", c)
	}
}

func TestRelatedLegs(t *testing.T) {
	f := newFlow()
	f.add(uac, proxy, req("INVITE", "leg-a", "z9hG4bK1", 1, ""))
	f.add(proxy, uac, req("INVITE", "leg-b", "z9hG4bK2", 1, "X-Call-ID: leg-a\r\n"))
	f.add(proxy, uac, req("INVITE", "other", "z9hG4bK3", 1, ""))
	calls := f.s.Calls()
	if r := f.s.Related(calls[0]); len(r) != 1 || r[0].CallID != "leg-b" {
		t.Errorf("related to leg-a: %v", r)
	}
	if r := f.s.Related(calls[1]); len(r) != 1 || r[0].CallID != "leg-a" {
		t.Errorf("related to leg-b: %v", r)
	}
	if r := f.s.Related(calls[2]); len(r) != 0 {
		t.Errorf("related to other: %v", r)
	}
}

func timeNs(ns int64) (t time.Time) { return time.Unix(0, ns) }

// TestLongCallIndexesTransactions runs past the point where a call's
// transactions move from a scan to a map: matching must not change.
func TestLongCallIndexesTransactions(t *testing.T) {
	f := newFlow()
	for i := 1; i <= 3*txMapAt; i++ {
		b := fmt.Sprintf("z9hG4bK%d", i)
		f.add(uac, proxy, req("REGISTER", "long", b, i, ""))
		f.add(proxy, uac, resp(200, "REGISTER", "long", b, i, "s"))
		if r := f.add(proxy, uac, resp(200, "REGISTER", "long", b, i, "s")); !r.Has(FlagRetransmission) {
			t.Fatalf("refresh %d: the repeated 200 is not a retransmission", i)
		}
	}
	c := f.s.Calls()[0]
	if len(c.Txs) != 3*txMapAt || c.Retrans != 3*txMapAt || c.State != StateRegistered {
		t.Errorf("%d transactions, %d retransmissions, state %v", len(c.Txs), c.Retrans, c.State)
	}
	for i, tx := range c.Txs {
		if len(tx.Msgs) != 3 || tx.Final != 200 {
			t.Errorf("transaction %d: %d messages, final %d", i, len(tx.Msgs), tx.Final)
		}
	}
}
