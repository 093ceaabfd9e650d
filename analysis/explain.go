package analysis

import (
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// The explanations below are what an experienced engineer would say on
// reading the trace: what it means, the usual causes, what to change.

func who(status uint16) (element, header, answer string) {
	if status == 407 {
		return "a proxy in the path", hdrProxyAuthenticate, hdrProxyAuthorization
	}
	return "the registrar or the called user agent (the request's final destination)", hdrWWWAuthenticate, hdrAuthorization
}

// appendDescribe appends what a challenge asks for: its realm,
// algorithm, qop and staleness.
func appendDescribe(b []byte, ch *challenge) []byte {
	if !digestLike(ch) {
		b = append(b, ch.Scheme...)
		b = append(b, ` realm "`...)
		b = append(b, ch.Realm...)
		return append(b, '"')
	}
	b = append(b, `realm "`...)
	b = append(b, ch.Realm...)
	b = append(b, `", algorithm `...)
	b = append(b, ch.Alg()...)
	if ch.Qop != "" {
		b = append(b, ", qop "...)
		b = append(b, ch.Qop...)
	} else {
		b = append(b, ", no qop"...)
	}
	if ch.Stale {
		b = append(b, ", stale=true"...)
	}
	return b
}

// challengeExplanation is the explanation of a 401 and of a 407, the
// same for every challenge: made once rather than for each.
var challengeExplanation = [2]string{challengeExplanationOf(401), challengeExplanationOf(407)}

func challengeExplanationOf(status uint16) string {
	element, hdr, answer := who(status)
	return "A " + itoa(int(status)) + " comes from " + element + ". It carries the challenge in " + hdr +
		"; the client must repeat the request with " + answer + " computed from its username and password for that realm " +
		"(RFC 2617 §3.2.2, RFC 8760 for SHA-256). This is the normal first step of digest authentication, not an error by itself."
}

// fChallenge reports a challenge, a's final response (a 401 or a 407).
// Every challenged request of a capture has one, so its summary is
// written into the scratch buffer and copied once.
func (d *diag) fChallenge(a *attempt) Finding {
	status := a.final.Status
	_, hdr, _ := who(status)
	b := append(d.sc.buf[:0], a.tx.Method...)
	b = append(b, " challenged with "...)
	b = append(b, d.statusText(a.final)...)
	b = append(b, ": "...)
	for i := range a.challenges {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = appendDescribe(b, &a.challenges[i])
	}
	if len(a.challenges) == 0 {
		b = append(b, "but no "...)
		b = append(b, hdr...)
		b = append(b, " header (the client cannot answer it)"...)
	}
	summary := d.sc.text(b)
	d.sc.buf = b
	code, rfc, expl := CodeChallenge401, "RFC 3261 §22.2, §21.4.2", challengeExplanation[0]
	if status == 407 {
		code, rfc, expl = CodeChallenge407, "RFC 3261 §22.3, §21.4.27", challengeExplanation[1]
	}
	return Finding{Code: code, Severity: Info, Messages: d.idx(a.req, a.final), RFC: rfc, Summary: summary, Explanation: expl}
}

// fAccepted reports credentials let through. Like fChallenge it comes
// with most challenges, so its texts are written into the scratch buffer.
func (d *diag) fAccepted(a, r *attempt, realms []string) Finding {
	by := "a provisional response"
	if r.final != nil {
		by = d.statusText(r.final)
	}
	b := append(d.sc.buf[:0], "credentials for "...)
	b = appendQuoteList(b, realms)
	if r.challenged() {
		// Let through by this realm, stopped by the next element's: say
		// so, not "accepted" alone, which reads as if the request passed.
		b = append(b, " accepted; the request went on and met the next realm's challenge ("...)
		b = append(b, by...)
		b = append(b, ')')
	} else {
		b = append(b, " accepted: the retry got "...)
		b = append(b, by...)
	}
	summary := d.sc.text(b)
	b = append(b[:0], "The repeated request carried credentials for the realm that challenged it and the element let it through: "+
		"the username and password are right for "...)
	b = appendQuoteList(b, realms)
	b = append(b, '.')
	if r.final != nil && r.final.Status >= 300 && !r.challenged() {
		// The request got through authentication and failed further on.
		b = append(b, " The final "...)
		b = append(b, by...)
		b = append(b, " comes from further on (routing, the called party, media) and is not an authentication problem."...)
	}
	explanation := d.sc.text(b)
	d.sc.buf = b
	return Finding{Code: CodeAuthAccepted, Severity: Info, Messages: d.idx(r.req, r.final), RFC: "RFC 3261 §22.2, §22.3",
		Summary: summary, Explanation: explanation}
}

func (d *diag) fRejected(a, r *attempt, realm string, pwMatch bool) Finding {
	element, _, answer := who(r.final.Status)
	status := d.statusText(r.final)
	b := append(d.sc.buf[:0], "The retry answered the challenge with "...)
	b = append(b, answer...)
	b = append(b, " for the challenged realm over the nonce it was given, yet "...)
	b = append(b, element...)
	b = append(b, " challenged again without stale=true: it computed a different response. Likely causes: a wrong password; "+
		"a username the server does not know (it challenges instead of answering 403/404); an auth username other than "+
		"the one provisioned."...)
	b = append(b, advice(d.c.UserAgent)...)
	if delay := r.req.TimeNs - a.final.TimeNs; delay > 5e9 {
		b = append(b, " The answer came "...)
		b = append(b, seconds(delay)...)
		b = append(b, " after the challenge: if the server's nonces live shorter than that, "+
			"it refused an expired nonce without saying stale=true, and the password may well be right."...)
		if reason := strings.ToLower(status); strings.Contains(reason, "nonce") || strings.Contains(reason, "stale") || strings.Contains(reason, "expire") {
			b = append(b, " The reason phrase \""...)
			b = append(b, status...)
			b = append(b, "\" points that way."...)
		}
	}
	sev, note := Error, ""
	if cr := r.credFor(realm); cr != nil && strings.EqualFold(cr.Qop, "auth-int") {
		b = append(b, " The answer used qop=auth-int (a hash of the body): servers that cannot verify it (Kamailio 5.6, for one) "+
			"refuse such answers whatever the password; let the server offer only qop=auth, or make the UA choose auth."...)
		if d.authIntSaid && !pwMatch {
			// The server offered nothing but auth-int: the auth-int-only
			// finding carries the error, and a wrong password is only one
			// of two causes here.
			sev, note = Warning, "; the answer used qop=auth-int, which the server may not verify (see auth-int-only)"
		}
	}
	if pwMatch {
		b = append(b, " The candidate password given reproduces the captured response: the client uses this password, "+
			"so the server's stored secret for this user and realm differs, or the user is unknown there."...)
	}
	explanation := d.sc.text(b)
	d.sc.buf = b
	return Finding{Code: CodeCredentialsRejected, Severity: sev, Messages: d.idx(r.req, r.final), RFC: "RFC 3261 §22.4; RFC 2617 §3.2.2",
		Summary:     d.concat("credentials for realm \"", realm, "\" rejected: challenged again ", nonceNote(r, realm), " (", status, ")", note),
		Explanation: explanation}
}

// nonceNote says whether the new challenge reissued the nonce the
// credentials used (servers with time-based nonces do) or a fresh one.
func nonceNote(r *attempt, realm string) string {
	if cr := r.credFor(realm); cr != nil && cr.Nonce == r.challengeFor(realm).Nonce {
		return "with the same nonce, not stale"
	}
	return "with a fresh nonce, not stale"
}

func (d *diag) fForbidden(a, r *attempt) Finding {
	return Finding{Code: CodeForbiddenAfterAuth, Severity: Error, Messages: d.idx(r.req, r.final), RFC: "RFC 3261 §21.4.4, §22.4",
		Summary: d.concat("refused after credentials: ", d.statusText(r.final)),
		Explanation: d.concat("The request carried credentials and was answered ", d.statusText(r.final), " instead of being let through. "+
			"The server checked the digest and then refused: typical reasons are a wrong password answered with 403 rather than a "+
			"new challenge, an auth username that does not match the From/To user (Kamailio auth_check with the From/To check "+
			"flags), an account that is disabled or not allowed to call this destination, or an unknown user. Read the reason phrase "+
			"and the server's log for this Call-ID.", advice(d.c.UserAgent))}
}

func (d *diag) fWrongHeader(a, r *attempt, cr *credential) Finding {
	_, _, want := who(a.final.Status)
	got := hdrAuthorization
	if cr.proxy {
		got = hdrProxyAuthorization
	}
	return Finding{Code: CodeWrongAuthHeader, Severity: Error, Messages: d.idx(a.final, r.req), RFC: "RFC 3261 §22.2, §22.3",
		Summary: d.statusText(a.final) + " answered with " + got + " instead of " + want,
		Explanation: "A 401 (WWW-Authenticate) is answered with Authorization and a 407 (Proxy-Authenticate) with Proxy-Authorization. " +
			"The element that challenged looks only at its own header, so it sees no answer and challenges again. The client treats both " +
			"challenges alike: fix the UA (or its SIP library) to pick the header from the status code."}
}

func (d *diag) fRealmMismatch(a, r *attempt, ch *challenge, cr *credential) Finding {
	return Finding{Code: CodeRealmMismatch, Severity: Error, Messages: d.idx(a.final, r.req), RFC: "RFC 3261 §22.1, §22.3",
		Summary: "credentials for realm \"" + cr.Realm + "\" but the challenge was for \"" + ch.Realm + "\"",
		Explanation: "Credentials are computed per realm (HA1 = H(username:realm:password)) and must name the realm of the challenge " +
			"they answer. The UA answered with a realm it had from configuration or from another element. Configure the account's " +
			"realm to match the server's (or leave it empty so the UA takes the realm from the challenge)."}
}

func (d *diag) fNonceMismatch(a, r *attempt, ch *challenge, cr *credential) Finding {
	return Finding{Code: CodeNonceMismatch, Severity: Error, Messages: d.idx(a.final, r.req), RFC: "RFC 2617 §3.2.2; RFC 3261 §22.4",
		Summary: "credentials carry nonce \"" + short(cr.Nonce) + "\", the challenge issued \"" + short(ch.Nonce) + "\"",
		Explanation: "The response must be computed over the nonce the server just issued. A different nonce is a stale copy " +
			"kept from an earlier challenge, one from another server (failover, a different proxy in a cluster without shared " +
			"nonce secret), or a replay. The server rejects it and challenges again."}
}

func (d *diag) fAlgorithmMismatch(a, r *attempt, offered []string, cr *credential) Finding {
	return Finding{Code: CodeAlgorithmMismatch, Severity: Error, Messages: d.idx(a.final, r.req), RFC: "RFC 7616 §3.7; RFC 8760 §2.4",
		Summary: "credentials use algorithm " + cr.Alg() + ", the challenge offered " + strings.Join(offered, ", "),
		Explanation: "The client must answer with one of the algorithms the server offered (several challenges may be sent, one per " +
			"algorithm, most preferred first). An answer with another algorithm cannot be checked. Older UAs only know MD5: " +
			"let the server also offer MD5, or upgrade the UA to one that supports SHA-256 (RFC 8760)."}
}

func (d *diag) fQopMissing(a, r *attempt, cr *credential, sev Severity, why string) Finding {
	expl := "When the challenge offers qop, the answer should name the chosen qop with a client nonce (cnonce) and a nonce count " +
		"(nc); without them the response is computed the RFC 2069 way, which strict servers reject."
	if sev == Info {
		expl += " This server accepted it, so nothing fails today; a stricter server would refuse it."
	}
	return Finding{Code: CodeQopMissing, Severity: sev, Messages: d.idx(a.final, r.req), RFC: "RFC 2617 §3.2.2; RFC 7616 §3.4",
		Summary: why, Explanation: expl}
}

func (d *diag) fNonceCount(a *attempt, cr *credential, prev string, sev Severity) Finding {
	expl := "Each answer over the same nonce must carry a higher nonce count (nc): the server detects replays by it. " +
		"The server did not issue this nonce again in between (then the count would restart at 00000001), so a server that " +
		"checks nc refuses this answer as a replay."
	if sev == Info {
		expl += " This server accepted it (it does not check nc), so nothing fails today; the client resends an old " +
			"Authorization instead of computing a new answer, and a stricter server would refuse it."
	}
	return Finding{Code: CodeNonceCountReused, Severity: sev, Messages: d.idx(a.req, a.final), RFC: "RFC 7616 §3.4",
		Summary:     d.concat("nonce reused with nc ", cr.NC, ", not above the previous ", prev, " for that nonce"),
		Explanation: expl}
}

func (d *diag) fURIMismatch(r *attempt, cr *credential, ruri string, sev Severity) Finding {
	expl := "RFC 2617 §3.2.2.5 asks the server to check that the digest uri names the requested resource. Many SIP servers " +
		"(Kamailio among them) do not; phones often put their own or the proxy's address there, and a proxy or SBC that " +
		"rewrites the Request-URI makes the two differ on the way."
	if sev == Info {
		expl += " The server accepted these credentials: here it is only context."
	} else {
		expl += " The server refused these credentials: a strict server checks the uri, so this may be why."
	}
	return Finding{Code: CodeDigestURIMismatch, Severity: sev, Messages: d.idx(r.req), RFC: "RFC 3261 §22.4; RFC 2617 §3.2.2.5",
		Summary: d.concat("digest uri \"", cr.URI, "\" differs from the Request-URI \"", ruri, "\""), Explanation: expl}
}

func (d *diag) fUsernameMismatch(r *attempt, cr *credential, user, where string, sev Severity) Finding {
	expl := "The authentication username need not be the user of the From (or, for REGISTER, the To) URI: many providers " +
		"issue a separate auth id, and IMS uses a private identity apart from the public one."
	if sev == Info {
		expl += " The server accepted these credentials: here it is only context."
	} else {
		expl += " The server refused these credentials, and many servers tie the two together (Kamailio auth_check with the " +
			"From/To check flags): check which username the account expects."
	}
	return Finding{Code: CodeUsernameMismatch, Severity: sev, Messages: d.idx(r.req), RFC: "RFC 3261 §22.4",
		Summary: d.concat("digest username \"", cr.Username, "\" differs from the ", where, " user \"", user, "\""), Explanation: expl}
}

func (d *diag) fCSeq(a, r *attempt) Finding {
	return Finding{Code: CodeCSeqNotIncremented, Severity: Warning, Messages: d.idx(a.req, r.req), RFC: "RFC 3261 §8.1.3.5",
		Summary: "the retry reuses CSeq " + itoa(int(r.req.CSeq)) + " of the challenged request",
		Explanation: "A request repeated with credentials is a new request: same Call-ID, To and From (tag), a new Via branch and a CSeq " +
			"one higher (RFC 3261 §8.1.3.5). With the same CSeq a server may take it for a retransmission or a loop and drop it."}
}

func (d *diag) fLoop(ch []*attempt, n int, why string) Finding {
	var ms []*session.Message
	for _, a := range ch {
		ms = append(ms, a.req, a.final)
	}
	return Finding{Code: CodeAuthLoop, Severity: Error, Messages: d.idx(ms...), RFC: "RFC 3261 §22.4",
		Summary: why,
		Explanation: "Repeating a request that keeps being challenged will not succeed: each attempt costs the server a transaction " +
			"and may lock the account (fail2ban, pike, Asterisk's security events). Look at the first rejection: wrong password, " +
			"wrong realm or username, or a server whose stored secret differs. UAs should stop after one failed answer per nonce."}
}

func (d *diag) fDropped(a, r *attempt, realm string) Finding {
	return Finding{Code: CodeCredentialsDropped, Severity: Error, Messages: d.idx(r.req, r.final), RFC: "RFC 3261 §22.3",
		Summary: "the retry dropped the credentials for realm \"" + realm + "\", which challenges again",
		Explanation: "When a request was challenged by more than one element, each retry must carry credentials for every realm " +
			"challenged so far (RFC 3261 §22.3): the proxy's Proxy-Authorization and the registrar's or UAS's Authorization. " +
			"This retry answered only the latest challenge, so the first element challenged again. Many UAs keep one credential " +
			"per request; SIPp's [authentication] answers only the last challenge."}
}

func (d *diag) fMultipleRealms(a *attempt, realms []string) Finding {
	return Finding{Code: CodeMultipleRealms, Severity: Info, Messages: d.idx(a.final), RFC: "RFC 3261 §22.3",
		Summary: "challenged by " + itoa(len(realms)) + " realms: " + quoteList(realms),
		Explanation: "Two elements authenticate this request: typically a proxy (407, Proxy-Authenticate) and the registrar or " +
			"UAS (401, WWW-Authenticate), each with its own realm. The UA needs a credential set per realm (username and password " +
			"may differ) and must send all of them in each retry."}
}

// The explanations of a stale nonce, retried and not.
const (
	staleExplanation = "stale=true says the previous response was computed correctly over a nonce that is no longer valid. The UA " +
		"should retry at once with the new nonce, without asking the user for a password again."
	staleGaveUpExplanation = staleExplanation + " This UA gave up (or prompted) instead: that is a UA bug, the password was fine."
)

func (d *diag) fStale(a *attempt, gaveUp bool) Finding {
	severity, suffix, explanation := Info, "", staleExplanation
	if gaveUp {
		severity, suffix, explanation = Warning, "; the UA did not retry", staleGaveUpExplanation
	}
	return Finding{Code: CodeStaleNonce, Severity: severity, Messages: d.idx(a.req, a.final), RFC: "RFC 2617 §3.2.1; RFC 7616 §3.3",
		Summary:     d.concat("stale nonce: the credentials were right but the nonce had expired (", d.statusText(a.final), " with stale=true)", suffix),
		Explanation: explanation}
}

// concat returns the parts joined, through the scratch's texts (see
// scratch.text): for the findings that repeat call after call.
func (d *diag) concat(parts ...string) string {
	b := d.sc.buf[:0]
	for _, p := range parts {
		b = append(b, p...)
	}
	d.sc.buf = b
	return d.sc.text(b)
}

func seconds(ns int64) string {
	tenths := (ns + 5e7) / 1e8
	return itoa(int(tenths/10)) + "." + itoa(int(tenths%10)) + " s"
}

// statusText is a response's status code and reason phrase, from the
// store's table of status lines (no page of a mapped capture is read).
func (d *diag) statusText(m *session.Message) string {
	l := d.s.FirstLine(m)
	if strings.HasPrefix(l, "SIP/2.0 ") || strings.HasPrefix(strings.ToUpper(l), "SIP/2.0 ") {
		return l[8:]
	}
	return l
}

func quoteList(ss []string) string {
	return string(appendQuoteList(nil, ss))
}

// appendQuoteList appends ss quoted and joined with " and ".
func appendQuoteList(b []byte, ss []string) []byte {
	for i, s := range ss {
		if i > 0 {
			b = append(b, " and "...)
		}
		b = append(b, '"')
		b = append(b, s...)
		b = append(b, '"')
	}
	return b
}

func short(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return itoa(n) + " " + w + "s"
}

func (d *diag) fServerRealm(a, r *attempt) Finding {
	return Finding{Code: CodeServerRealmMismatch, Severity: Error, Messages: d.idx(a.final, r.req, r.final), RFC: "RFC 3261 §22.4",
		Summary: d.concat(a.tx.Method, " challenged again although the candidate password reproduces the credentials sent (realm ",
			quoteList(a.realms), ")"),
		Explanation: "The client answered the challenge correctly for the realm it was given, with the password you supplied, and the " +
			"server still refused. The server checks something else than it asks for: a realm other than the one in its challenge " +
			"(Kamailio: the realm given to pv_www_authenticate/pv_proxy_authenticate differs from the one given to www_challenge/" +
			"proxy_challenge), another stored password or HA1 for this user (HA1 computed with another realm), or a qop it cannot " +
			"verify (auth-int). Check the server's user database and realm settings, not the client."}
}
