package analysis

import (
	"github.com/sipdbg/sipdbg/session"
)

// This file words finals that say the request went wrong in the network
// of dialogs and routes rather than at the callee: 481 (no such dialog),
// 482/483 (a loop, too many hops) and 423 (an expiry too short).

// dialogs reports those finals.
func (d *diag) dialogs(as []*attempt) {
	for i, a := range as {
		if a.req != nil && !innermost(as, a) {
			continue // a proxy relaying the refusal: the hop nearer its maker says it
		}
		switch f := a.tx.Final; {
		case f == 481 && in481Scope(a.tx.Method):
			a.end(d.s)
			if a.final != nil && a.req != nil && len(a.req.ToTag()) > 0 {
				d.add(d.f481(a))
			}
		case f == 482 || f == 483:
			a.end(d.s)
			if a.final != nil {
				d.add(d.fHops(a))
			}
		case f == 423:
			a.end(d.s)
			if a.final != nil {
				d.add(d.f423(a, as[i+1:]))
			}
		}
	}
}

// in481Scope: the methods whose 481 breaks the call. A CANCEL that
// crosses the final response, and a NOTIFY after the subscription ended,
// get a 481 by design (RFC 3261 §9.2; RFC 6665 §4.1.3).
func in481Scope(method string) bool {
	switch method {
	case "CANCEL", "NOTIFY", "SUBSCRIBE":
		return false
	}
	return true
}

// coveredByDialog reports whether a final of method is one dialogs words.
func coveredByDialog(method string, status uint16) bool {
	return status == 481 && in481Scope(method) || status == 482 || status == 483 || status == 423
}

func (d *diag) f481(a *attempt) Finding {
	req := a.req
	summary := d.concat(a.tx.Method, " refused with ", d.statusText(a.final), " by ", a.final.Src().String())
	expl := "The " + a.tx.Method + " names a dialog (Call-ID, From tag, To tag: RFC 3261 §12) that " + a.final.Src().String() +
		" does not know. "
	known := false
	for _, dl := range d.c.Dialogs {
		if dl.ToTag == "" || dl.First >= req.Seq {
			continue // a dialog the capture saw only from this request on was not set up in it
		}
		if (dl.FromTag == req.FromTag() && dl.ToTag == req.ToTag()) || (dl.FromTag == req.ToTag() && dl.ToTag == req.FromTag()) {
			known = true
		}
	}
	switch {
	case known:
		expl += "The capture shows that dialog set up, so the far end forgot it: it restarted, already ended the call (a BYE " +
			"that crossed this request, a timeout after a missing ACK), or a B2BUA in the path holds its own dialog with other tags. "
	default:
		expl += "No dialog with these tags is set up in the capture: the request was built from another dialog's tags (a " +
			"B2BUA that changed them, a client that mixed up two calls), or the dialog began before the capture. "
	}
	expl += "Compare the request's Call-ID, From tag and To tag with the 2xx that set the dialog up on the same hop."
	return Finding{Code: CodeDialogMismatch, Severity: Error, Messages: d.idx(req, a.final), RFC: "RFC 3261 §12.2.2, §15.1.2",
		Summary: summary, Explanation: expl}
}

func (d *diag) fHops(a *attempt) Finding {
	summary := d.concat(a.tx.Method, " refused with ", d.statusText(a.final), " by ", a.final.Src().String())
	expl := "The request went round: "
	if a.final.Status == 482 {
		expl += "an element found its own Via in it again (482 Loop Detected, RFC 3261 §16.3 step 4): two proxies or a " +
			"proxy and a PBX route it to each other. "
	} else {
		expl += "its Max-Forwards (70 at the start, RFC 3261 §8.1.1.6) fell to 0 on the way (483 Too Many Hops, §16.6 step 3): " +
			"a routing loop between elements that each decrement it, or a client that starts it too low. "
	}
	expl += "Follow the Via headers of the last copy: the same addresses repeated show the loop. Fix the route that sends " +
		"the request back (a default route pointing at the peer, a dial plan that forwards to itself)."
	return Finding{Code: CodeLoopOrHops, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §16.3, §16.6; RFC 5393",
		Summary: summary, Explanation: expl}
}

// f423 words a 423 and what the client's next attempt of the method got
// (RFC 3261 §10.2.8: it must retry with at least Min-Expires).
func (d *diag) f423(a *attempt, later []*attempt) Finding {
	min := a.final.RefusalHeader("min-expires")
	var retry *attempt
	for _, r := range later {
		if r.tx.Method == a.tx.Method && r.req != nil && r.tx.CSeq > a.tx.CSeq {
			retry = r
			break
		}
	}
	summary := d.concat(a.tx.Method, " refused: ", d.statusText(a.final))
	if min != "" {
		summary = d.concat(summary, ", Min-Expires ", min)
	}
	sev := Error
	msgs := []*session.Message{a.req, a.final}
	switch {
	case retry == nil:
		summary += "; no retry"
	default:
		retry.end(d.s)
		msgs = append(msgs, retry.req, retry.final)
		switch f := retry.tx.Final; {
		case f >= 200 && f < 300:
			sev = Info
			summary = d.concat(summary, "; the retry with a longer expiry was accepted (", d.statusText(retry.final), ")")
		case f == 423:
			summary += "; the retry was refused the same way"
		case f == 0:
			summary += "; the retry got no final response"
		default:
			summary = d.concat(summary, "; the retry got ", d.statusText(retry.final))
		}
	}
	return Finding{Code: CodeIntervalTooBrief, Severity: sev, Messages: d.idx(msgs...), RFC: "RFC 3261 §10.2.8, §10.3 step 7",
		Summary: summary,
		Explanation: "The registrar refuses registrations shorter than its minimum and says the minimum in Min-Expires; the client " +
			"must retry with an expiry at least that long (RFC 3261 §10.2.8). A client that retries with the same value loops; " +
			"one that does not retry stays unregistered. Set the client's registration expiry (or re-register interval) to at least " +
			"Min-Expires, or lower the registrar's minimum."}
}
