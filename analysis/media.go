package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/media"
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
	slices.SortStableFunc(out, func(x, y plan) int { return cmpInt64(x.from, y.from) })
	end := d.callEnd()
	for i := range out {
		out[i].to = end
		if i+1 < len(out) {
			out[i].to = out[i+1].from
		}
	}
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
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

// streamChecks judges one stream sent by the side that receives at
// ownAt to the side whose description is far, receiving at farAt.
func (d *diag) streamChecks(p plan, st *session.Stream, far mline, ownAt, farAt netip.AddrPort) {
	sm := st.Stats()
	if sm.Packets < minMediaPackets {
		return
	}
	name := d.concat(st.Src.String(), " → ", st.Dst.String())
	if sm.Expected >= 50 && float64(sm.Lost) > d.lossLimit()*float64(sm.Expected) {
		d.add(d.fLoss(p, st, sm.Expected, sm.Lost, name))
	}
	if sm.MaxJitter >= d.jitterLimit() {
		d.add(d.fJitter(p, st, &sm, name))
	}
	d.codecMismatch(p, st, far, name)
	d.dtmfEvents(p, st, name)
	d.addressMismatch(p, st, ownAt, farAt, name)
}

// fJitter words a stream whose jitter reached the limit. A warning when
// it did so for two seconds or more; info for a single second's spike,
// or when each spell follows a timestamp jump (a sender that restarted
// its clock after a pause, as a gateway does around a fax: the estimator
// reads the jump as delay, the network did nothing).
func (d *diag) fJitter(p plan, st *session.Stream, sm *media.Summary, name string) Finding {
	high, spells, prev := 0, 0, false
	for _, sec := range sm.Seconds {
		hi := float64(sec.MaxJitter) >= d.jitterLimit()
		if hi {
			high++
			if !prev {
				spells++
			}
		}
		prev = hi
	}
	f := Finding{Code: CodeMediaJitter, Severity: Warning, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3550 §6.4.1, A.8",
		Summary: d.concat("RTP ", name, " (", st.Codec, ") jitter ", fmt.Sprintf("%.1f ms mean, %.1f ms max", sm.MeanJitter, sm.MaxJitter),
			", at or above ", strconv.FormatFloat(d.jitterLimit(), 'f', 0, 64), " ms in ", strconv.Itoa(high), " s of ", strconv.Itoa(len(sm.Seconds))),
		Explanation: "The interarrival jitter (RFC 3550 §6.4.1, smoothed over 16 packets) of this stream reached " +
			strconv.FormatFloat(d.jitterLimit(), 'f', 0, 64) + " ms: packets arrive in bursts after stalls, and a jitter buffer " +
			"sized for them adds that much delay, while a smaller one drops the late packets, heard as gaps. " +
			"Look for congestion or bufferbloat on the path from " + st.Src.Addr().String() + ", a radio link, and queueing that " +
			"does not prioritise RTP."}
	switch {
	case sm.TSJumps > 0 && spells <= sm.TSJumps:
		f.Severity = Info
		f.Summary = d.concat(f.Summary, ", after a timestamp jump")
		f.Explanation = "The jitter estimate of this stream rose only after its RTP timestamps jumped (" + strconv.Itoa(sm.TSJumps) +
			" time(s)): the sender restarted or moved its clock, as a gateway may after a pause or a switch to fax, and the " +
			"estimator reads the jump as delay (RFC 3550 §6.4.1). The network did not delay these packets."
	case high < 2:
		f.Severity = Info
	}
	return f
}

// fLoss words a stream's lost packets. When the capture holds fewer
// frames in all over the stream's span than this stream alone should
// have sent, it is the capture that missed them (a sampled or trimmed
// file, drops at the capture point), not necessarily the network: info.
func (d *diag) fLoss(p plan, st *session.Stream, expected, lost int, name string) Finding {
	pct := 100 * float64(lost) / float64(expected)
	f := Finding{Code: CodeMediaLoss, Severity: Warning, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3550 §6.4.1, A.3",
		Summary: d.concat("RTP ", name, " (", st.Codec, ") lost ", strconv.Itoa(lost), " of ", strconv.Itoa(expected),
			" packets (", strconv.FormatFloat(pct, 'f', 1, 64), "%)"),
		Explanation: "Packets missing from the sequence numbers of the stream (expected − received, RFC 3550 A.3), captured " +
			"where the capture was taken: above " + strconv.FormatFloat(100*d.lossLimit(), 'f', 0, 64) + "% speech breaks up. " +
			"Loss before the capture point is on the path from " + st.Src.Addr().String() + "; check that link's load, Wi-Fi, " +
			"or a shaping policy that does not prioritise RTP (DSCP EF)."}
	if frames := st.LastPacket - st.FirstPacket + 1; frames > 0 && frames < expected {
		f.Severity = Info
		f.Summary = d.concat(f.Summary, "; the capture itself holds only ", strconv.Itoa(frames), " frames over that span")
		f.Explanation = "The sequence numbers of this stream skip " + strconv.Itoa(lost) + " packets, but the capture holds only " +
			strconv.Itoa(frames) + " frames in all between the stream's first and last packet, fewer than this one stream " +
			"should have sent: the capture missed packets (a sampled or trimmed file, or drops at the capture point), so it " +
			"cannot say whether the network lost them. Capture again with a full snapshot, or nearer the receiver."
	}
	return f
}

