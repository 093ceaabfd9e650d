package analysis

import (
	"slices"
	"strconv"
	"strings"
)

// This file words failures that are not authentication: a call or a
// registration refused further on. The finer causes (codecs, NAT,
// timeouts) are the catalogue's next codes; this one says who refused
// and what they gave as the reason.

// failures reports each INVITE or REGISTER refused with a final 4xx–6xx
// that the authentication findings do not already explain.
func (d *diag) failures(as []*attempt) {
	var hops relays // made at the first refusal: most calls have none
	for _, a := range as {
		sev, ok := rejectionWeight(a.tx.Method, a.tx.Final)
		if !ok || a.tx.Method == "INVITE" && coveredByCodec(a.tx.Final) || coveredByDialog(a.tx.Method, a.tx.Final) ||
			a.tx.Final == 408 && d.said(CodeTransactionTimeout) {
			continue // a finding of its own says it
		}
		a.end(d.s)
		if a.final == nil || (len(a.creds) > 0 && refused(a)) {
			continue // forbidden-after-auth or a re-challenge says it
		}
		if hops.d == nil {
			hops = newRelays(d, as)
		}
		if hops.downstream(a) != nil {
			continue // a proxy relaying the refusal of the element behind it: that element's finding cites this hop
		}
		up := hops.upstreamFinal(a)
		if up != nil && up.Status >= 200 && up.Status < 300 {
			continue // a branch that lost to another's answer (RFC 3261 §16.7): the call went through
		}
		f := d.fRejectedCall(a)
		f.Severity = sev
		if up != nil {
			// The proxy forwarded another branch's refusal: that one is
			// the call's failure, this one its context.
			f.Severity = Info
			f.Summary = d.concat(f.Summary, " (one branch; the caller got ", d.statusText(up), " from another)")
			f.Messages = append(slices.Clone(f.Messages), up.Seq)
			slices.Sort(f.Messages)
		}
		if up := hops.upstream(a); len(up) > 0 {
			f.Messages = append(slices.Clone(f.Messages), up...)
			slices.Sort(f.Messages)
		}
		d.add(f)
	}
}

// rejectionWeight says whether a refusal of method is worth a finding,
// and its severity. A refused INVITE, REGISTER, REFER or MESSAGE is the
// failure of what the user did (a call, a registration, a transfer, a
// message): an error. A refused BYE, UPDATE, PRACK or INFO is a step of
// a call that failed while the call goes on: a warning. A refused
// SUBSCRIBE or PUBLISH is a feature the server does not offer this
// client (a mailbox that does not exist, an event package it does not
// know: RFC 6665 §8.3.2's 489), which many deployments refuse by design
// while everything else works: info, so that the call has its verdict
// without an alarm; but a SUBSCRIBE refresh refused 481 lost a
// subscription that worked: a warning. OPTIONS (a probe, answered to prove liveness whatever
// its status), NOTIFY and ACK are left out, as CANCEL is.
func rejectionWeight(method string, status uint16) (Severity, bool) {
	if !rejection(status) {
		return Info, false
	}
	switch method {
	case "INVITE", "REGISTER", "REFER", "MESSAGE":
		return Error, true
	case "BYE", "UPDATE", "PRACK", "INFO":
		return Warning, true
	case "SUBSCRIBE", "PUBLISH":
		if method == "SUBSCRIBE" && status == 481 {
			return Warning, true // a refresh refused: the subscription is gone (RFC 6665 §4.1.2.2), its notifications stop
		}
		return Info, true
	}
	return Info, false
}

// said reports whether a finding of that code was made for the call.
func (d *diag) said(code Code) bool {
	for i := range d.sc.out {
		if d.sc.out[i].Code == code {
			return true
		}
	}
	return false
}

// rejection reports a final status that refuses the request: 4xx–6xx
// but the challenges (judged as such), 487 (the caller cancelled, RFC
// 3261 §9.1) and 491 (request pending: glare, retried by design, §14.1).
func rejection(status uint16) bool {
	return status >= 400 && status != 401 && status != 407 && status != 487 && status != 491
}

