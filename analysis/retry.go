package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// This file judges what follows a challenge when no retry follows it in
// its chain: "the answer is not in the capture" is not "never answered".

// slowRetry reports whether r, refused, came so long after a's
// challenge that the nonce is the likely reason: seconds went by and the
// server issued a fresh nonce, or its reason phrase speaks of the nonce.
func (d *diag) slowRetry(a, r *attempt) bool {
	if r.final == nil || r.req == nil || a.final == nil || r.req.TimeNs-a.final.TimeNs < slowAnswer {
		return false
	}
	if r.req.TimeNs-a.final.TimeNs >= oldNonce && refused(r) {
		return true
	}
	reason := strings.ToLower(d.statusText(r.final))
	if strings.Contains(reason, "nonce") || strings.Contains(reason, "stale") || strings.Contains(reason, "expire") {
		return true
	}
	if !r.challenged() {
		return false
	}
	for _, realm := range r.realms {
		if cr := r.credFor(realm); cr != nil && cr.Nonce != r.challengeFor(realm).Nonce {
			return true
		}
	}
	return false
}

// slowAnswer is the delay from a challenge to its answer past which a
// refusal may be the nonce's age rather than the password: a UA answers
// in milliseconds unless it waits on something (DNS, a prompt).
const slowAnswer = 5e9

// oldNonce is the age past which a nonce is commonly expired: servers
// keep nonces for 30 s (Kamailio's auth nonce_expire default) or so.
// A refusal of an answer that old is put down to its age.
const oldNonce = 30e9

func (d *diag) fSlowRetry(a, r *attempt) Finding {
	delay := seconds(r.req.TimeNs - a.final.TimeNs)
	why := d.waitedOn(a, r)
	return Finding{Code: CodeSlowRetry, Severity: Error, Messages: d.idx(a.final, r.req, r.final), RFC: "RFC 7616 §3.3; RFC 3261 §22.4",
		Summary: d.concat("the answer came ", delay, " after the challenge and the server refused its nonce (", d.statusText(r.final), ")", why),
		Explanation: d.concat("The client took ", delay, " to answer a challenge that a UA answers in milliseconds. By then the server's "+
			"nonce had changed or expired, and the server refused it (without stale=true, which would have told the client to retry "+
			"at once). The password is not shown to be wrong. Look at what the client waited for before sending: most often an "+
			"unanswered DNS query (an SRV lookup for _sip._udp of the domain, retried for seconds): give it a working DNS server, "+
			"or configure the proxy as an IP address or a name with an A record. Raising the server's nonce lifetime also helps.")}
}

// sameResource reports whether a digest uri names the Request-URI's
// resource in another spelling: the same URI but for case, angle
// brackets or parameters.
func sameResource(digestURI, ruri string) bool {
	norm := func(u string) string { return strings.ToLower(stripParams(strings.Trim(u, "<>"))) }
	return norm(digestURI) == norm(ruri)
}

// sameAnswer reports whether b, refused, answered with the credentials
// of a, refused just before: the same username, realm and nonce (nc and
// cnonce may move on), within a second. A client hammering, not a user
// trying anew.
func sameAnswer(a, b *attempt) bool {
	if len(a.creds) == 0 || len(b.creds) == 0 || a.req == nil || b.req == nil || !a.challenged() || !b.challenged() {
		return false
	}
	p, c := &a.creds[0], &b.creds[0]
	return c.Username == p.Username && c.Realm == p.Realm && c.Nonce == p.Nonce && b.req.TimeNs-a.req.TimeNs <= 1e9
}

// sameResponse reports whether b sent byte for byte the response a did:
// not even the nonce count moved on.
func sameResponse(a, b *attempt) bool {
	return len(a.creds) > 0 && len(b.creds) > 0 && a.creds[0].Response == b.creds[0].Response
}

// staleDelay is how long an answer may take before a stale=true to it
// is put down to the delay: a UA answers a challenge in milliseconds.
const staleDelay = 1e9

func (d *diag) fSlowStale(a, r *attempt) Finding {
	delay := seconds(r.req.TimeNs - a.final.TimeNs)
	why := d.waitedOn(a, r)
	return Finding{Code: CodeSlowRetry, Severity: Info, Messages: d.idx(a.final, r.req, r.final), RFC: "RFC 7616 §3.3",
		Summary: d.concat("the answer came ", delay, " after the challenge and its nonce had expired (stale=true)", why),
		Explanation: d.concat("The client took ", delay, " to answer, longer than the server keeps a nonce. The server said "+
			"stale=true, so the client could retry at once with the new nonce: no harm this time, but a client that waits "+
			"longer, or a server that does not send stale=true, turns this into a failure. Look at what the client waited for "+
			"(a DNS lookup, a prompt), or raise the server's nonce lifetime.")}
}

func (d *diag) fStorm(run []*attempt) Finding {
	var ms []*session.Message
	n := 0
	for _, a := range run {
		ms = append(ms, a.req, a.final)
		if len(a.creds) > 0 {
			n++
		}
	}
	return Finding{Code: CodeRetryStorm, Severity: Warning, Messages: d.idx(ms...), RFC: "RFC 3261 §22.4",
		Summary: d.concat("the same refused credentials sent ", itoa(n), " times, each within a second of the last"),
		Explanation: "The client repeats credentials the server has just refused, unchanged, without waiting: the answer cannot " +
			"change, and servers count each one as a failed login (Kamailio pike, fail2ban, Asterisk security events), so the " +
			"account or address is soon locked out. Fix the password; a UA should stop after one refused answer per nonce."}
}

// waitedOn is "; " and what DNS the client of r waited on between a's
// challenge and its answer, or "" when the capture shows none.
func (d *diag) waitedOn(a, r *attempt) string {
	if w := d.dnsWait(r.req.Src().Addr(), a.final.TimeNs, r.req.TimeNs); w != "" {
		return "; " + w
	}
	return ""
}