// codecMismatch reports payload types that no description of the
// receiver's address in the call listed (RFC 3264 §5.1: send only formats
// the other side listed; a re-INVITE may list new ones). Comfort noise
// (13, RFC 3389) is let pass: many phones send it unasked. An error when
// most of the stream is of such types (the receiver decodes nothing), a
// warning when a tenth or more is, info for a few stray packets.
func (d *diag) codecMismatch(p plan, st *session.Stream, far mline, name string) {
	var listed []string
	var bad []string
	badN, total := 0, 0
	for _, tc := range st.Types {
		total += tc.Packets
		s := strconv.Itoa(int(tc.PT))
		if tc.PT == 13 || slices.Contains(far.pts(), s) || isEvents(tc) {
			continue // events the SDP did not name are dtmf-mismatch's
		}
		if listed == nil {
			listed = d.listedAt(st.Dst)
		}
		if !slices.Contains(listed, s) {
			bad = append(bad, s)
			badN += tc.Packets
		}
	}
	if len(bad) == 0 {
		return
	}
	sev := Info
	switch {
	case badN*2 >= total:
		sev = Error
	case badN*10 >= total:
		sev = Warning
	}
	d.add(Finding{Code: CodeCodecMismatch, Severity: sev, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3264 §5.1, §6.1; RFC 3551 §6",
		Summary: d.concat("RTP ", name, " carries payload type ", strings.Join(bad, ", "), " (", strconv.Itoa(badN), " of ", strconv.Itoa(total),
			" packets), which ", st.Dst.String(), "'s description (", strings.Join(far.codecs, ", "), ") does not list"),
		Explanation: "A side may send only the formats the other listed in its session description. The receiver does not know " +
			"how to decode payload type " + strings.Join(bad, ", ") + " and drops those packets; when they are the audio itself, " +
			"that direction is silent. Usually the sender ignored the answer and kept its own first codec, a re-INVITE changed " +
			"the codecs and one side did not follow, or a gateway sends its own events (fax tones as Cisco NSE) unasked."})
}

// listedAt returns the payload types every description of the call that
// names a receives at lists for it.
func (d *diag) listedAt(a netip.AddrPort) []string {
	out := []string{}
	for _, mi := range d.c.Msgs {
		m := d.s.Msg(int(mi))
		if m.Has(session.FlagRetransmission) {
			continue
		}
		ms, ok := sessionDesc(m)
		if !ok {
			continue
		}
		for i := range ms {
			if netip.AddrPortFrom(ms[i].addr.Unmap(), uint16(ms[i].port)) == a {
				out = append(out, ms[i].pts()...)
			}
		}
	}
	return out
}

// addressMismatch reports a stream leaving from another address or port
// than its sender's description gave, or sent elsewhere than the
// receiver's: RFC 4961's symmetric RTP is what NATs and firewalls
// expect. Info when the SDP named a private address (nat-private-sdp
// says why), a warning otherwise.
func (d *diag) addressMismatch(p plan, st *session.Stream, ownAt, farAt netip.AddrPort, name string) {
	var what string
	switch {
	case st.Src != ownAt:
		what = d.concat("RTP ", name, " leaves from ", st.Src.String(), ", not from ", ownAt.String(), " as its session description says")
	case st.Dst != farAt:
		what = d.concat("RTP ", name, " is sent to ", st.Dst.String(), ", not to ", farAt.String(), " as the other side's description says")
	default:
		return
	}
	sev := Warning
	if session.Private(ownAt.Addr()) || session.Private(farAt.Addr()) {
		sev = Info
	}
	d.add(Finding{Code: CodeMediaAddressMismatch, Severity: sev, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 4961 §4; RFC 3264 §5",
		Summary: what,
		Explanation: "The media does not use the addresses the session descriptions gave. A NAT or a media relay rewrites " +
			"them, or the phone sends from another port than it receives on (not symmetric RTP, RFC 4961). A far end that " +
			"sends to the address in the SDP then misses a NAT's pinhole: one-way audio. Turn on symmetric RTP (rtp_symmetric, " +
			"comedia) on the far end, or make the sender send and receive on one port."})
}

