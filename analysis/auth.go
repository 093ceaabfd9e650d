package analysis

import (
	"cmp"
	"net/netip"
	"slices"
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
	// Survey is what the whole capture says of each source (NewSurvey):
	// scanners and password guessing. Nil: no security findings.
	Survey *Survey
}

// retryWindow is how long after a challenge a retry in another call
// (a UA that changes Call-ID, against RFC 3261 §8.1.3.5) still counts.
const retryWindow = 64e9 // twice timer B/F (64*T1): room for a user typing a password

// Diagnose returns the authentication findings of call c, ordered by the
// first message each concerns.
func Diagnose(s *session.Store, c *session.Call, opt Options) []Finding {
	sc := getScratch()
	defer sc.put()
	d := diag{s: s, c: c, opt: opt, sc: sc}
	as := attempts(s, c, sc)
	for _, sp := range d.chains(as) {
		d.chain(sc.byChain[sp.from:sp.to])
	}
	d.acks(as)
	d.failures(as)
	d.security(as)
	return d.result()
}

// last orders findings by the latest message each concerns, so that what
// is said about a retry follows what is said about its challenge.
func last(f *Finding) int32 {
	if len(f.Messages) == 0 {
		return 1<<31 - 1
	}
	return slices.Max(f.Messages)
}

type diag struct {
	s           *session.Store
	c           *session.Call
	opt         Options
	sc          *scratch
	schemeSaid  bool // an auth-scheme finding was made for the call
	authIntSaid bool // an auth-int-only finding was made
	serverSaid  bool // a server-realm-mismatch finding was made
}

func (d *diag) add(f Finding) { d.sc.out = append(d.sc.out, f) }

// orderKey places finding i of the scratch list by its last message; i
// breaks ties, so that the sort is stable.
type orderKey struct{ last, i int32 }

// result returns the findings in order of their last message, findings
// on the same message in the order they were made. They are copied out
// of the scratch into one slice, and their messages into one array:
// two allocations per call however many findings it has.
func (d *diag) result() []Finding {
	out := d.sc.out
	if len(out) == 0 {
		return nil
	}
	order, sorted, n := d.sc.order[:0], true, 0
	for i := range out {
		k := last(&out[i])
		if i > 0 && k < order[i-1].last {
			sorted = false
		}
		order = append(order, orderKey{k, int32(i)})
		n += len(out[i].Messages)
	}
	if !sorted {
		slices.SortFunc(order, func(a, b orderKey) int {
			if a.last != b.last {
				return cmp.Compare(a.last, b.last)
			}
			return cmp.Compare(a.i, b.i)
		})
	}
	d.sc.order = order
	if repeats(out) {
		return collapse(out, order)
	}
	res := make([]Finding, len(out))
	msgs := make([]int32, n)
	for j, o := range order {
		res[j] = out[o.i]
		if k := len(res[j].Messages); k > 0 {
			copy(msgs, res[j].Messages)
			res[j].Messages, msgs = msgs[:k:k], msgs[k:]
		}
	}
	return res
}

// idx returns the store indexes of ms, skipping nil, in the scratch: the
// result copies them out.
func (d *diag) idx(ms ...*session.Message) []int32 {
	start := len(d.sc.msgs)
	for _, m := range ms {
		if m != nil {
			d.sc.msgs = append(d.sc.msgs, m.Index)
		}
	}
	if len(d.sc.msgs) == start {
		return nil
	}
	return d.sc.msgs[start:len(d.sc.msgs):len(d.sc.msgs)]
}

