package analysis

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

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
	return sameAORs(toOf(c, a.req), toOf(c, b.req))
}

// sameAORs reports whether two URIs name one address of record: the
// same user, the host in any case (RFC 3261 §19.1.4).
func sameAORs(x, y string) bool {
	return x == y || (userOf(x) == userOf(y) && strings.EqualFold(hostOf(x), hostOf(y)))
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
