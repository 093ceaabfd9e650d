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

// The checks of one stream against the descriptions that set it up:
// loss and jitter past their limits (RFC 3550 §6.4.1), payload types the
// receiver did not list (RFC 3264 §5.1), and addresses other than the
// descriptions' (RFC 4961). media.go finds the streams of a call.

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