func (d *diag) fRejectedCall(a *attempt) Finding {
	f := a.final
	b := append(d.sc.buf[:0], a.tx.Method...)
	b = append(b, " rejected with "...)
	b = append(b, d.statusText(f)...)
	b = append(b, " by "...)
	b = f.Src().AppendTo(b)
	if agent := softwareOf(f); agent != "" {
		b = append(b, " ("...)
		b = append(b, agent...)
		b = append(b, ')')
	}
	for _, h := range [...][2]string{{"reason", "Reason"}, {"warning", "Warning"}, {"retry-after", "Retry-After"}} {
		if v := f.RefusalHeader(h[0]); v != "" {
			b = append(b, "; "...)
			b = append(b, h[1]...)
			b = append(b, ": "...)
			b = append(b, v...)
			if h[0] == "reason" {
				if name := q850Name(v); name != "" {
					b = append(b, " ("...)
					b = append(b, name...)
					b = append(b, ')')
				}
			}
		}
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	var parts [4]string
	return Finding{Code: CodeCallRejected, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §21; RFC 3326 (Reason); RFC 3261 §20.43 (Warning)",
		Summary:     summary,
		Explanation: d.concat(rejectionExplanation(a.tx.Method, f.Status, parts[:0])...)}
}

// rejectionExplanation says who refused, what the status means, and
// for a SUBSCRIBE or PUBLISH that the phone works otherwise, in parts
// appended to e (the caller joins them through its text cache).
func rejectionExplanation(method string, status uint16, e []string) []string {
	meaning := statusMeaning(status)
	if meaning == "" {
		meaning = "The status class says where to look: 4xx a problem with the request or the callee, 5xx a server failure, " +
			"6xx a callee that declines everywhere."
	}
	e = append(e, "The request got through authentication (or needed none) and was refused by the element named. ", meaning)
	if method == "SUBSCRIBE" || method == "PUBLISH" {
		e = append(e, " A refused SUBSCRIBE or PUBLISH is a feature the server does not offer to this client (489: no such event "+
			"package; 404: no such mailbox or user): the phone works otherwise, so turn the feature off on the phone or "+
			"set it up on the server.")
	}
	return append(e, " A Reason header (a Q.850 cause) and a Warning header, when present, give the element's own words.")
}

// q850 names the ISDN cause values of ITU-T Q.850 (Table 1) that SIP
// elements put in a Reason header (RFC 3326: Reason: Q.850;cause=17).
var q850 = map[int]string{
	1: "unallocated number", 2: "no route to the transit network", 3: "no route to destination", 16: "normal call clearing",
	17: "user busy", 18: "no user responding", 19: "no answer from user (alerted)", 20: "subscriber absent",
	21: "call rejected", 22: "number changed", 27: "destination out of order", 28: "invalid number format",
	29: "facility rejected", 31: "normal, unspecified", 34: "no circuit or channel available", 38: "network out of order",
	41: "temporary failure", 42: "switching equipment congestion", 44: "requested channel not available",
	47: "resource unavailable", 50: "requested facility not subscribed", 55: "incoming calls barred within CUG",
	57: "bearer capability not authorized", 58: "bearer capability not presently available",
	63: "service or option not available", 65: "bearer capability not implemented", 69: "requested facility not implemented",
	79: "service or option not implemented", 88: "incompatible destination", 102: "recovery on timer expiry",
	111: "protocol error", 127: "interworking, unspecified",
}

// q850Name returns the Q.850 cause's name when a Reason value is a Q.850
// one without a text of its own (RFC 3326 §2), else "".
func q850Name(reason string) string {
	proto, params, _ := strings.Cut(reason, ";")
	if !strings.EqualFold(strings.TrimSpace(proto), "q.850") || strings.Contains(strings.ToLower(params), "text=") {
		return ""
	}
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "cause") {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				if name, ok := q850[n]; ok {
					return "Q.850 " + name
				}
			}
		}
	}
	return ""
}
