package analysis

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"github.com/sipdbg/sipdbg/session"
)

// This file judges an answered call's media against what its session
// descriptions promised (RFC 3264 §5, §6): the RTP streams the capture
// holds for it (session.Store.CallStreams, statistics from package
// media). "Not in the capture" is never "never sent": a capture with no
// RTP at all, or that never sees the media hosts, says nothing of the
// media; a call that lasted less than mediaWindow after its answer is not
// judged for missing media either.

// mediaWindow is how long after the answer the call must go on before
// missing media is a finding: RTP starts within a packet time or two of
// the 2xx (RFC 3264 §5.1 lets the offerer send once it has the answer),
// but a test call of a second or two, or one hung up at once, says
// little of what either side meant to send.
const mediaWindow = 3e9

// Default thresholds (Options.MediaLoss, Options.MediaJitter): above 3%
// loss G.711 with packet loss concealment drops under MOS 3.6 (ITU-T
// G.113 Appendix I, Bpl 25.1); 30 ms of interarrival jitter (RFC 3550
// §6.4.1, in ms of the codec clock) is the common alarm level. The
// estimator smooths over 16 packets, so its maximum reaches 30 ms only
// after a stall of about half a second or sustained bursts: the maximum
// is compared, the mean is shown beside it (phones that send 20 ms
// frames 30 ms apart keep a mean near 17 ms with no harm heard).
const (
	defaultMediaLoss   = 0.03
	defaultMediaJitter = 30.0
	minMediaPackets    = 10 // a direction with fewer is not a stream to judge
	minBusy            = 50 // a direction with as many carries audio (a second of 20 ms packets)
)

// plan is one offer/answer of a call (the INVITE's, or a re-INVITE's or
// UPDATE's that moved the media: RFC 3264 §8) with an accepted audio
// stream, and the time it was in force.
type plan struct {
	a              *attempt
	offer, answer  mline
	caller, callee netip.AddrPort // where the offerer and the answerer receive
	from, to       int64          // its answer's time; the next plan's, or the end of the call
}

// plans lists the call's offer/answer exchanges in order of answer, one
// per pair of addresses (a proxy's two hops carry one exchange twice).
func (d *diag) plans(as []*attempt) []plan {
	var out []plan
	for _, a := range as {
		if a.tx.Method != "INVITE" && a.tx.Method != "UPDATE" || a.req == nil || a.tx.Final < 200 || a.tx.Final >= 300 {
			continue
		}
		a.end(d.s)
		offer, ok1 := sessionDesc(a.req)
		answer, ok2 := sessionDesc(a.final)
		if a.final == nil || !ok1 || !ok2 {
			continue // no offer in the request (an offer in the 2xx, answered in the ACK, is not read)
		}
		for i := range offer {
			if offer[i].kind != "audio" || i >= len(answer) || offer[i].port == 0 || answer[i].port == 0 {
				continue
			}
			p := plan{a: a, offer: offer[i], answer: answer[i], from: a.final.TimeNs,
				caller: netip.AddrPortFrom(offer[i].addr.Unmap(), uint16(offer[i].port)),
				callee: netip.AddrPortFrom(answer[i].addr.Unmap(), uint16(answer[i].port))}
			if !slices.ContainsFunc(out, func(o plan) bool { return o.caller == p.caller && o.callee == p.callee }) {
				out = append(out, p)
			}
			break
		}
	}
	slices.SortStableFunc(out, func(x, y plan) int { return cmp.Compare(x.from, y.from) })
	end := d.callEnd()
	for i := range out {
		out[i].to = end
		if i+1 < len(out) {
			out[i].to = out[i+1].from
		}
	}
	return out
}

// callEnd is the call's first BYE, or, without one, the end of the
// capture: a call not hung up in the capture went on past it.
func (d *diag) callEnd() int64 {
	for i := range d.c.Txs {
		if tx := &d.c.Txs[i]; tx.Method == "BYE" && tx.Request >= 0 {
			return d.s.Msg(int(tx.Request)).TimeNs
		}
	}
	if last := d.s.Last(); last != nil && last.TimeNs > d.c.End {
		return last.TimeNs
	}
	return d.c.End
}

