package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

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
			only = only && strings.EqualFold(strings.TrimSpace(c.Qop), "auth-int")
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

// answer checks the credentials r sent for challenge ch. explained is
// set when a finding already says why the answer must fail; matched when
// a candidate password reproduces it.
//
// The uri, username and qop checks are warnings only when the answer
// was refused (failed): they may explain the refusal. Once the server
// said yes they are context, info at most.
func (d *diag) answer(a, r *attempt, ch *challenge, failed bool) (explained, matched bool) {
	cr := r.credFor(ch.Realm)
	if cr == nil {
		for i := range r.creds {
			if r.creds[i].proxy == ch.proxy {
				d.add(d.fRealmMismatch(a, r, ch, &r.creds[i]))
				return true, false
			}
		}
		if r.creds[0].proxy != ch.proxy && len(a.challenges) == 1 {
			d.add(d.fWrongHeader(a, r, &r.creds[0]))
			return true, false
		}
		return false, false // an answer to another realm only: see outcome
	}
	if cr.proxy != ch.proxy {
		d.add(d.fWrongHeader(a, r, cr))
		return true, false
	}
	if kindOf(cr) == kindBasic {
		d.add(d.fBasic(r))
	}
	if !digestLike(cr) || !digestLike(ch) {
		return false, false // no nonce, algorithm or digest to check
	}
	if cr.Nonce != ch.Nonce {
		d.add(d.fNonceMismatch(a, r, ch, cr))
		explained = true
	}
	if !a.offers(ch.Realm, cr.Alg()) {
		d.add(d.fAlgorithmMismatch(a, r, a.algorithms(ch.Realm), cr))
		explained = true
	}
	matched, wrongPassword := d.verify(r, cr)
	// A wrong password explains the refusal: the other checks are then
	// context, not suspects.
	sev := ifFailed(failed && !wrongPassword)
	if ch.Qop != "" && (cr.Qop == "" || cr.NC == "" || cr.CNonce == "") {
		d.add(d.fQopMissing(a, r, cr, sev, "the challenge offered qop \""+ch.Qop+"\" but the answer has no qop, nc or cnonce"))
	}
	if ruri := requestURI(r.req); cr.URI != ruri && !sameResource(cr.URI, ruri) {
		usev := sev
		if d.index().uris[cr.URI] {
			usev = Info // the same server took this uri from this client: it is not why it refused
		}
		d.add(d.fURIMismatch(r, cr, ruri, usev))
	}
	d.checkUser(r, cr, sev)
	return explained, matched
}

func (a *attempt) algorithms(realm string) []string {
	var out []string
	for i := range a.challenges {
		if c := &a.challenges[i]; c.Realm == realm && !containsFold(out, c.Alg()) {
			out = append(out, c.Alg())
		}
	}
	return out
}

// offers reports whether a challenge of a for realm offered alg: it is
// containsFold(a.algorithms(realm), alg) without building the list.
func (a *attempt) offers(realm, alg string) bool {
	for i := range a.challenges {
		if c := &a.challenges[i]; c.Realm == realm && strings.EqualFold(c.Alg(), alg) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// checkUser compares the digest username with the From user, or for
// REGISTER the To user (the address of record, RFC 3261 §10.2).
func (d *diag) checkUser(r *attempt, cr *credential, sev Severity) {
	if cr.UserHash || cr.Username == "" {
		return
	}
	// The call's copies, when they are the request's, are read without
	// touching the capture (session.FlagCallFromTo).
	from, to := d.c.From, d.c.To
	if !r.req.Has(session.FlagCallFromTo) {
		from, to = r.req.From(), r.req.To()
	}
	uri, where := from, "From"
	if r.tx.Method == "REGISTER" {
		uri, where = to, "To"
	}
	u := userOf(uri)
	if host := hostOf(uri); u != "" && u != cr.Username && cr.Username != u+"@"+host {
		d.add(d.fUsernameMismatch(r, cr, u, where, sev))
	}
}

// checkNC flags a nonce reused with an nc that does not increase (RFC
// 7616 §3.4: the server detects replays by it). A nonce the server
// issues again in a new challenge (time-based nonces are) starts its
// count afresh: nc 00000001 is then right.
func (d *diag) checkNC(a *attempt, last *ncTable) {
	for i := range a.creds {
		cr := &a.creds[i]
		if cr.NC == "" || cr.Nonce == "" {
			continue
		}
		if prev, ok := last.get(cr.Nonce); ok && strings.ToLower(cr.NC) <= strings.ToLower(prev) && len(cr.NC) == len(prev) {
			// A server that took the replayed count does not check nc
			// (Kamailio's auth module checks it only with modparam
			// "nonce_count" 1, README.auth §3.5): nothing failed, and
			// whatever the server accepted is info.
			a.end(d.s)
			sev := Warning
			if a.final != nil && a.final.Status >= 200 && a.final.Status < 300 {
				sev = Info
			}
			d.add(d.fNonceCount(a, cr, prev, sev))
		}
		last.set(cr.Nonce, cr.NC)
	}
	if a.challenged() {
		for i := range a.challenges {
			last.forget(a.challenges[i].Nonce)
		}
	}
}
