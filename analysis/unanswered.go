package analysis

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// The challenge no retry answers in its chain: "the answer is not in
// the capture" is not "never answered".

// unanswered reports a challenge that no retry in its chain answers. It
// stays silent where the client was right to stop, and says "not in
// the capture" where the capture cannot tell.
//
// before are the realms challenged earlier in the chain: a challenge
// from one of them, to an answer without its credentials, is what
// credentials-dropped says.
func (d *diag) unanswered(a *attempt, before []string) {
	switch {
	case len(a.creds) > 0 && answeredAll(a, before):
		// The challenge refused an answer: credentials-rejected (or
		// stale-nonce, or credentials-dropped) says so, and a client
		// that stops then is right.
		return
	case d.relayed(a):
		return // a proxy's leg: it passed the challenge on to its client
	case d.opt.StopsAfterRejection && len(a.creds) > 0:
		return
	case a.req == nil:
		d.add(d.fNotCaptured(a, "the request itself is not in the capture, only the challenge: the retry may be missing too"))
		return
	case d.algorithmsUnanswered(a), d.answeredElsewhere(a), d.retriedElsewhere(a):
		return
	}
	if why := d.wentSilent(a); why != "" {
		d.add(d.fNotCaptured(a, why))
		return
	}
	d.add(d.fNoCredentials(a, false))
}

// wentOn reports whether the client of a sent another request in the
// call after the challenge (its ACK aside).
func (d *diag) wentOn(a *attempt) bool {
	return d.index().laterRequest(a.req.Src().Addr(), a.final.Seq, a.tx.Msgs)
}

// answeredAll reports whether a's credentials answered every realm its
// challenge names, or left out one challenged before (before): the
// challenge is then a refusal of that answer.
func answeredAll(a *attempt, before []string) bool {
	for _, r := range a.realms {
		if a.credFor(r) == nil && !contains(before, r) {
			return false
		}
	}
	return true
}

// relayed reports whether the element that sent a's request passed the
// challenge on: it sent a response of the same status to the same CSeq
// itself, after it got this one. That is a proxy's leg; the answer is
// its client's to give.
func (d *diag) relayed(a *attempt) bool {
	if a.req == nil {
		return false
	}
	last, ok := d.index().resps[respKey{a.req.Src(), a.final.Status, a.final.CSeq}]
	return ok && last > a.final.Seq
}

// refused reports whether the element refused r's credentials: a new
// challenge, a 403, or a 404 to REGISTER.
func refused(r *attempt) bool { return r.final != nil && refusal(r.tx) }

// ifFailed is the severity of a check on credentials: a warning where
// it may explain a refusal, info where the server accepted them.
func ifFailed(failed bool) Severity {
	if failed {
		return Warning
	}
	return Info
}

// answeredElsewhere finds the answer to a in another chain of the call:
// the retry went to another hop (an IMS UE sends it inside IPsec to the
// P-CSCF, 3GPP TS 33.203 §7; a client fails over to another proxy), or
// only its 2xx was captured. A 2xx to the same method and address of
// record with a higher CSeq, within the retry window, shows that the
// answer was sent and accepted.
func (d *diag) answeredElsewhere(a *attempt) bool {
	for _, b := range d.index().oks {
		if b == a || b.tx.Method != a.tx.Method || b.tx.CSeq < a.tx.CSeq || !sameAOR(d.c, a, b) {
			continue
		}
		b.end(d.s)
		if b.final == nil || b.final.TimeNs < a.final.TimeNs || b.final.TimeNs-a.final.TimeNs > retryWindow {
			continue
		}
		d.add(d.fAcceptedElsewhere(a, b))
		return true
	}
	return false
}

