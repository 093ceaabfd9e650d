package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// This file words calls that failed on their session descriptions: a
// 488 or 606 to the offer, or an answer that refuses every stream.

// codecs reports each INVITE refused for its media, and each 2xx answer
// that refuses every stream of the offer (RFC 3264 §6: port 0).
func (d *diag) codecs(as []*attempt) {
	for _, a := range as {
		if a.tx.Method != "INVITE" || a.req == nil {
			continue
		}
		switch {
		case a.tx.Final == 488 || a.tx.Final == 606:
			a.end(d.s)
			if a.final != nil && innermost(as, a) {
				f := d.fNoCommonCodec(a, a.final, nil)
				if d.srtpRefused(a) {
					// The callee refused the profile, whatever the codecs
					// (srtp-mismatch says it): the codec list is context.
					f.Severity = Info
				}
				d.add(f)
			}
		case a.tx.Final >= 200 && a.tx.Final < 300:
			a.end(d.s)
			if a.final != nil && a.final.SDPRefused() { // read while loading: no page of the answer is read again
				ans, _ := sessionDesc(a.final)
				d.add(d.fNoCommonCodec(a, a.final, ans))
			}
		}
	}
}

// innermost reports whether a is the hop nearest the element that made
// its final response: among the attempts of its method and CSeq that got
// the same final, the one whose request was sent last (each proxy on the
// path relays the refusal, and the hop before says it again).
func innermost(as []*attempt, a *attempt) bool {
	for _, o := range as {
		if o != a && o.req != nil && o.tx.Method == a.tx.Method && o.tx.CSeq == a.tx.CSeq && o.tx.Final == a.tx.Final &&
			o.req.TimeNs > a.req.TimeNs {
			return false
		}
	}
	return true
}

// coveredByCodec reports whether a final is one codecs words.
func coveredByCodec(status uint16) bool { return status == 488 || status == 606 }

func (d *diag) fNoCommonCodec(a *attempt, final *session.Message, answer []mline) Finding {
	offer, ok := sessionDesc(a.req)
	var b strings.Builder
	if a.req.ToTag() != "" {
		b.WriteString("re-INVITE") // within the call: the call goes on with its earlier media
	} else {
		b.WriteString(a.tx.Method)
	}
	if final.Status < 300 {
		b.WriteString(" answered with every stream refused (port 0)")
	} else {
		b.WriteString(" refused with " + d.statusText(final))
	}
	b.WriteString(" by " + final.Src().String())
	expl := "The callee found nothing in the offer it can use: no payload type in common (RFC 3264 §6), or a transport " +
		"profile it does not do. "
	switch {
	case !ok:
		b.WriteString("; the INVITE carried no offer (it may be in the 2xx: late offer)")
	default:
		b.WriteString("; offered: " + codecNames(offer))
		for _, x := range offer {
			if strings.Contains(x.proto, "SAVP") {
				b.WriteString(" over " + x.proto + " (SRTP)")
				expl += "The offer asks for SRTP (" + x.proto + "): a callee without SRTP, or one that requires plain RTP/AVP, " +
					"refuses it even with a codec in common; make both sides agree on media encryption. "
				break
			}
		}
	}
	if w := final.RefusalHeader("warning"); w != "" {
		b.WriteString("; Warning: " + w)
		expl += "The Warning header gives the callee's reason (304 media type not available, 305 incompatible media format, " +
			"RFC 3261 §20.43). "
	}
	if ans, ok := sessionDesc(final); ok && final.Status >= 300 && len(ans) > 0 {
		b.WriteString("; the callee supports: " + codecNames(ans))
	}
	expl += "Enable a common codec on both sides (G.711 PCMU/PCMA is the one nearly everything has), or let the element in the " +
		"middle transcode. Compare the offer's m= and a=rtpmap lines with the codec list of the callee's account or trunk."
	sev := Error
	if a.req.ToTag() != "" {
		sev = Warning // a refused re-INVITE leaves the call on its earlier media (RFC 3261 §14.1): the change failed, not the call
	}
	return Finding{Code: CodeNoCommonCodec, Severity: sev, Messages: d.idx(a.req, final), RFC: "RFC 3264 §6; RFC 3261 §21.4.26",
		Summary: d.sc.text([]byte(b.String())), Explanation: expl}
}

// srtpRefused reports an offer of secure RTP only (every audio stream
// RTP/SAVP or SAVPF, RFC 3711 §12, RFC 5124) refused with 488 or 606: a
// callee without SRTP refuses it whatever the codecs (RFC 3264 §6: it
// cannot answer with another profile), so the security profile, not
// the codec, is what to change. It reports whether it said so.
func (d *diag) srtpRefused(a *attempt) bool {
	offer, ok := sessionDesc(a.req)
	if !ok {
		return false
	}
	audio := 0
	for i := range offer {
		if offer[i].kind != "audio" || offer[i].port == 0 {
			continue
		}
		if !offer[i].srtp() {
			return false // a plain RTP stream was offered too
		}
		audio++
	}
	if audio == 0 {
		return false
	}
	d.add(Finding{Code: CodeSRTPMismatch, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3264 §6; RFC 3711 §12",
		Summary: d.concat("the offer requires secure RTP (", offer[0].proto, ") and ", a.final.Src().Addr().String(), " refused it with ",
			d.statusText(a.final)),
		Explanation: "Every audio stream of the offer is RTP/SAVP (SRTP, RFC 3711), and an answer cannot accept it as plain RTP " +
			"(RFC 3264 §6): a callee without SRTP, or one that expects another way of keying (SDES a=crypto vs DTLS-SRTP), " +
			"refuses the whole offer with 488 even when the codecs match. Make the caller's SRTP optional (offer RTP/AVP with " +
			"a=crypto, or best-effort SRTP), or turn SRTP on at the callee."})
	return true
}
