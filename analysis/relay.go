package analysis

import (
	"net/netip"
	"slices"

	"github.com/sipdbg/sipdbg/session"
)

// A capture taken on a proxy, or on the path through one, holds both legs
// of a call that keeps its Call-ID: the caller's INVITE to the proxy and
// the proxy's copy to the callee (RFC 3261 §16.6 keeps the Call-ID and
// the CSeq). A refusal from the callee then appears twice: the callee's
// 486 to the proxy, and the proxy's relay of it to the caller (§16.7
// step 5 forwards the best final response). That is one refusal, by the
// callee; told once per hop it reads as two failures, and the second
// names the proxy as the element that refused.

// relayKey groups the attempts that may be hops of one another.
type relayKey struct {
	method string
	cseq   uint32
	final  uint16
}

// relays finds, among a call's attempts, the refusals that only relay
// another one.
type relays struct {
	d      *diag
	as     []*attempt
	index  map[relayKey][]*attempt // for long calls; nil below relayIndexAt attempts
	byCSeq map[relayKey][]*attempt // the same, keyed without the status (diag.attemptsByCSeq)
}

// relayIndexAt is the number of attempts from which the candidates are
// found in a map: a REGISTER storm can put thousands in one call.
const relayIndexAt = 32

func newRelays(d *diag, as []*attempt) relays {
	r := relays{d: d, as: as}
	if len(as) >= relayIndexAt {
		r.index = make(map[relayKey][]*attempt)
		for _, a := range as {
			if rejection(a.tx.Final) {
				k := relayKey{a.tx.Method, a.tx.CSeq, a.tx.Final}
				r.index[k] = append(r.index[k], a)
			}
		}
		r.byCSeq = d.attemptsByCSeq(as)
	}
	return r
}

// candidates returns the attempts that share a's method, CSeq and final
// status (a among them).
func (r *relays) candidates(a *attempt) []*attempt {
	if r.index != nil {
		return r.index[relayKey{a.tx.Method, a.tx.CSeq, a.tx.Final}]
	}
	return r.as
}

// downstream returns the attempt whose refusal a relays, nil when a's
// refusal is the answering element's own: an attempt b of the same
// method, CSeq and status, sent by the element that sent a's final
// response (so that element forwarded a's request as b), whose request
// came after a's and whose final response came before a's.
//
// A back-to-back user agent (an SBC) that keeps the Call-ID is found too,
// though it numbers its own CSeq and may face each side from another
// address (b2bLeg).
func (r *relays) downstream(a *attempt) *attempt {
	if a.final == nil {
		return nil
	}
	proxy := a.final.Src()
	for _, b := range r.candidates(a) {
		if b == a || b.tx.Method != a.tx.Method || b.tx.Final != a.tx.Final || b.req == nil || a.req != nil && b.req.Seq < a.req.Seq {
			continue
		}
		sameHop := b.tx.CSeq == a.tx.CSeq && sameElement(b.req.Src(), proxy)
		if !sameHop && (a.req == nil || b.req.Src() == a.req.Src()) {
			continue
		}
		b.end(r.d.s)
		if b.final == nil || b.final.Seq > a.final.Seq || sameElement(b.final.Src(), proxy) {
			continue
		}
		if sameHop || b2bLeg(a, b) {
			return b
		}
	}
	return nil
}

// softwareOf is what a response says of the software that sent it: its
// Server header (RFC 3261 §20.35), or the User-Agent some send instead.
func softwareOf(m *session.Message) string {
	if sv := m.RefusalHeader("server"); sv != "" {
		return sv
	}
	return m.RefusalHeader("user-agent")
}

// b2bWindow bounds how long a back-to-back user agent takes to pass a
// request on and a refusal back: it does both at once.
const b2bWindow = 2e9

// b2bLeg reports whether b looks like the other leg of a back-to-back
// user agent that refused a with b's refusal: an SBC (one of RFC 7092's
// B2BUAs) that keeps the Call-ID but numbers its own CSeq. Only the time
// and the words can say it: b's request left within b2bWindow after a's
// came, a's refusal followed b's within it, and both carry the same
// Server (or User-Agent) header, which the SBC copied from the element
// behind it (its own refusals name itself).
func b2bLeg(a, b *attempt) bool {
	sv := softwareOf(a.final)
	return sv != "" && softwareOf(b.final) == sv &&
		b.req.TimeNs >= a.req.TimeNs && b.req.TimeNs-a.req.TimeNs <= b2bWindow &&
		a.final.TimeNs >= b.final.TimeNs && a.final.TimeNs-b.final.TimeNs <= b2bWindow
}

