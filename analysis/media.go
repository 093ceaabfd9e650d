package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

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
// the 2xx (RFC 3264 §5.1 lets the offerer send once it has the answer).
const mediaWindow = 2e9

// Default thresholds (Options.MediaLoss, Options.MediaJitter): above 3%
// loss G.711 with packet loss concealment drops under MOS 3.6 (ITU-T
// G.113 Appendix I, Bpl 25.1); 30 ms mean interarrival jitter is the
// common alarm level (RFC 3550 §6.4.1 jitter, in ms of the codec clock).
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
	ps := d.plans(as)
	if len(ps) == 0 {
		return
	}
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
	return sm.First.UnixNano() < p.to && sm.Last.UnixNano() > p.from+min(5e8, (p.to-p.from)/4)
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
	if sm.MeanJitter > d.jitterLimit() {
		d.add(Finding{Code: CodeMediaJitter, Severity: Warning, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 3550 §6.4.1, A.8",
			Summary: d.concat("RTP ", name, " (", st.Codec, ") jitter ", fmt.Sprintf("%.1f ms mean, %.1f ms max", sm.MeanJitter, sm.MaxJitter)),
			Explanation: "The interarrival jitter (RFC 3550 §6.4.1) of this stream is above " + strconv.FormatFloat(d.jitterLimit(), 'f', 0, 64) +
				" ms: a jitter buffer sized for it adds that much delay, and a smaller one drops late packets, heard as loss. " +
				"Look for congestion or bufferbloat on the path from " + st.Src.Addr().String() + ", and queueing that does not " +
				"prioritise RTP."})
	}
	d.codecMismatch(p, st, far, name)
	d.addressMismatch(p, st, ownAt, farAt, name)
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
		if tc.PT == 13 || slices.Contains(far.pts(), s) {
			continue
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