// chains groups attempts that are retries of one another: the same
// method in the same call (Call-ID), sent by the same host to the same
// next hop. The hop matters because a proxy or B2BUA that keeps the
// Call-ID puts two legs, each with its own challenges, in one call. RFC
// 3261 §8.1.3.5 keeps the From tag too, but many UAs change it on every
// REGISTER, and a retry may leave from a new TCP port, so neither is
// part of the key. The chains are in order of their first attempt, each
// in call order, in sc.byChain.
func (d *diag) chains(as []*attempt) []chainSpan {
	sc := d.sc
	for _, a := range as {
		a.chain = sc.chainIndex(chainKey{a.tx.Method, a.leg})
	}
	// A counting sort on the chain index keeps call order within a chain.
	sc.chains = slices.Grow(sc.chains[:0], len(sc.legs))[:len(sc.legs)]
	clear(sc.chains)
	for _, a := range as {
		sc.chains[a.chain].to++
	}
	at := int32(0)
	for i := range sc.chains {
		n := sc.chains[i].to
		sc.chains[i] = chainSpan{at, at}
		at += n
	}
	sc.byChain = slices.Grow(sc.byChain[:0], len(as))[:len(as)]
	for _, a := range as {
		sp := &sc.chains[a.chain]
		sc.byChain[sp.to] = a
		sp.to++
	}
	return sc.chains
}

// chainKey identifies a chain: a method and a leg.
type chainKey struct {
	method string
	leg    leg
}

// legIndexAt is the number of chains from which a call finds them in a
// map; below it a scan is cheaper.
const legIndexAt = 16

// chainIndex returns the index of the chain of k, opening it if new.
func (sc *scratch) chainIndex(k chainKey) int32 {
	if len(sc.legIndex) > 0 {
		if i, ok := sc.legIndex[k]; ok {
			return i
		}
	} else {
		for i := range sc.legs {
			if sc.legs[i] == k {
				return int32(i)
			}
		}
	}
	i := int32(len(sc.legs))
	sc.legs = append(sc.legs, k)
	if len(sc.legs) == legIndexAt {
		if sc.legIndex == nil {
			sc.legIndex = make(map[chainKey]int32, 2*legIndexAt)
		}
		for j, l := range sc.legs {
			sc.legIndex[l] = int32(j)
		}
	} else if len(sc.legs) > legIndexAt {
		sc.legIndex[k] = i
	}
	return i
}

// leg is the hop an attempt travelled: client host → server address. It
// stands for the text "host>address" the chains were once keyed by, and
// compares equal exactly when that text would: an invalid address is
// one whatever its port ("invalid IP", "invalid AddrPort"), and a leg
// with an IPv6 zone, whose text could hold any byte, is compared as
// text.
type leg struct {
	from netip.Addr
	to   netip.AddrPort
	text string // "host>address" when an address has a zone; "" otherwise
	ok   bool   // false when neither the request nor a final response was captured
}

func legOf(a *attempt) leg {
	var from netip.Addr
	var to netip.AddrPort
	switch {
	case a.req != nil:
		from, to = a.req.Src().Addr(), a.req.Dst()
	case a.final != nil:
		from, to = a.final.Dst().Addr(), a.final.Src()
	default:
		return leg{}
	}
	if !to.Addr().IsValid() {
		to = netip.AddrPort{}
	}
	if from.Zone() != "" || to.Addr().Zone() != "" {
		return leg{text: from.String() + ">" + to.String(), ok: true}
	}
	return leg{from: from, to: to, ok: true}
}

