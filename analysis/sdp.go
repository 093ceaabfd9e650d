package analysis

import (
	"net/netip"
	"strings"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/siplex"
)

// A session description (RFC 4566) is read through siplex.SDP, for the
// codecs of an offer that was refused (a rare read: loading kept the
// rest, see session's reach.go). pion/sdp was tried first: it refuses
// media types other than WebRTC's (m=image for T.38 fax, RFC 6466, fails
// with "invalid value"), and a fax call refused with 488 is exactly one
// to explain.

// media is one m= line of an SDP body as the findings read it.
type media struct {
	kind   string   // audio, video, image, …
	port   int      // 0: the stream is refused (RFC 3264 §6)
	proto  string   // RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl, …
	codecs []string // "PT name/rate" in the order offered (the format itself when it is not RTP)
	addr   netip.Addr
}

// sessionDesc returns the m= lines of m's SDP body, and whether it has
// one with at least one m= line.
func sessionDesc(m *session.Message) ([]media, bool) {
	if m == nil || !m.Has(session.FlagSDP) || len(m.Body()) == 0 { // FlagSDP: the indexer read Content-Type
		return nil, false
	}
	ms := parseSDP(string(m.Body()))
	return ms, len(ms) > 0
}

// parseSDP reads the m= lines of an SDP body with their codec names.
func parseSDP(body string) []media {
	var out []media
	siplex.SDP(body, func(x siplex.SDPMedia[string]) bool {
		m := media{kind: x.Kind, port: max(x.Port, 0), proto: x.Proto}
		m.addr, _ = netip.ParseAddr(x.Addr)
		rtp := strings.Contains(x.Proto, "RTP")
		for _, pt := range strings.Fields(x.Formats) {
			m.codecs = append(m.codecs, codecName(x.Attrs, pt, rtp))
		}
		out = append(out, m)
		return true
	})
	return out
}

// staticPT names the static RTP payload types of RFC 3551 §6 that SIP
// phones use.
var staticPT = map[string]string{"0": "PCMU/8000", "3": "GSM/8000", "4": "G723/8000", "8": "PCMA/8000", "9": "G722/8000",
	"13": "CN/8000", "18": "G729/8000", "34": "H263/90000"}

// codecName is "PT name/rate" from the media's a=rtpmap lines (RFC 4566
// §6), or the static name; a format of a profile that is not RTP (udptl
// t38) is itself.
func codecName(attrs, pt string, rtp bool) string {
	if !rtp {
		return pt
	}
	for attrs != "" {
		line, next := siplex.Line(attrs, 0)
		attrs = attrs[next:]
		if v, ok := strings.CutPrefix(line, "a=rtpmap:"); ok {
			if n, rest, ok := strings.Cut(v, " "); ok && n == pt {
				return pt + " " + strings.TrimSpace(rest)
			}
		}
		if next == 0 {
			break
		}
	}
	if n, ok := staticPT[pt]; ok {
		return pt + " " + n
	}
	return pt
}

// codecNames lists the codecs of the audio and video streams, without
// the payload types, for a summary: "PCMU/8000, telephone-event/8000".
func codecNames(ms []media) string {
	var names []string
	for _, x := range ms {
		for _, c := range x.codecs {
			_, n, ok := strings.Cut(c, " ")
			switch {
			case !ok && strings.Contains(x.proto, "RTP"):
				n = "PT " + c
			case !ok:
				n = c + " (" + x.kind + " over " + x.proto + ")"
			}
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}
