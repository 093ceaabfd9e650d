package analysis

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/sipdbg/sipdbg/session"
)

// This file words what the path did to the messages: requests too big
// for UDP, and copies that had to be sent again.

// udpLimit is RFC 3261 §18.1.1's bound for a request over UDP when the
// path MTU is not known: 1300 bytes (the MTU of 1500 less 200).
const udpLimit = 1300

// transport reports the call's oversized UDP requests and its
// retransmissions.
func (d *diag) transport(as []*attempt) {
	for _, a := range as {
		if a.req == nil || a.req.Transport != session.UDP || len(a.req.Raw()) <= udpLimit {
			continue
		}
		d.add(d.fTooLarge(a))
		break // the first says it; the others are alike
	}
	if d.c.Retrans > 0 {
		if f, ok := d.fRetransmissions(); ok {
			d.add(f)
		}
	}
}

func (d *diag) fTooLarge(a *attempt) Finding {
	n := len(a.req.Raw())
	// In IP fragments and answered: it got through here, but a single
	// lost fragment loses the whole request, a risk. Unanswered until
	// timer B: the likely cause. In one packet (the path's MTU is larger
	// than 1300 bytes here), or unanswered in a capture that ends first:
	// worth knowing, no more.
	fragmented := a.req.Has(session.FlagFragmented)
	sev, how := Info, "the capture holds it in one packet (this path's MTU is larger)"
	if a.req.Has(session.FlagHEP) {
		how = "it came by HEP, which does not tell whether it went in fragments"
	}
	switch _, _, lost := d.timedOut(a); {
	case lost:
		sev, how = Error, "it was never answered: a lost IP fragment is the likely cause"
	case a.tx.Final == 0 && len(a.tx.Response) == 0:
		how = "no response in the capture"
	case fragmented:
		sev, how = Warning, "it went in IP fragments and got through here, but one lost fragment loses it all"
	}
	summary := d.concat(a.tx.Method, " of ", itoa(n), " bytes sent over UDP to ", a.req.Dst().String(), " (more than 1300): ", how)
	return Finding{Code: CodeUDPTooLarge, Severity: sev, Messages: d.idx(a.req), RFC: "RFC 3261 §18.1.1",
		Summary: summary,
		Explanation: "A SIP request over UDP within 200 bytes of the path MTU, or larger than 1300 bytes when the MTU is not " +
			"known, must go over a congestion-controlled transport such as TCP (RFC 3261 §18.1.1). Over UDP it leaves as IP " +
			"fragments, and NATs, firewalls and some routers drop fragments: the request (big SDP with ICE candidates, many " +
			"codecs, long Via and Record-Route sets) silently never arrives. Use TCP or TLS for this peer, or trim the message " +
			"(fewer codecs, no unused ICE candidates, compact headers)."}
}

// hop is a direction of retransmitted messages: who sent the copies to
// whom, and what.
type hop struct {
	src, dst netip.AddrPort
	what     string
	cseq     uint32
	copies   int   // retransmissions, the first copy not counted
	first    int32 // the first message
	last     int64 // time of the latest copy
}

// minGap is how far apart two copies of a message must be to be a
// retransmission: a capture that sees a packet twice (two interfaces, a
// bridge and its port) has them microseconds apart, and no stack
// retransmits sooner than a few tens of milliseconds (T1 is 500 ms).
const minGap = 50e6

// fRetransmissions sums the call's retransmitted requests by hop. The
// copies of responses are left out: a final response to INVITE is sent
// again for want of its ACK (ack-missing and ack-2xx-missing say so),
// any other response because its request was, which is counted. So are
// the copies of a request nothing answered, which transaction-timeout
// words.
func (d *diag) fRetransmissions() (Finding, bool) {
	if d.said(CodeTransactionTimeout) {
		return Finding{}, false
	}
	var buf [8]hop // a call's hops fit: no allocation for the usual call
	hops := buf[:0]
	total := 0
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		for _, mi := range tx.Msgs {
			m := d.s.Msg(int(mi))
			if !isCopyOf(m, tx) {
				continue
			}
			var h *hop
			for j := range hops {
				if o := &hops[j]; o.src == m.Src() && o.dst == m.Dst() && o.what == tx.Method && o.cseq == tx.CSeq {
					h = o
					break
				}
			}
			switch {
			case h == nil:
				hops = append(hops, hop{src: m.Src(), dst: m.Dst(), what: tx.Method, cseq: tx.CSeq, first: m.Seq, last: m.TimeNs})
			case m.Has(session.FlagRetransmission) && m.TimeNs-h.last >= minGap:
				h.copies++
				h.last = m.TimeNs
				total++
			}
		}
	}
	if total == 0 {
		return Finding{}, false
	}
	hops = slices.DeleteFunc(hops, func(h hop) bool { return h.copies == 0 })
	b := append(d.sc.buf[:0], itoa(total)...)
	b = append(b, " retransmission"...)
	if total != 1 {
		b = append(b, 's')
	}
	b = append(b, ": "...)
	var first [3]*session.Message
	msgs := first[:0]
	for i, h := range hops {
		if i == 3 {
			b = append(b, "; …"...)
			break
		}
		if i > 0 {
			b = append(b, "; "...)
		}
		b = append(b, h.what...)
		b = append(b, ' ')
		b = h.src.AppendTo(b)
		b = append(b, " → "...)
		b = h.dst.AppendTo(b)
		b = append(b, " sent "...)
		b = strconv.AppendInt(b, int64(h.copies+1), 10)
		b = append(b, " times"...)
		msgs = append(msgs, d.s.Msg(int(h.first)))
	}
	d.sc.buf = b
	return Finding{Code: CodeRetransmissions, Severity: Info, Messages: d.idx(msgs...), RFC: "RFC 3261 §17.1.1.2, §17.1.2.2",
		Summary: d.sc.text(b),
		Explanation: "Over UDP a request is sent again, at doubling intervals from T1 (500 ms), until a response comes; a 2xx to " +
			"INVITE is sent again until its ACK comes. Copies mean the first was lost, or its answer was, on the hop shown " +
			"(source → destination), or that the answer was slow. A few are normal on a lossy path; many on one hop point at " +
			"that link, a firewall, or an element that is overloaded."}, true
}
