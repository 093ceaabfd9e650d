package analysis

import (
	"iter"
	"net/netip"
	"sort"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// This file words what never came: the ACK of a 2xx, any response to a
// request, and (slow-setup) the ringing.

// t1 is RFC 3261's round-trip estimate (§17.1.1.1), and timerB 64·T1: how
// long a client transaction waits for a response before it gives up
// (timer B for INVITE, F for the others), and a UAS for the ACK of its
// 2xx (§13.3.1.4).
const (
	t1     = 500e6
	timerB = 64 * t1
)

// giveUpSlack is how much earlier than 64·T1 an element may give up and
// still be taken as timing out: stacks count from their first send,
// captures from theirs, and some use a shorter T1 sum.
const giveUpSlack = 4e9

// timeouts reports, for each INVITE of the call, a 2xx that was never
// ACKed, and for each request one that nothing answered.
func (d *diag) timeouts(as []*attempt) {
	d.ack2xx()
	for _, a := range as {
		if a.tx.Final == 0 && len(a.tx.Response) == 0 {
			d.silent(a)
		}
		if a.tx.Final == 408 {
			d.timeout408(a)
		}
	}
}

// hops yields the call's transactions of that method and CSeq whose
// request was captured, with its first copy: the one request as each hop
// of the path carried it (a proxy's copy is a transaction of its own).
func (d *diag) hops(method string, cseq uint32) iter.Seq2[*session.Transaction, *session.Message] {
	return func(yield func(*session.Transaction, *session.Message) bool) {
		for i := range d.c.Txs {
			tx := &d.c.Txs[i]
			if tx.Method == method && tx.CSeq == cseq && tx.Request >= 0 && !yield(tx, d.s.Msg(int(tx.Request))) {
				return
			}
		}
	}
}

// copies counts the messages of tx that are the request, first copy and
// retransmissions (a copy sooner than minGap is the capture seeing one
// packet twice), and returns the last one.
func (d *diag) copies(tx *session.Transaction) (n int, last *session.Message) {
	for _, mi := range tx.Msgs {
		if m := d.s.Msg(int(mi)); isCopyOf(m, tx) && (last == nil || m.TimeNs-last.TimeNs >= minGap) {
			n, last = n+1, m
		}
	}
	return n, last
}

// isCopyOf reports whether m is a copy of tx's request. A transaction's
// requests are its method or, for an INVITE, its ACK: the length of the
// method tells them apart without reading the message's bytes (loading
// kept what the analysis reads; see session's authblock.go).
func isCopyOf(m *session.Message, tx *session.Transaction) bool {
	return m.IsRequest() && len(m.Method()) == len(tx.Method)
}

// silent reports a request that got no response at all: retransmitted
// over UDP (at least three copies: a capture that sees one direction only
// shows single copies, answered out of sight) or sent over a reliable
// transport, with the capture going on past timer B/F.
func (d *diag) silent(a *attempt) {
	if q := d.unreachable(a); q != nil {
		d.add(d.fUnreachable(a, q))
		return
	}
	n, last, ok := d.timedOut(a)
	if !ok || d.answeredUpstream(a, is408) {
		return
	}
	hop := last.Dst()
	b := append(d.sc.buf[:0], a.tx.Method...)
	b = append(b, " sent "...)
	b = appendCount(b, n, "time")
	b = append(b, " to "...)
	b = hop.AppendTo(b)
	b = append(b, " over "...)
	b = append(b, a.req.Transport.String()...)
	b = append(b, " and never answered"...)
	sev := Error
	if a.tx.Method == "BYE" {
		sev = Warning // the call is over for the one who hung up; the other side may keep it (and bill it)
	}
	if d.answeredUpstream(a, is2xx) {
		// One branch of a fork: the callee's other device took the call.
		// This one is down or unreachable, a risk for the next call.
		sev = Warning
		b = append(b, "; another branch answered the call"...)
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	d.add(Finding{Code: CodeTransactionTimeout, Severity: sev, Messages: d.idx(a.req, last), RFC: "RFC 3261 §17.1.1.2 (timer B), §17.1.2.2 (timer F)",
		Summary: summary,
		Explanation: "Not even a 100 Trying came back: the element at " + hop.String() + " is down, does not listen on that port or " +
			"transport, or its answers are lost on the way back (a firewall, a NAT that dropped the mapping, a response sent to a Via " +
			"address the client cannot be reached on). The client retransmits with doubling intervals and gives up after 64·T1 " +
			"(32 s). Check that the element runs and listens there (sngrep or tcpdump on its side shows whether the request " +
			"arrives), the firewall in between, and the Via's sent-by and rport."})
}

// answeredUpstream reports whether a's request is a proxy's copy of a
// request that the same proxy answered upstream with a final status for
// which want holds: 2xx when another branch of a fork took the call
// (RFC 3261 §16.7), 408 when timeout408 already tells this silent hop.
func (d *diag) answeredUpstream(a *attempt, want func(uint16) bool) bool {
	proxy := a.req.Src()
	for tx, m := range d.hops(a.tx.Method, a.tx.CSeq) {
		if tx == a.tx || !want(tx.Final) || !sameElement(m.Dst(), proxy) {
			continue
		}
		for _, ri := range tx.Response {
			if r := d.s.Msg(int(ri)); r.Status >= 200 && want(r.Status) && sameElement(r.Src(), proxy) {
				return true
			}
		}
	}
	return false
}

func is2xx(status uint16) bool { return status >= 200 && status < 300 }
func is408(status uint16) bool { return status == 408 }

// unreachable returns the ICMP error that answered a's unanswered request
// instead of SIP: destination unreachable quoting the request's own
// datagram (its addresses and ports), within a few seconds of one of its
// copies. A host or port where nothing listens answers so (RFC 792; RFC
// 1122 §3.2.2.1), and the client may never retry.
func (d *diag) unreachable(a *attempt) *session.ICMP {
	if a.req == nil || a.req.Transport != session.UDP || a.tx.Method == "ACK" || len(a.tx.Response) > 0 {
		return nil
	}
	log := d.s.ICMPLog()
	if len(log) == 0 {
		return nil
	}
	from := a.req.TimeNs
	i := sort.Search(len(log), func(i int) bool { return log[i].Time.UnixNano() >= from })
	for ; i < len(log) && log[i].Time.UnixNano() <= from+icmpWindow; i++ {
		q := &log[i]
		if q.Src == a.req.Src() && q.Dst == a.req.Dst() && (q.Type == 3 || q.V6 && q.Type == 1) {
			return q
		}
	}
	return nil
}

// icmpWindow is how long after a request its ICMP error may come: at
// once in practice, seconds when a router on the way first resolves the
// next hop.
const icmpWindow = 5e9

func (d *diag) fUnreachable(a *attempt, q *session.ICMP) Finding {
	what := "destination unreachable"
	if q.PortUnreachable() {
		what = "port unreachable"
	}
	hop := a.req.Dst()
	by := q.From.String()
	if q.From == hop.Addr() {
		by = "the host itself"
	}
	return Finding{Code: CodeTransactionTimeout, Severity: Error, Messages: d.idx(a.req), RFC: "RFC 3261 §17.1.1.2, §18.1.1; RFC 792",
		Summary: d.concat(a.tx.Method, " to ", hop.String(), " answered by ICMP ", what, " from ", by, " (packet ", itoa(q.Packet),
			"): nothing listens there"),
		Explanation: "No SIP response came, but an ICMP error quoting the request did: " + hop.String() + " has no process " +
			"listening on that port (or, for host unreachable, cannot be reached at all). The SIP server is down or listens on " +
			"another port or transport, or the client sends to the wrong address (a stale DNS record, a wrong outbound proxy). " +
			"A UDP client sees the error only if it asks its socket, and many retry or fail over without saying so."}
}

// timedOut reports whether a's request got no response at all until its
// client must have given up, with how many copies were sent and the last.
func (d *diag) timedOut(a *attempt) (int, *session.Message, bool) {
	if a.req == nil || a.tx.Method == "ACK" || a.tx.Method == "CANCEL" || a.tx.Final != 0 || len(a.tx.Response) > 0 {
		return 0, nil, false
	}
	n, last := d.copies(a.tx)
	udp := a.req.Transport == session.UDP
	switch {
	case udp && n < 3:
		return n, last, false
	case d.s.Last().TimeNs-a.req.TimeNs < timerB-giveUpSlack:
		return n, last, false // the capture ends before the client would give up: no verdict
	case !udp && !d.answered() && !d.heardBack(a.req):
		return n, last, false // one copy, and no response in the call: maybe a capture of one direction
	}
	return n, last, true
}

// heardBack reports whether the capture holds a message from req's
// destination back to its source on the same connection before timer B
// ran out: the capture sees that direction, so a response would show.
// It reads the messages that follow req in capture order, a bounded
// number: it is asked only of a request over a reliable transport that
// no response in its call answers.
func (d *diag) heardBack(req *session.Message) bool {
	const maxLook = 200000
	for seq, n := int(req.Seq)+1, 0; n < maxLook; seq, n = seq+1, n+1 {
		m := d.s.Msg(seq)
		if m == nil || m.TimeNs > req.TimeNs+timerB {
			return false
		}
		if m.Src() == req.Dst() && m.Dst() == req.Src() {
			return true
		}
	}
	return false
}

// answered reports whether any request of the call got a response: the
// capture sees both directions.
func (d *diag) answered() bool {
	for i := range d.c.Txs {
		if len(d.c.Txs[i].Response) > 0 {
			return true
		}
	}
	return false
}

// timeout408 reports a 408 that a proxy made because its next hop stayed
// silent, naming that hop when the capture shows the forwarded request.
func (d *diag) timeout408(a *attempt) {
	a.end(d.s)
	if a.final == nil || a.req == nil {
		return
	}
	proxy := a.final.Src()
	// The proxy's own copy of the request, to its next hop: another
	// transaction of the call with the same CSeq, sent from the proxy.
	var fwd *session.Message
	for tx, m := range d.hops(a.tx.Method, a.tx.CSeq) {
		if tx != a.tx && m.Src().Addr() == proxy.Addr() {
			fwd = m
		}
	}
	if fwd == nil && a.req.Dst() != proxy {
		return // a 408 from the far end itself: call-rejected words it
	}
	if fwd != nil && d.gotFinal(fwd) {
		return // the next hop did answer: the 408 is the proxy's own doing, call-rejected words it
	}
	b := append(d.sc.buf[:0], a.tx.Method...)
	b = append(b, " timed out: "...)
	b = append(b, d.statusText(a.final)...)
	b = append(b, " from "...)
	b = proxy.AppendTo(b)
	if fwd != nil {
		b = append(b, ", whose next hop "...)
		b = fwd.Dst().AppendTo(b)
		b = append(b, " never answered"...)
	} else {
		b = append(b, ": its next hop never answered (not in the capture)"...)
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	d.add(Finding{Code: CodeTransactionTimeout, Severity: Error, Messages: d.idx(a.req, fwd, a.final), RFC: "RFC 3261 §16.8, §17.1.1.2",
		Summary: summary,
		Explanation: "The proxy forwarded the request and got nothing back before its own timer ran out, so it answered 408 " +
			"Request Timeout in the name of the next hop (RFC 3261 §16.8). The fault is past the proxy: the next hop is down, " +
			"unreachable from the proxy, or a registration points at an address that no longer answers (a phone that left, a " +
			"NAT binding that expired). A proxy's timer may be shorter than 32 s (Kamailio's fr_timer, fr_inv_timer)."})
}

// gotFinal reports whether the request req (the first copy of its
// transaction) got a final response.
func (d *diag) gotFinal(req *session.Message) bool {
	for i := range d.c.Txs {
		if tx := &d.c.Txs[i]; tx.Request == req.Seq {
			return tx.Final != 0
		}
	}
	return false
}

// ack2xx reports each hop on which an INVITE's 2xx was retransmitted and
// no ACK reached the element that sent it (RFC 3261 §13.3.1.4: the UAS
// retransmits the 2xx until the ACK comes, and gives up after 64·T1).
func (d *diag) ack2xx() {
	c := d.c
	for i := range c.Txs {
		tx := &c.Txs[i]
		if tx.Method != "INVITE" || tx.Final < 200 || tx.Final >= 300 {
			continue
		}
		var first, lastCopy *session.Message
		copies := 0
		for _, mi := range tx.Msgs {
			m := d.s.Msg(int(mi))
			if m.IsRequest() || m.Status < 200 || m.Status >= 300 {
				continue
			}
			if first == nil {
				first = m
			}
			if lastCopy == nil || m.TimeNs-lastCopy.TimeNs >= minGap {
				copies++
				lastCopy = m
			}
		}
		if first == nil || copies < 3 {
			continue // one retransmission is a lost packet, not a missing ACK
		}
		uas := first.Src()
		if d.forwarded(tx.CSeq, uas.Addr()) {
			continue // a proxy relaying the callee's 2xx: the hop nearer the callee says it
		}
		if d.ackReached(tx.CSeq, uas, first.TimeNs) {
			continue
		}
		d.add(d.fACK2xx(tx, first, lastCopy, copies))
		return // the hop nearest the callee says it; the others follow from it
	}
}

// forwarded reports whether addr sent an INVITE with that CSeq: it is a
// proxy (or B2BUA leg) on the path, not the callee.
func (d *diag) forwarded(cseq uint32, addr netip.Addr) bool {
	for _, m := range d.hops("INVITE", cseq) {
		if m.Src().Addr() == addr {
			return true
		}
	}
	return false
}

// ackReached reports whether an ACK with that CSeq reached addr after t.
func (d *diag) ackReached(cseq uint32, addr netip.AddrPort, t int64) bool {
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		if tx.Method != "ACK" || tx.CSeq != cseq {
			continue
		}
		for _, mi := range tx.Msgs {
			if m := d.s.Msg(int(mi)); m.TimeNs >= t && m.Dst().Addr() == addr.Addr() {
				return true
			}
		}
	}
	return false
}

// ackSent returns the first ACK with that CSeq the capture holds, from
// anyone to anyone: sent on another hop than the one that needed it.
func (d *diag) ackSent(cseq uint32) *session.Message {
	for _, m := range d.hops("ACK", cseq) {
		return m
	}
	return nil
}

func (d *diag) fACK2xx(tx *session.Transaction, first, lastCopy *session.Message, copies int) Finding {
	uas := first.Src()
	// The BYE the UAS sends when it gives up, about 32 s after its 2xx.
	var bye *session.Message
	for i := range d.c.Txs {
		t := &d.c.Txs[i]
		if t.Method != "BYE" || t.Request < 0 {
			continue
		}
		if m := d.s.Msg(int(t.Request)); m.Src().Addr() == uas.Addr() && m.TimeNs > first.TimeNs {
			bye = m
			break
		}
	}
	ack := d.ackSent(tx.CSeq)
	last := d.s.Last()
	sev := Error
	if bye == nil && last.TimeNs-first.TimeNs < timerB-giveUpSlack {
		sev = Warning // the capture ends before the UAS would give up
	}
	b := append(d.sc.buf[:0], d.statusText(first)...)
	b = append(b, " to INVITE from "...)
	b = uas.AppendTo(b)
	b = append(b, " sent "...)
	b = appendCount(b, copies, "time")
	b = append(b, " and never ACKed"...)
	switch {
	case ack != nil:
		b = append(b, "; the ACK went from "...)
		b = ack.Src().AppendTo(b)
		b = append(b, " to "...)
		b = ack.Dst().AppendTo(b)
		b = append(b, " and no further"...)
	default:
		b = append(b, "; the caller sent no ACK"...)
	}
	if bye != nil {
		b = append(b, "; BYE after "...)
		b = append(b, seconds(bye.TimeNs-first.TimeNs)...)
		if r := bye.RefusalHeader("reason"); r != "" {
			b = append(b, " (Reason: "...)
			b = append(b, r...)
			b = append(b, ')')
		}
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	expl := "The callee answered, and kept retransmitting its 2xx with doubling intervals because no ACK came back " +
		"(RFC 3261 §13.3.1.4); after 64·T1 (32 s) it gives up and hangs up: the classic call that drops after about 32 seconds. "
	if ack != nil {
		expl += "An ACK was sent, to " + ack.Dst().String() + ", but never reached " + uas.String() + ": the element that " +
			"received it did not forward it. The ACK of a 2xx follows the route set (Record-Route) to the 2xx's Contact: a proxy " +
			"that did not record-route, or one that cannot loose-route the ACK, or a Contact it cannot reach, loses it."
	} else {
		expl += "The caller sent none in the capture: it probably never received the 2xx (NAT or firewall on the way back, " +
			"a Via it cannot be reached on) or sent the ACK to the 2xx's Contact or Record-Route, which is an address it cannot " +
			"reach (a private address, or a name that does not resolve)."
	}
	if c := d.privateContact(first); c != "" {
		expl += " The 2xx's Contact is " + c + ", a private address: the ACK goes there and is lost, unless a proxy or the server rewrites it."
	}
	return Finding{Code: CodeACK2xxMissing, Severity: sev, Messages: d.idx(first, lastCopy, ack, bye), RFC: "RFC 3261 §13.3.1.4, §17.2.1",
		Summary: summary, Explanation: expl}
}

// appendCount appends "n word(s)".
func appendCount(b []byte, n int, word string) []byte {
	b = append(b, itoa(n)...)
	b = append(b, ' ')
	b = append(b, word...)
	if n != 1 {
		b = append(b, 's')
	}
	return b
}

// timerC is the longest a proxy lets an INVITE go unanswered (RFC 3261
// §16.6 step 11: more than 3 minutes): a longer "wait" is two clocks
// that disagree.
const timerC = 180e9

// slowSetupDefault is the post-dial delay past which a call's setup is
// slow: ITU-T E.721 gives a few seconds as the target for most calls.
const slowSetupDefault = 5e9

// slowSetup reports an initial INVITE whose first 18x or final came late,
// once per call, on the hop where the caller sent it (the earliest copy
// of that CSeq).
func (d *diag) slowSetup(as []*attempt) {
	limit := d.slowLimit()
	if d.said(CodeTransactionTimeout) {
		return // the request that was not answered is why it took long
	}
	for _, a := range as {
		if a.tx.Method != "INVITE" || a.req == nil || len(a.req.ToTag()) > 0 || d.earlierHop(a) { // lengths: no page is read
			continue
		}
		t0 := a.req.TimeNs
		var first *session.Message // first response above 100
		for _, mi := range a.tx.Msgs {
			if m := d.s.Msg(int(mi)); !m.IsRequest() && m.Status > 100 {
				first = m
				break
			}
		}
		cancel := d.cancelOf(a.tx.CSeq, a.req)
		if first != nil && first.TimeNs-t0 > timerC || a.req.Has(session.FlagNoTime) {
			return // clocks that disagree (a HEP agent's, a trace without times), not a wait
		}
		switch {
		case first != nil && first.TimeNs-t0 > limit && (cancel == nil || cancel.TimeNs > first.TimeNs):
			d.add(d.fSlowSetup(a, first, nil, first.TimeNs-t0))
		case cancel != nil && (first == nil || first.TimeNs > cancel.TimeNs) && cancel.TimeNs-t0 > limit:
			d.add(d.fSlowSetup(a, nil, cancel, cancel.TimeNs-t0))
		}
		return
	}
}

// slowLimit is the post-dial delay past which setup is slow.
func (d *diag) slowLimit() int64 {
	if d.opt.SlowSetup > 0 {
		return d.opt.SlowSetup
	}
	return slowSetupDefault
}

// earlierHop reports whether another INVITE with a's CSeq was sent
// before a's: a is a proxy's copy, and the caller's hop says it.
func (d *diag) earlierHop(a *attempt) bool {
	for tx, m := range d.hops("INVITE", a.tx.CSeq) {
		if tx != a.tx && m.TimeNs < a.req.TimeNs {
			return true
		}
	}
	return false
}

// cancelOf returns the first CANCEL of that CSeq that the INVITE's own
// client sent after it (RFC 3261 §9.1: the CANCEL goes where the INVITE
// went, from the same client).
func (d *diag) cancelOf(cseq uint32, invite *session.Message) *session.Message {
	for _, m := range d.hops("CANCEL", cseq) {
		if m.TimeNs >= invite.TimeNs && m.Src().Addr() == invite.Src().Addr() {
			return m
		}
	}
	return nil
}

func (d *diag) fSlowSetup(a *attempt, first, cancel *session.Message, wait int64) Finding {
	sev, end := Warning, first
	var b []byte
	switch {
	case cancel != nil:
		sev, end = Error, cancel
		b = append(d.sc.buf[:0], "the caller gave up after "...)
		b = append(b, seconds(wait)...)
		b = append(b, " with no ringing (CANCEL)"...)
	default:
		// Past the threshold a caller notices; past twice it, many hang
		// up (a mobile number through the PSTN often takes 5 to 6 s to
		// ring, ITU-T E.721 allows more for international calls).
		sev = Info
		if wait > 2*d.slowLimit() {
			sev = Warning
		}
		b = append(d.sc.buf[:0], d.statusText(first)...)
		b = append(b, " came "...)
		b = append(b, seconds(wait)...)
		b = append(b, " after the INVITE"...)
	}
	// Where the time went, as far as the capture shows it.
	var why []string
	if n, _ := d.copies(a.tx); n > 1 {
		why = append(why, "the INVITE was sent "+itoa(n)+" times (the first copies or their answers were lost)")
	}
	if h := d.unansweredHops(a, end.TimeNs); h != "" {
		why = append(why, h)
	} else if h, in, out := d.heldBy(a, end.TimeNs); h.IsValid() {
		why = append(why, h.String()+" held it for "+seconds(out-in)+d.heldOnDNS(h, in, out))
	}
	if len(why) > 0 {
		b = append(b, ": "...)
		b = append(b, strings.Join(why, "; ")...)
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	return Finding{Code: CodeSlowSetup, Severity: sev, Messages: d.idx(a.req, end), RFC: "RFC 3261 §13.3.1.1; ITU-T E.721",
		Summary: summary,
		Explanation: "Post-dial delay is the time from the INVITE to the first sign of the callee (180/183 ringing or a final " +
			"response). Past a few seconds callers hang up. The time goes to retransmissions (loss: see the copies), to DNS " +
			"lookups by a proxy (NAPTR, SRV, then A, each timing out when a server does not answer), to a proxy that tries " +
			"destinations one after another (serial forking, a failover after its own timer), or to a callee slow to ring. " +
			"The messages of each hop, in order, show which one held the request."}
}

// unansweredHops says which forwarded copies of a's INVITE (other
// transactions of its CSeq, sent before until) got no response at all:
// a proxy trying destinations that are down, one after another.
func (d *diag) unansweredHops(a *attempt, until int64) string {
	type try struct {
		from, to netip.Addr
		n        int
	}
	var tries []try
	for tx, m := range d.hops("INVITE", a.tx.CSeq) {
		if tx == a.tx || len(tx.Response) > 0 || m.TimeNs > until {
			continue
		}
		n, _ := d.copies(tx)
		found := false
		for j := range tries {
			if tries[j].from == m.Src().Addr() && tries[j].to == m.Dst().Addr() {
				tries[j].n += n
				found = true
			}
		}
		if !found {
			tries = append(tries, try{m.Src().Addr(), m.Dst().Addr(), n})
		}
	}
	var parts []string
	for _, t := range tries {
		parts = append(parts, t.from.String()+" sent it to "+t.to.String()+" "+itoa(t.n)+" times with no answer")
	}
	return strings.Join(parts, "; ")
}

// heldBy names the element that kept the INVITE longest before sending
// it on, among the hops the capture holds, and for how long; "" when
// there is one hop or none held it a second.
func (d *diag) heldBy(a *attempt, until int64) (host netip.Addr, in, out int64) {
	held := int64(1e9)
	for tx, o := range d.hops("INVITE", a.tx.CSeq) {
		if tx == a.tx {
			continue
		}
		// It arrived at o's sender when a copy of the INVITE was sent
		// to it: the latest such before o left.
		var i *session.Message
		for _, m := range d.hops("INVITE", a.tx.CSeq) {
			if m.Dst().Addr() == o.Src().Addr() && m.TimeNs <= o.TimeNs && (i == nil || m.TimeNs > i.TimeNs) {
				i = m
			}
		}
		if i != nil && o.TimeNs-i.TimeNs > held && o.TimeNs <= until {
			host, in, out, held = o.Src().Addr(), i.TimeNs, o.TimeNs, o.TimeNs-i.TimeNs
		}
	}
	return host, in, out
}

// heldOnDNS says what host looked up in DNS while it held the INVITE
// (RFC 3263 §4: a proxy resolves the next hop before it forwards), when
// the lookups took a second or more: " while it looked up SRV
// _sip._udp.example.com (no answer), …".
func (d *diag) heldOnDNS(host netip.Addr, in, out int64) string {
	qs := lookups(d.s.DNSLog(), host, in, out)
	if len(qs) == 0 || out-qs[0].at < 1e9 {
		return ""
	}
	var what []string
	for _, q := range qs {
		w := q.what
		if !q.ok {
			w += " (" + q.why + ")"
		}
		what = appendOnce(what, w)
	}
	return " while it looked up " + strings.Join(what, ", ") + " in DNS"
}