// wentSilent says why the capture cannot show an answer when the client
// sent nothing more in the call: the capture ends within the retry
// window, or the client's own request was the last it sent. It returns
// "" when the client stayed active in the call (then it chose not to
// answer) or the capture runs on long enough that an answer would show.
func (d *diag) wentSilent(a *attempt) string {
	client := a.req.Src().Addr()
	if d.wentOn(a) {
		return "" // the client went on in this call without answering
	}
	last := d.s.Last()
	if last == nil {
		return ""
	}
	end := last.TimeNs
	left := max(end-a.final.TimeNs, 0)
	if w := d.dnsWait(client, a.final.TimeNs, end); w != "" && left < retryWindow {
		return "the capture ends " + seconds(left) + " after the challenge while the client is still busy (" + w + ")"
	}
	if left < silentFor {
		return "the capture ends " + seconds(left) + " after the challenge, before an answer could be seen"
	}
	return ""
}

// silentFor is how long a client may say nothing after a challenge
// before the capture shows it did not answer: a UA answers in
// milliseconds, unless it waits on DNS (see dnsWait).
const silentFor = 2e9

// retriedElsewhere looks for the retry in another call: some UAs start
// a new Call-ID for it. The calls are in order of their start. A
// REGISTER retry must be for the same address of record. At most
// maxElsewhere calls are looked at: a scanner's thousands of calls a
// second must not make this quadratic.
func (d *diag) retriedElsewhere(a *attempt) bool {
	if a.req == nil {
		return false
	}
	calls := d.s.Calls()
	t := a.final.TimeNs
	i := sort.Search(len(calls), func(i int) bool { return calls[i].Start >= t })
	for end := min(len(calls), i+maxElsewhere); i < end && calls[i].Start <= t+retryWindow; i++ {
		c := calls[i]
		if c == d.c || len(c.Msgs) == 0 {
			continue
		}
		m := d.s.Msg(int(c.Msgs[0]))
		if !m.IsRequest() || m.Method() != a.tx.Method || m.Flags&(session.FlagAuthorization|session.FlagProxyAuthorization) == 0 {
			continue
		}
		if a.tx.Method == "REGISTER" {
			if sameAORs(toOf(c, m), toOf(d.c, a.req)) {
				return true
			}
		} else if c.From == d.c.From {
			return true
		}
	}
	return false
}

// maxElsewhere bounds the calls retriedElsewhere looks at.
const maxElsewhere = 64

func (d *diag) fNotCaptured(a *attempt, why string) Finding {
	_, _, answer := who(a.final.Status)
	return Finding{Code: CodeAnswerNotCaptured, Severity: Info, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §22.2, §22.3",
		Summary: d.concat(a.tx.Method, " challenged (", d.statusText(a.final), "); no answer in the capture: ", why),
		Explanation: d.concat("The capture holds no retry with ", answer, " for this challenge, but it cannot say that none was sent: ", why,
			". Capture longer, on the interface the client uses, or on both sides of the element, before concluding that the client never answered.")}
}

func (d *diag) fAcceptedElsewhere(a, b *attempt) Finding {
	where := "its retry is not in the capture"
	if b.req != nil && b.leg != a.leg {
		where = "its retry went to " + b.req.Dst().String() + " (another hop than the challenge's " + a.req.Dst().String() + ")"
	} else if b.req != nil {
		where = "its retry is in another transaction of the call"
	}
	return Finding{Code: CodeAuthAccepted, Severity: Info, Messages: d.idx(a.final, b.req, b.final), RFC: "RFC 3261 §22.2, §22.3",
		Summary: d.concat(a.tx.Method, " accepted: ", where, ", and ", d.statusText(b.final), " to CSeq ", itoa(int(b.tx.CSeq)), " shows it succeeded"),
		Explanation: "The challenge was answered where this capture does not show it (an IMS UE answers inside the IPsec " +
			"security association it sets up from the 401, 3GPP TS 33.203 §7; a client may fail over to another proxy), " +
			"and the same Call-ID's later 2xx shows that the answer was accepted. Nothing to fix."}
}