// sameElement reports whether two sources are one SIP element: the same
// address and port, or the same address where that names one host. On
// loopback, where a lab puts every element on 127.0.0.1, only the port
// tells them apart (a proxy forwards over UDP from the socket it listens
// on, RFC 3261 §18.1.1, so its port is the same both ways).
func sameElement(x, y netip.AddrPort) bool {
	return x == y || x.Addr() == y.Addr() && !x.Addr().IsLoopback()
}

// upstream returns the messages of the attempts that relay o's refusal
// towards the caller, hop by hop: their requests and final responses,
// to cite beside o's own.
func (r *relays) upstream(o *attempt) []int32 {
	var ms []int32
	var buf [4]*attempt // a chain of proxies is short
	seen := append(buf[:0], o)
	for grown := true; grown; {
		grown = false
		for _, a := range r.candidates(o) {
			if slices.Contains(seen, a) || !rejection(a.tx.Final) {
				continue
			}
			a.end(r.d.s)
			if b := r.downstream(a); b != nil && slices.Contains(seen, b) {
				seen = append(seen, a)
				ms = append(ms, r.d.idx(a.req, a.final)...)
				grown = true
			}
		}
	}
	return ms
}

// upstreamFinal returns the final response that the element which sent
// a's request gave upstream for the same request (the caller's side of
// a proxy), when it differs from a's: a forked branch that lost to
// another branch's answer, or a refusal that a serial fork (voicemail
// on busy) answered otherwise. nil when there is no such response in
// the capture, or when it is a's own status relayed.
func (r *relays) upstreamFinal(a *attempt) *session.Message {
	if a.req == nil || a.final == nil {
		return nil
	}
	proxy := a.req.Src()
	us := r.as
	if r.byCSeq != nil {
		us = r.byCSeq[relayKey{a.tx.Method, a.tx.CSeq, 0}]
	}
	for _, u := range us {
		if u == a || u.tx.Method != a.tx.Method || u.tx.CSeq != a.tx.CSeq || u.req == nil || u.tx.Final == 0 ||
			u.tx.Final == a.tx.Final || !sameElement(u.req.Dst(), proxy) || u.req.Seq > a.req.Seq {
			continue
		}
		u.end(r.d.s)
		if u.final != nil && sameElement(u.final.Src(), proxy) && u.final.Seq > a.final.Seq {
			return u.final
		}
	}
	return nil
}

// relayCopy reports whether chain ch is a proxy's copy of another chain
// of the call: each of its requests was sent by the element that
// received, earlier, a request of the same method and CSeq that ended
// with the same status (the proxy forwarded it, §16.6, and relayed the
// answer). Its findings then repeat the client's hop: the same wrong
// password is one rejection, seen twice, not two.
// byCSeq, when not nil, holds the call's attempts by method and CSeq
// (final 0), so that a long call (a REGISTER storm forwarded by a proxy)
// is not scanned once per attempt.
func relayCopy(ch, as []*attempt, byCSeq map[relayKey][]*attempt) bool {
	for _, b := range ch {
		us := as
		if byCSeq != nil {
			us = byCSeq[relayKey{b.tx.Method, b.tx.CSeq, 0}]
		}
		if b.req == nil || !slices.ContainsFunc(us, func(a *attempt) bool {
			return a.chain != b.chain && a.req != nil && a.tx.Method == b.tx.Method && a.tx.CSeq == b.tx.CSeq &&
				a.tx.Final == b.tx.Final && a.req.Seq < b.req.Seq && sameElement(a.req.Dst(), b.req.Src())
		}) {
			return false
		}
	}
	return len(ch) > 0
}

// attemptsByCSeq indexes the call's attempts by method and CSeq (final
// 0), once per call, for relayCopy and relays; nil for a call short
// enough to scan.
func (d *diag) attemptsByCSeq(as []*attempt) map[relayKey][]*attempt {
	if len(as) < relayIndexAt || d.byCSeq != nil {
		return d.byCSeq
	}
	d.byCSeq = make(map[relayKey][]*attempt, len(as))
	for _, a := range as {
		k := relayKey{a.tx.Method, a.tx.CSeq, 0}
		d.byCSeq[k] = append(d.byCSeq[k], a)
	}
	return d.byCSeq
}
