package analysis

import (
	"slices"
	"sort"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// Options tune the diagnosis.
type Options struct {
	// Credentials are candidate passwords to check the captured digest
	// responses against. None: no password findings.
	Credentials []Credential
	// StopsAfterRejection says the trace is a probe's, which stops by
	// design once its credentials are refused: the challenge that refused
	// them is not reported as unanswered.
	StopsAfterRejection bool
}

// retryWindow is how long after a challenge a retry in another call
// (a UA that changes Call-ID, against RFC 3261 §8.1.3.5) still counts.
const retryWindow = 64e9 // twice timer B/F (64*T1): room for a user typing a password

// Diagnose returns the authentication findings of call c, ordered by the
// first message each concerns.
func Diagnose(s *session.Store, c *session.Call, opt Options) []Finding {
	d := &diag{s: s, c: c, opt: opt}
	as := attempts(s, c)
	for _, ch := range chains(as) {
		d.chain(ch)
	}
	d.acks(as)
	sort.SliceStable(d.out, func(i, j int) bool { return last(d.out[i]) < last(d.out[j]) })
	return d.out
}

// last orders findings by the latest message each concerns, so that what
// is said about a retry follows what is said about its challenge.
func last(f Finding) int32 {
	if len(f.Messages) == 0 {
		return 1<<31 - 1
	}
	return slices.Max(f.Messages)
}

type diag struct {
	s   *session.Store
	c   *session.Call
	opt Options
	out []Finding
}

func (d *diag) add(f Finding) { d.out = append(d.out, f) }

// chains groups attempts that are retries of one another: the same
// method in the same call (Call-ID), sent by the same host to the same
// next hop. The hop matters because a proxy or B2BUA that keeps the
// Call-ID puts two legs, each with its own challenges, in one call. RFC
// 3261 §8.1.3.5 keeps the From tag too, but many UAs change it on every
// REGISTER, and a retry may leave from a new TCP port, so neither is
// part of the key.
func chains(as []*attempt) [][]*attempt {
	var keys []string
	m := map[string][]*attempt{}
	for _, a := range as {
		k := a.tx.Method + " " + a.leg()
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = append(m[k], a)
	}
	out := make([][]*attempt, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// leg names the hop an attempt travelled: client host → server address.
func (a *attempt) leg() string {
	switch {
	case a.req != nil:
		return a.req.Src().Addr().String() + ">" + a.req.Dst().String()
	case a.final != nil:
		return a.final.Dst().Addr().String() + ">" + a.final.Src().String()
	}
	return ""
}

// chain walks the attempts of one chain, judging each challenge by the
// attempt that follows it.
func (d *diag) chain(ch []*attempt) {
	var realms []string
	run, looped := 0, false
	nc := map[string]string{} // last nc per nonce, for reuse checks
	for i, a := range ch {
		d.checkNC(a, nc)
		if !a.challenged() {
			run = 0
			continue
		}
		if len(a.creds) == 0 {
			run = 0 // a fresh start, not another answer
		}
		d.add(fChallenge(a))
		next := nextWithRequest(ch, i, a.final.TimeNs)
		for _, c := range a.challenges {
			if c.Stale {
				d.add(fStale(a, next == nil))
				break
			}
		}
		for _, r := range a.realms() {
			if !contains(realms, r) {
				realms = append(realms, r)
				if len(realms) == 2 {
					d.add(fMultipleRealms(a, realms))
				}
			}
		}
		if i > 0 && !sharesRealm(ch[i-1], a) {
			run = 0 // another element's challenge: a step forward, not a repeat
		}
		if run++; run >= 3 && !looped && !staleIn(a) {
			looped = true
			d.add(fLoop(ch[i-run+1:i+1], run, a.tx.Method+" challenged "+itoa(run)+" times in a row"))
		}
		if next == nil {
			if d.opt.StopsAfterRejection && len(a.creds) > 0 {
				continue
			}
			if !d.retriedElsewhere(a) {
				d.add(fNoCredentials(a, false))
			}
			continue
		}
		if d.retry(a, next, realms) && !looped {
			looped = true
			d.add(fLoop([]*attempt{a, next}, 2, a.tx.Method+" challenged again although the candidate password matches the credentials sent"))
		}
	}
}

// nextWithRequest returns the attempt that answers the challenge of
// ch[i]: the next captured request, if it was sent within retryWindow. A
// request much later is a new start, not an answer.
func nextWithRequest(ch []*attempt, i int, challengedAt int64) *attempt {
	for _, a := range ch[i+1:] {
		if a.req != nil {
			if a.req.TimeNs-challengedAt > retryWindow {
				return nil
			}
			return a
		}
	}
	return nil
}

func sharesRealm(a, b *attempt) bool {
	for _, r := range a.realms() {
		if contains(b.realms(), r) {
			return true
		}
	}
	return false
}

func staleIn(a *attempt) bool {
	for _, c := range a.challenges {
		if c.Stale {
			return true
		}
	}
	return false
}

// retry judges r, the request that follows challenged attempt a. It
// reports whether r was re-challenged although a candidate password
// matched its credentials.
func (d *diag) retry(a, r *attempt, realms []string) bool {
	if a.req != nil && r.req.CSeq <= a.req.CSeq {
		d.add(fCSeq(a, r))
	}
	if len(r.creds) == 0 {
		d.add(fNoCredentials(a, true))
		return false
	}
	explained, matched := false, false
	for _, realm := range a.realms() {
		ch := a.challengeFor(realm)
		e, m := d.answer(a, r, ch)
		explained = explained || e
		matched = matched || m
	}
	return d.outcome(a, r, realms, explained, matched)
}

func (a *attempt) challengeFor(realm string) challenge {
	for _, c := range a.challenges {
		if c.Realm == realm {
			return c
		}
	}
	return challenge{}
}

// answer checks the credentials r sent for challenge ch. explained is
// set when a finding already says why the answer must fail; matched when
// a candidate password reproduces it.
func (d *diag) answer(a, r *attempt, ch challenge) (explained, matched bool) {
	cr := r.credFor(ch.Realm)
	if cr == nil {
		for i := range r.creds {
			if r.creds[i].proxy == ch.proxy {
				d.add(fRealmMismatch(a, r, ch, &r.creds[i]))
				return true, false
			}
		}
		if r.creds[0].proxy != ch.proxy && len(a.challenges) == 1 {
			d.add(fWrongHeader(a, r, &r.creds[0]))
			return true, false
		}
		return false, false // an answer to another realm only: see outcome
	}
	if cr.proxy != ch.proxy {
		d.add(fWrongHeader(a, r, cr))
		return true, false
	}
	if cr.Nonce != ch.Nonce {
		d.add(fNonceMismatch(a, r, ch, cr))
		explained = true
	}
	if offered := a.algorithms(ch.Realm); !containsFold(offered, cr.Alg()) {
		d.add(fAlgorithmMismatch(a, r, offered, cr))
		explained = true
	}
	if ch.Qop != "" && (cr.Qop == "" || cr.NC == "" || cr.CNonce == "") {
		d.add(fQopMissing(a, r, cr, "the challenge offered qop \""+ch.Qop+"\" but the answer has no qop, nc or cnonce"))
	}
	if ruri := requestURI(r.req); cr.URI != ruri {
		d.add(fURIMismatch(r, cr, ruri))
	}
	d.checkUser(r, cr)
	return explained, d.verify(r, cr)
}

func (a *attempt) algorithms(realm string) []string {
	var out []string
	for _, c := range a.challenges {
		if c.Realm == realm && !containsFold(out, c.Alg()) {
			out = append(out, c.Alg())
		}
	}
	return out
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
func (d *diag) checkUser(r *attempt, cr *credential) {
	if cr.UserHash || cr.Username == "" {
		return
	}
	uri, where := r.req.From(), "From"
	if r.tx.Method == "REGISTER" {
		uri, where = r.req.To(), "To"
	}
	u := userOf(uri)
	if host := hostOf(uri); u != "" && u != cr.Username && cr.Username != u+"@"+host {
		d.add(fUsernameMismatch(r, cr, u, where))
	}
}

// checkNC flags a nonce reused with an nc that does not increase (RFC
// 7616 §3.4: the server detects replays by it).
func (d *diag) checkNC(a *attempt, last map[string]string) {
	for i := range a.creds {
		cr := &a.creds[i]
		if cr.NC == "" || cr.Nonce == "" {
			continue
		}
		if prev, ok := last[cr.Nonce]; ok && strings.ToLower(cr.NC) <= strings.ToLower(prev) && len(cr.NC) == len(prev) {
			d.add(fQopMissing(a, a, cr, "nonce reused with nc "+cr.NC+", not above the previous "+prev))
		}
		last[cr.Nonce] = cr.NC
	}
}

// outcome judges what the element did with r's credentials.
func (d *diag) outcome(a, r *attempt, realms []string, explained, matched bool) bool {
	f := r.final
	switch {
	case f == nil:
		if r.ringing {
			d.add(fAccepted(a, r, a.realms()))
		}
		return false
	case f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER"):
		// 403 is the usual refusal after a digest check; 404 to REGISTER
		// means the registrar does not know the user or domain. A 404 to
		// other requests names a missing target, met after auth.
		d.add(fForbidden(a, r))
		return false
	case !r.challenged():
		d.add(fAccepted(a, r, a.realms()))
		return false
	}
	var again, passed []string
	for _, realm := range a.realms() {
		if contains(r.realms(), realm) {
			again = append(again, realm)
		} else {
			passed = append(passed, realm)
		}
	}
	if len(passed) > 0 {
		d.add(fAccepted(a, r, passed))
	}
	for _, realm := range r.realms() {
		// A realm challenged earlier in the chain, answered before, and
		// missing from this retry: §22.3 wants every realm's credentials.
		if !contains(a.realms(), realm) && contains(realms, realm) && r.credFor(realm) == nil {
			d.add(fDropped(a, r, realm))
		}
	}
	loop := false
	for _, realm := range again {
		switch {
		case r.challengeFor(realm).Stale:
		case r.credFor(realm) == nil && len(r.creds) > 0 && len(realms) > 1:
			d.add(fDropped(a, r, realm))
		case !explained && r.credFor(realm) != nil:
			d.add(fRejected(a, r, realm, matched))
			loop = loop || matched
		}
	}
	return loop
}

// retriedElsewhere looks for the retry in another call: some UAs start
// a new Call-ID for it. The calls are in order of their start.
func (d *diag) retriedElsewhere(a *attempt) bool {
	if a.req == nil {
		return false
	}
	calls := d.s.Calls()
	t := a.final.TimeNs
	i := sort.Search(len(calls), func(i int) bool { return calls[i].Start >= t })
	for ; i < len(calls) && calls[i].Start <= t+retryWindow; i++ {
		c := calls[i]
		if c == d.c || c.From != d.c.From || len(c.Msgs) == 0 {
			continue
		}
		m := d.s.Msg(int(c.Msgs[0]))
		if m.IsRequest() && m.Method() == a.tx.Method && m.Flags&(session.FlagAuthorization|session.FlagProxyAuthorization) != 0 {
			return true
		}
	}
	return false
}

// acks checks that each non-2xx final response to INVITE was ACKed in
// its transaction (RFC 3261 §17.1.1.3).
func (d *diag) acks(as []*attempt) {
	for _, a := range as {
		if a.tx.Method != "INVITE" || a.final == nil || a.final.Status < 300 || a.tx.ACK >= 0 {
			continue
		}
		if ack := d.strayACK(a); ack != nil {
			d.add(fACKBranch(a, ack))
			continue
		}
		retrans := 0
		for _, mi := range a.tx.Msgs {
			m := d.s.Msg(int(mi))
			if !m.IsRequest() && m.Status == a.final.Status && m.Has(session.FlagRetransmission) {
				retrans++
			}
		}
		if retrans > 0 || d.laterFromUAC(a) {
			d.add(fACKMissing(a, retrans))
		}
	}
}

// strayACK finds an ACK with the INVITE's CSeq and the response's To tag
// that landed in a transaction of its own: a new branch.
func (d *diag) strayACK(a *attempt) *session.Message {
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		if tx.Method != "ACK" || tx.CSeq != a.tx.CSeq || tx.Request < 0 {
			continue
		}
		ack := d.s.Msg(int(tx.Request))
		if ack.Index > a.final.Index && ack.ToTag() == a.final.ToTag() {
			return ack
		}
	}
	return nil
}

// laterFromUAC reports a later request from the INVITE's sender: the UA
// was alive after the response and still did not ACK it.
func (d *diag) laterFromUAC(a *attempt) bool {
	if a.req == nil {
		return false
	}
	for _, mi := range d.c.Msgs {
		m := d.s.Msg(int(mi))
		if mi > a.final.Index && m.IsRequest() && m.Src() == a.req.Src() {
			return true
		}
	}
	return false
}