// chain walks the attempts of one chain, judging each challenge by the
// attempt that follows it.
func (d *diag) chain(ch []*attempt) {
	// The realms challenged so far, and the last nc per nonce for reuse
	// checks, are kept in the scratch, emptied for each chain.
	realms := d.sc.chainRealms[:0]
	nc := &d.sc.nc
	nc.reset()
	run, storm, looped, stormed := 0, 0, false, false
	for i, a := range ch {
		d.checkNC(a, nc)
		if !a.challenged() {
			run, storm = 0, 0
			continue
		}
		if len(a.creds) == 0 {
			run, storm = 0, 0 // a fresh start, not another answer
		}
		d.add(d.fChallenge(a))
		if sch := unusualScheme(a); sch != nil && !d.schemeSaid {
			d.schemeSaid = true
			d.add(d.fScheme(a, sch))
		}
		next := nextWithRequest(d.c, ch, i, a.final.TimeNs)
		if staleIn(a) {
			d.add(d.fStale(a, next == nil))
		}
		prior := len(realms) // the realms challenged before a
		if !d.authIntSaid && authIntOnly(a) {
			d.authIntSaid = true
			d.add(d.fAuthIntOnly(a, ch[i+1:]))
		}
		for _, r := range a.realms {
			if !contains(realms, r) {
				realms = append(realms, r)
				if len(realms) == 2 {
					d.add(d.fMultipleRealms(a, realms))
				}
			}
		}
		if i > 0 && !sharesRealm(ch[i-1], a) {
			run, storm = 0, 0 // another element's challenge: a step forward, not a repeat
		}
		// A loop: three answers in a row challenged again. A storm: the
		// same credentials sent again within a second, refused each time.
		if len(a.creds) > 0 {
			run++
			if i > 0 && sameAnswer(ch[i-1], a) {
				storm++
			} else {
				storm = 0
			}
		}
		if run >= 3 && !looped && !staleIn(a) && !handshake(a) {
			looped = true
			d.add(d.fLoop(ch[i-run+1:i+1], run, itoa(run)+" answers to "+a.tx.Method+" challenged again in a row"))
		}
		if (storm >= 2 || (storm == 1 && sameResponse(ch[i-1], a))) && !stormed && !staleIn(a) && !handshake(a) {
			stormed = true
			d.add(d.fStorm(ch[i-storm : i+1]))
		}
		if next == nil {
			d.unanswered(a, realms[:prior])
			continue
		}
		if d.retry(a, next, realms) && !d.serverSaid {
			d.serverSaid = true
			d.add(d.fServerRealm(a, next))
		}
	}
	d.sc.chainRealms = realms[:0] // kept for the next chain; put clears it
}

// nextWithRequest returns the attempt that answers the challenge of
// ch[i]: the next captured request, if it was sent within retryWindow. A
// request much later is a new start, not an answer.
//
// A REGISTER for another address of record is a new registration, not
// the answer (RFC 3261 §10.2: the To header names the binding).
func nextWithRequest(c *session.Call, ch []*attempt, i int, challengedAt int64) *attempt {
	for _, a := range ch[i+1:] {
		if a.req != nil {
			if a.req.TimeNs-challengedAt > retryWindow || !sameAOR(c, ch[i], a) {
				return nil
			}
			return a
		}
	}
	return nil
}

// sameAOR reports whether two attempts of one chain register the same
// address of record; any two other requests are alike.
func sameAOR(c *session.Call, a, b *attempt) bool {
	if a.tx.Method != "REGISTER" || a.req == nil || b.req == nil {
		return true
	}
	return aor(toOf(c, a.req)) == aor(toOf(c, b.req))
}

// toOf returns the To URI of request m of call c, read from the call
// when it is the call's (session.FlagCallFromTo): without touching the
// capture.
func toOf(c *session.Call, m *session.Message) string {
	if m.Has(session.FlagCallFromTo) {
		return c.To
	}
	return m.To()
}

// aor is user@host of a URI, what identifies a binding.
func aor(uri string) string { return userOf(uri) + "@" + strings.ToLower(hostOf(uri)) }

func sharesRealm(a, b *attempt) bool {
	for _, r := range a.realms {
		if contains(b.realms, r) {
			return true
		}
	}
	return false
}

func staleIn(a *attempt) bool {
	for i := range a.challenges {
		if a.challenges[i].Stale {
			return true
		}
	}
	return false
}

// retry judges r, the request that follows challenged attempt a. It
// reports whether r was re-challenged although a candidate password
// matched its credentials.
func (d *diag) retry(a, r *attempt, realms []string) bool {
	r.end(d.s)
	if a.req != nil && r.req.CSeq <= a.req.CSeq {
		d.add(d.fCSeq(a, r))
	}
	if len(r.creds) == 0 {
		d.add(d.fNoCredentials(a, true))
		return false
	}
	if handshake(a) {
		d.handshakeOutcome(a, r)
		return false
	}
	explained, matched := false, false
	failed := refused(r) && !slowRetry(a, r)
	for _, realm := range a.realms {
		ch := a.challengeFor(realm)
		e, m := d.answer(a, r, ch, failed)
		explained = explained || e
		matched = matched || m
	}
	return d.outcome(a, r, realms, explained, matched)
}