// media reports what the streams of the call's longest-lasting plan show
// against it; the SRTP check reads every plan.
func (d *diag) media(as []*attempt) {
	if d.s.MediaPackets() == 0 {
		return // a capture with no RTP at all: said once for the capture (noRTPAtAll)
	}
	ps := d.plans(as)
	if len(ps) == 0 {
		return
	}
	d.exchanges = ps
	main := ps[0]
	for _, p := range ps {
		if p.offer.srtp() != p.answer.srtp() {
			d.add(d.fSRTPMismatch(p))
			return
		}
		if p.to-p.from > main.to-main.from {
			main = p
		}
	}
	p := main
	var toCallee, toCaller []*session.Stream
	seen := map[int]bool{}
	for _, at := range [...]netip.AddrPort{p.caller, p.callee} {
		for _, st := range d.s.StreamsAt(at) {
			if seen[st.Seq] || !overlaps(st, p) {
				continue
			}
			seen[st.Seq] = true
			switch {
			case st.Dst == p.callee || st.Src == p.caller:
				toCallee = append(toCallee, st)
			case st.Dst == p.caller || st.Src == p.callee:
				toCaller = append(toCaller, st)
			}
		}
	}
	d.directions(p, toCallee, toCaller)
	for _, st := range toCallee {
		d.streamChecks(p, st, p.answer, p.caller, p.callee)
	}
	for _, st := range toCaller {
		d.streamChecks(p, st, p.offer, p.callee, p.caller)
	}
	d.dtmfInfo(p)
}

// overlaps reports whether the stream sent packets while plan p was in
// force (a port reused by a later call is another call's).
func overlaps(st *session.Stream, p plan) bool {
	sm := st.Stats()
	return sm.First.UnixNano() < p.to && sm.Last.UnixNano() > p.from+min(1e8, (p.to-p.from)/4)
}

// rtpFlow is what one direction of a plan carried: packets, and the time
// from its first to its last packet within the plan.
type rtpFlow struct {
	packets int
	span    int64
}

func flowOf(sts []*session.Stream, p plan) rtpFlow {
	var f rtpFlow
	var first, last int64
	for i, st := range sts {
		sm := st.Stats()
		f.packets += sm.Packets
		a, b := max(sm.First.UnixNano(), p.from), min(sm.Last.UnixNano(), p.to)
		if i == 0 || a < first {
			first = a
		}
		if i == 0 || b > last {
			last = b
		}
	}
	if f.packets > 0 && last > first {
		f.span = last - first
	}
	return f
}

// busy: the direction carried audio through most of the plan; quiet: it
// carried a few packets, or stopped early (a phone that sent half a
// second and fell silent for the rest of the call).
func (f rtpFlow) busy(p plan) bool { return f.packets >= minBusy && f.span*2 >= p.to-p.from }
func (f rtpFlow) quiet(p plan) bool {
	return f.packets < minMediaPackets || f.span*10 < p.to-p.from
}

// directions reports a call with no RTP, or RTP one way only, where both
// sides said they would send.
func (d *diag) directions(p plan, toCallee, toCaller []*session.Stream) {
	if p.to-p.from < mediaWindow {
		return // too short to tell
	}
	up, down := flowOf(toCallee, p), flowOf(toCaller, p)
	wantUp := p.offer.sends() && p.answer.receives()
	wantDown := p.answer.sends() && p.offer.receives()
	switch {
	case up.packets == 0 && down.packets == 0 && (wantUp || wantDown) && d.s.MediaHost(p.caller.Addr()) && d.s.MediaHost(p.callee.Addr()):
		// The capture holds RTP of both hosts (with other parties, or in
		// other calls): it would show this call's media too.
		d.add(d.fNoMedia(p))
	case up.busy(p) && down.quiet(p) && wantDown:
		d.add(d.fOneWay(p, up, down, p.caller, p.callee))
	case down.busy(p) && up.quiet(p) && wantUp:
		d.add(d.fOneWay(p, down, up, p.callee, p.caller))
	}
}

// noRTPAtAll words, once for the capture, calls that were answered with
// media set up on both sides and went on for seconds in a capture that
// holds no RTP at all: a filter for SIP alone gives the same file as
// calls whose media never flowed, so it is only said (info), and about
// the capture rather than each call. It reads what loading kept (flags,
// statuses and times), no message.
func noRTPAtAll(s *session.Store) (Finding, bool) {
	if s.MediaPackets() > 0 {
		return Finding{}, false
	}
	n, first := 0, (*session.Call)(nil)
	for _, c := range s.Calls() {
		if answeredWithMedia(s, c) {
			n++
			if first == nil {
				first = c
			}
		}
	}
	if n == 0 {
		return Finding{}, false
	}
	calls := strconv.Itoa(n) + " calls were"
	if n == 1 {
		calls = "1 call was"
	}
	return Finding{Code: CodeNoMedia, Severity: Info, RFC: "RFC 3264 §5, §6; RFC 3550 §5",
		Summary: calls + " answered with media set up on both sides and went on for 3 s or more (the first: " + first.CallID +
			"), but the capture holds no RTP at all",
		Explanation: "The offers and answers set up media, yet not one RTP packet is in the capture. Either it was taken " +
			"with a filter for SIP alone (port 5060), and says nothing of the media, or no side sent any: then check the " +
			"firewall's RTP port range and the c= addresses. Capture again without a port filter to tell."}, true
}