func (d *diag) fNoCredentials(a *attempt, retried bool) Finding {
	_, hdr, answer := who(a.final.Status)
	msgs := d.idx(a.req, a.final)
	what := "the client never answered it: it went on in the call without a retry with " + answer
	switch {
	case retried:
		what = "the request was repeated without " + answer
	case !d.wentOn(a):
		if last := d.s.Last(); last != nil {
			what = "the client never answered it: no retry with " + answer + " in the " +
				seconds(last.TimeNs-a.final.TimeNs) + " the capture goes on after it"
		}
	}
	for _, ch := range a.challenges {
		if ch.Realm == "" && digestLike(&ch) {
			what += " (the challenge names no realm)"
			break
		}
	}
	expl := "The " + hdr + " challenge asks the client to repeat the request with " + answer + ". It did not, although it " +
		"was still active: the UA has no credentials configured for realm " + quoteList(a.realms) + ", does not support this " +
		"kind of challenge, or gave up."
	if a.final.Status == 407 {
		// Asterisk res_pjsip: outbound_auth on the endpoint names the auth
		// object used to answer challenges to requests it sends
		// (https://docs.asterisk.org/Asterisk_22_Documentation/API_Documentation/Module_Configuration/res_pjsip/).
		expl += " A 407 comes from a proxy: some UAs answer only 401s, or only for REGISTER. On Asterisk PJSIP the endpoint " +
			"needs outbound_auth= naming an auth section (type=auth, auth_type=userpass) to answer challenges to INVITE."
	}
	sev := Error
	if d.authIntSaid && authIntOnly(a) {
		// The challenge offered only auth-int, which many clients cannot
		// do (RFC 7616 §3.3): the auth-int-only finding names the cause
		// and carries the error; this is how it showed.
		sev = Info
		what += ", as a client without auth-int does (see auth-int-only)"
	}
	return Finding{Code: CodeNoCredentialsSent, Severity: sev, Messages: msgs, RFC: "RFC 3261 §22.2, §22.3",
		Summary: d.concat(a.tx.Method, " challenged (", d.statusText(a.final), ") but ", what), Explanation: expl}
}

// dnsWait says what DNS the client was waiting on between two times: its
// queries in the capture, and how many went unanswered. "" when it sent
// none.
func (d *diag) dnsWait(client netip.Addr, from, to int64) string {
	log := d.s.DNSLog()
	i := sort.Search(len(log), func(i int) bool { return log[i].Time.UnixNano() >= from })
	var unanswered, answered []string
	// A client's lookups before an answer are a handful; maxDNSLook bounds
	// the scan where a capture is full of DNS.
	for end := min(len(log), i+maxDNSLook); i < end && log[i].Time.UnixNano() <= to; i++ {
		q := &log[i]
		if q.Response || q.Src.Addr() != client {
			continue
		}
		what := q.TypeName() + " " + q.Name
		if answeredDNS(log[i+1:], q, to) {
			answered = appendOnce(answered, what)
		} else {
			unanswered = appendOnce(unanswered, what)
		}
	}
	switch {
	case len(unanswered) > 0:
		return "it was waiting on DNS: queries for " + strings.Join(unanswered, ", ") + " got no answer"
	case len(answered) > 0:
		return "it was looking up " + strings.Join(answered, ", ") + " in DNS"
	}
	return ""
}

// maxDNSLook bounds the DNS messages dnsWait reads for one challenge.
const maxDNSLook = 256

// answeredDNS reports whether a response to q comes in rest before to:
// the same ID, from the server q was sent to, with an answer.
func answeredDNS(rest []session.DNS, q *session.DNS, to int64) bool {
	for i := range rest[:min(len(rest), maxDNSLook)] {
		r := &rest[i]
		if r.Time.UnixNano() > to {
			return false
		}
		if r.Response && r.ID == q.ID && r.Src == q.Dst && r.Answers > 0 {
			return true
		}
	}
	return false
}

func appendOnce(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}