// dtmfInfo reports DTMF sent as SIP INFO in a call whose offer and answer
// both negotiated RFC 4733 telephone-events: the far end may listen for
// only one of the two. A warning when an INFO was refused or never
// answered; info when the far end took every one (a 2xx: RFC 6086 §4.2.2).
func (d *diag) dtmfInfo(p plan) {
	if !hasEvents(p.offer) || !hasEvents(p.answer) {
		return
	}
	var first *session.Message
	var ct string
	n, refused := 0, 0
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		if tx.Method != "INFO" || tx.Request < 0 {
			continue
		}
		m := d.s.Msg(int(tx.Request))
		c := strings.ToLower(strings.Join(m.Header("Content-Type"), ","))
		if !strings.Contains(c, "dtmf") {
			continue
		}
		if first == nil {
			first, ct = m, c
		}
		n++
		if tx.Final < 200 || tx.Final >= 300 {
			refused++
		}
	}
	if first == nil {
		return
	}
	f := Finding{Code: CodeDTMFMismatch, Severity: Info, Messages: d.idx(p.a.req, p.a.final, first), RFC: "RFC 4733 §2; RFC 6086",
		Summary: d.concat(strconv.Itoa(n), " DTMF digit(s) sent as SIP INFO (", ct, ") though both sides negotiated telephone-event"),
		Explanation: "The offer and the answer both list telephone-event (RFC 4733), so digits are expected in the RTP, " +
			"yet this side sends them in INFO requests. A far end that listens only to the RTP events (most IVRs and " +
			"gateways) hears no digit. Set both sides to the same DTMF mode: RFC 2833/4733 unless the service asks for INFO."}
	if refused > 0 {
		f.Severity = Warning
		f.Summary = d.concat(f.Summary, "; ", strconv.Itoa(refused), " of them refused or unanswered")
	} else {
		f.Summary = d.concat(f.Summary, "; the far end accepted each")
	}
	d.add(f)
}

// isEvents reports a payload type whose packets all have the size of
// RFC 4733 events (dynamic types only: a static codec is audio).
func isEvents(tc session.TypeCount) bool {
	return tc.PT >= 96 && tc.Events == tc.Packets && tc.Packets > 0
}

// dtmfEvents reports RFC 4733 events sent in a call whose offer and
// answer did not both list telephone-event (RFC 4733 §7.1.1: the events
// are sent only when negotiated): the far end may drop them as an
// unknown payload type, and the digit is lost.
func (d *diag) dtmfEvents(p plan, st *session.Stream, name string) {
	if hasEvents(p.offer) && hasEvents(p.answer) || d.eventsNegotiated() {
		return
	}
	sm := st.Stats()
	n, pt := 0, -1
	for _, tc := range st.Types {
		if isEvents(tc) || (len(sm.DTMF) > 0 && tc.Events > 0) {
			n, pt = n+tc.Packets, int(tc.PT)
		}
	}
	if n == 0 {
		return
	}
	missing := "both the offer and the answer"
	switch {
	case hasEvents(p.offer):
		missing = "the answer"
	case hasEvents(p.answer):
		missing = "the offer"
	}
	d.add(Finding{Code: CodeDTMFMismatch, Severity: Warning, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 4733 §2, §7.1.1",
		Summary: d.concat("RTP ", name, " carries ", strconv.Itoa(n), " RFC 4733 event packets (payload type ", strconv.Itoa(pt),
			") but telephone-event is missing from ", missing),
		Explanation: "Digits travel as RFC 4733 events only when both session descriptions list telephone-event; here " +
			missing + " does not, so the receiver may drop these packets as an unknown payload type and never see the digit. " +
			"Set both sides to the same DTMF mode: enable RFC 2833/4733 on the side that left it out, or switch the sender " +
			"to SIP INFO or in-band tones as the other side expects."})
}

// eventsNegotiated reports whether any offer/answer of the call listed
// telephone-event on both sides (a re-INVITE may leave it out while the
// events of the first exchange go on).
func (d *diag) eventsNegotiated() bool {
	for _, p := range d.exchanges {
		if hasEvents(p.offer) && hasEvents(p.answer) {
			return true
		}
	}
	return false
}

func hasEvents(m mline) bool {
	for _, c := range m.codecs {
		if strings.Contains(strings.ToLower(c), "telephone-event/") {
			return true
		}
	}
	return false
}

func (d *diag) lossLimit() float64 {
	if d.opt.MediaLoss > 0 {
		return d.opt.MediaLoss
	}
	return defaultMediaLoss
}

func (d *diag) jitterLimit() float64 {
	if d.opt.MediaJitter > 0 {
		return d.opt.MediaJitter
	}
	return defaultMediaJitter
}