// answeredWithMedia reports a call whose INVITE and 2xx both carry a
// session description and that went on mediaWindow or more after it.
func answeredWithMedia(s *session.Store, c *session.Call) bool {
	for i := range c.Txs {
		tx := &c.Txs[i]
		if tx.Method != "INVITE" || tx.Request < 0 || tx.Final < 200 || tx.Final >= 300 || !s.Msg(int(tx.Request)).Has(session.FlagSDP) {
			continue
		}
		for _, ri := range tx.Response {
			if r := s.Msg(int(ri)); r.Status >= 200 && r.Status < 300 {
				return r.Has(session.FlagSDP) && c.End-r.TimeNs >= mediaWindow
			}
		}
	}
	return false
}

func (d *diag) fNoMedia(p plan) Finding {
	dur := seconds(p.to - p.from)
	return Finding{Code: CodeNoMedia, Severity: Error, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3264 §5, §6; RFC 3550 §5",
		Summary: d.concat("answered, then ", dur, " without a single RTP packet either way between ", p.caller.String(), " and ", p.callee.String()),
		Explanation: "The offer asked for audio at " + p.caller.String() + " and the answer at " + p.callee.String() + ", and the call " +
			"went on for " + dur + " after the answer, yet the capture, which holds RTP of these hosts, has none of this call. Both " +
			"sides agreed on media and neither sent it where the other expected: a firewall dropping the RTP ports, addresses in " +
			"the SDP that are not the hosts' (NAT: see any nat-private-sdp finding), or a media relay that never started. Check " +
			"the RTP port range on the firewall, and the c= addresses against where the hosts really are."}
}

// fOneWay words audio that flows from sender to receiver and not back.
func (d *diag) fOneWay(p plan, busy, quiet rtpFlow, sender, receiver netip.AddrPort) Finding {
	back := "nothing comes back"
	switch {
	case quiet.packets == 1:
		back = "only 1 packet comes back"
	case quiet.packets > 0 && quiet.span < 1e8:
		back = d.concat("only ", strconv.Itoa(quiet.packets), " packets come back")
	case quiet.packets > 0:
		back = d.concat("only ", strconv.Itoa(quiet.packets), " packets come back, within ", seconds(quiet.span), ",")
	}
	dur := seconds(p.to - p.from)
	return Finding{Code: CodeOneWayMedia, Severity: Error, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3264 §5.1, §6.1; RFC 3550 §5",
		Summary: d.concat("RTP flows ", sender.String(), " → ", receiver.String(), " (", strconv.Itoa(busy.packets), " packets) but ", back,
			" from ", receiver.String(), " in ", dur),
		Explanation: "Both session descriptions say each side sends, so audio should flow both ways between " + sender.String() +
			" and " + receiver.String() + " for the " + dur + " the call lasted. The capture holds " + strconv.Itoa(busy.packets) +
			" RTP packets from " + sender.String() + " and " + strconv.Itoa(quiet.packets) + " from " + receiver.String() + ": one-way " +
			"audio. The usual causes are NAT (a description that names an address the packets cannot reach, or a firewall " +
			"that lets only outgoing RTP through), a media relay latched to the wrong port, or a phone still sending to the " +
			"address it had before a re-INVITE. Turn on symmetric RTP (send to where the RTP comes from) or a media relay, " +
			"and check the firewall's RTP port range."}
}

func (d *diag) fSRTPMismatch(p plan) Finding {
	return Finding{Code: CodeSRTPMismatch, Severity: Error, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3264 §6; RFC 3711 §12",
		Summary: d.concat("the offer's audio is ", p.offer.proto, " and the answer's ", p.answer.proto),
		Explanation: "An answer must accept a stream with the transport the offer gave it (RFC 3264 §6), and RTP/SAVP is secure " +
			"RTP (RFC 3711): one side encrypts, the other expects clear RTP, and each discards the other's packets. Make both " +
			"sides agree: turn SRTP on (mandatory or optional) on the side that answers " + p.answer.proto + ", or off on the other."}
}
