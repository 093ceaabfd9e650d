package analysis

// This file words failures that are not authentication: a call or a
// registration refused further on. The finer causes (codecs, NAT,
// timeouts) are the catalogue's next codes; this one says who refused
// and what they gave as the reason.

// failures reports each INVITE or REGISTER refused with a final 4xx–6xx
// that the authentication findings do not already explain.
func (d *diag) failures(as []*attempt) {
	for _, a := range as {
		if (a.tx.Method != "INVITE" && a.tx.Method != "REGISTER") || !rejection(a.tx.Final) ||
			coveredByCodec(a.tx.Final) || coveredByDialog(a.tx.Method, a.tx.Final) || a.tx.Final == 408 && d.said(CodeTransactionTimeout) {
			continue // a finding of its own says it
		}
		a.end(d.s)
		if a.final == nil || (len(a.creds) > 0 && refused(a)) {
			continue // forbidden-after-auth or a re-challenge says it
		}
		d.add(d.fRejectedCall(a))
	}
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
	agent := f.RefusalHeader("server")
	if agent == "" {
		agent = f.RefusalHeader("user-agent")
	}
	if agent != "" {
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
		}
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	return Finding{Code: CodeCallRejected, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §21; RFC 3326 (Reason); RFC 3261 §20.43 (Warning)",
		Summary: summary,
		Explanation: "The request got through authentication (or needed none) and was refused by the element named. The status " +
			"class says where to look: 4xx a problem with the request or the callee (404 unknown user, 480 not registered or " +
			"not answering, 486 busy, 488 no common codec), 5xx a server failure (503 overloaded or no route), 6xx a callee " +
			"that declines everywhere. A Reason header with a Q.850 cause and a Warning header give the element's own words."}
}