// noChallenge is what challengeFor finds for a realm not challenged. It
// is only read.
var noChallenge challenge

func (a *attempt) challengeFor(realm string) *challenge {
	for i := range a.challenges {
		if a.challenges[i].Realm == realm {
			return &a.challenges[i]
		}
	}
	return &noChallenge
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
		if d.acceptedWith(func(c *credential) bool { return c.URI == cr.URI }) {
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
			d.add(d.fNonceCount(a, cr, prev))
		}
		last.set(cr.Nonce, cr.NC)
	}
	if a.challenged() {
		for i := range a.challenges {
			last.forget(a.challenges[i].Nonce)
		}
	}
}

// outcome judges what the element did with r's credentials.
func (d *diag) outcome(a, r *attempt, realms []string, explained, matched bool) bool {
	f := r.final
	switch {
	case f == nil:
		if r.ringing {
			d.add(d.fAccepted(a, r, a.realms))
		}
		return false
	case (f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER")) && slowRetry(a, r):
		d.add(d.fSlowRetry(a, r))
		return false
	case f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER"):
		// 403 is the usual refusal after a digest check; 404 to REGISTER
		// means the registrar does not know the user or domain. A 404 to
		// other requests names a missing target, met after auth.
		d.add(d.fForbidden(a, r))
		return false
	case !r.challenged():
		d.add(d.fAccepted(a, r, a.realms))
		return false
	}
	var again, passed []string
	for _, realm := range a.realms {
		if contains(r.realms, realm) {
			again = append(again, realm)
		} else {
			passed = append(passed, realm)
		}
	}
	// A new challenge from a realm met earlier in the chain comes from an
	// element before the ones that challenged a: the request did not
	// reach them, and nothing says they accepted anything.
	blockedEarlier := false
	for _, realm := range r.realms {
		blockedEarlier = blockedEarlier || (!contains(a.realms, realm) && contains(realms, realm))
	}
	if len(passed) > 0 && !blockedEarlier {
		d.add(d.fAccepted(a, r, passed))
	}
	for _, realm := range r.realms {
		// A realm challenged earlier in the chain, answered before, and
		// missing from this retry: §22.3 wants every realm's credentials.
		if !contains(a.realms, realm) && contains(realms, realm) && r.credFor(realm) == nil {
			d.add(d.fDropped(a, r, realm))
		}
	}
	loop := false
	for _, realm := range again {
		switch cr := r.credFor(realm); {
		case r.challengeFor(realm).Stale:
			if cr != nil && r.req.TimeNs-a.final.TimeNs > staleDelay {
				d.add(d.fSlowStale(a, r))
			}
		case cr != nil && cr.Auts:
			d.add(d.fAKAResync(a, r))
		case r.credFor(realm) == nil && len(r.creds) > 0 && len(realms) > 1:
			d.add(d.fDropped(a, r, realm))
		case !explained && r.credFor(realm) != nil && slowRetry(a, r):
			d.add(d.fSlowRetry(a, r))
		case !explained && r.credFor(realm) != nil:
			d.add(d.fRejected(a, r, realm, matched))
			// A right answer refused: the server checks something else,
			// unless the answer was auth-int, which servers may not check.
			loop = loop || (matched && !strings.EqualFold(cr.Qop, "auth-int"))
		}
	}
	return loop
}

// acceptedWith reports whether credentials that match were accepted in
// this call: a 2xx answered a request that carried them.
func (d *diag) acceptedWith(match func(*credential) bool) bool {
	for _, b := range d.sc.ptrs {
		if b.tx.Final < 200 || b.tx.Final >= 300 {
			continue
		}
		for i := range b.creds {
			if match(&b.creds[i]) {
				return true
			}
		}
	}
	return false
}
