package analysis

import "strings"

// Challenges a client cannot answer, or a server cannot check: a qop of
// auth-int alone, and several algorithms none of which the client took.

// authIntOnly reports whether a realm of a's challenge offers qop
// auth-int and nothing else (RFC 7616 §3.3).
func authIntOnly(a *attempt) bool {
	for _, realm := range a.realms {
		only := true
		for i := range a.challenges {
			c := &a.challenges[i]
			if c.Realm != realm || !digestLike(c) {
				continue
			}
			q := c.QopOptions()
			only = only && len(q) == 1 && q[0] == "auth-int"
		}
		if only {
			return true
		}
	}
	return false
}

// fAuthIntOnly reports a challenge that offers only auth-int; rest are
// the attempts of the chain after it. It is an error when the chain
// never gets through, a warning (a risk) when it does.
func (d *diag) fAuthIntOnly(a *attempt, rest []*attempt) Finding {
	sev, outcome := Error, "and the request never got through"
	for _, b := range rest {
		if b.tx.Final >= 200 && b.tx.Final < 300 {
			sev, outcome = Warning, "; this client and server managed it"
		}
	}
	// Kamailio auth module: the challenge functions' flags, 1 adds
	// qop="auth", 2 qop="auth-int" (kamailio.org/docs/modules/5.6.x/modules/auth.html).
	return Finding{Code: CodeAuthIntOnly, Severity: sev, Messages: d.idx(a.final), RFC: "RFC 7616 §3.3; RFC 2617 §3.2.2.3",
		Summary: d.concat(a.tx.Method, " challenged with qop=\"auth-int\" only (realm ", quoteList(a.realms), ") ", outcome),
		Explanation: "With auth-int the response also hashes the message body, and the server must hash the body it received the same " +
			"way. Many clients do not implement it (they do not answer, or answer without credentials), and servers that offer it " +
			"may not verify it (Kamailio 5.6 refuses even a correct auth-int answer). Offer qop=\"auth\" (Kamailio: challenge " +
			"flags 1, not 2), or qop=\"auth,auth-int\" so that the client can choose."}
}

// algorithmsUnanswered reports a challenge offering several algorithms
// for a realm (RFC 8760 §2.4: one header per algorithm, the preferred
// first) that the client did not answer though the capture shows it
// had time to: it supports none of them, or fails on the list.
func (d *diag) algorithmsUnanswered(a *attempt) bool {
	for _, realm := range a.realms {
		algs := a.algorithms(realm)
		if len(algs) < 2 || d.wentSilent(a) != "" {
			continue
		}
		d.add(Finding{Code: CodeAlgorithmUnanswered, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 8760 §2.4; RFC 7616 §3.7",
			Summary: d.concat(a.tx.Method, " challenged with ", itoa(len(algs)), " algorithms for realm \"", realm, "\" (",
				strings.Join(algs, ", "), ") and the client answered none of them"),
			Explanation: "RFC 8760 lets a server offer several algorithms, one challenge each, most preferred first; the client " +
				"answers the first it supports. This client answered none: it supports none of them, or it fails on a challenge " +
				"list (some take only the first, or only one header). Offer MD5 alone to it, or upgrade it to one that " +
				"supports SHA-256 (RFC 8760)." + advice(d.c.UserAgent)})
		return true
	}
	return false
}
