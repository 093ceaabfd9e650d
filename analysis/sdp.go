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

// mline is one m= line of an SDP body as the findings read it.
type mline struct {
	kind   string   // audio, video, image, …
	port   int      // 0: the stream is refused (RFC 3264 §6)
	proto  string   // RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl, …
	codecs []string // "PT name/rate" in the order offered (the format itself when it is not RTP)
	addr   netip.Addr
	dir    string // sendrecv, sendonly, recvonly or inactive (RFC 4566 §6: the media's, else the session's, else sendrecv)
}

// sessionDesc returns the m= lines of m's SDP body, and whether it has
// one with at least one m= line.
func sessionDesc(m *session.Message) ([]mline, bool) {
	if m == nil || !m.Has(session.FlagSDP) || len(m.Body()) == 0 { // FlagSDP: the indexer read Content-Type
		return nil, false
	}
	ms := parseSDP(string(m.Body()))
	return ms, len(ms) > 0
}

// parseSDP reads the m= lines of an SDP body with their codec names.
func parseSDP(body string) []mline {
	var out []mline
	sessionDir := "sendrecv"
	if i := strings.Index(body, "\nm="); i >= 0 {
		sessionDir = direction(body[:i], sessionDir)
	}
	siplex.SDP(body, func(x siplex.SDPMedia[string]) bool {
		m := mline{kind: x.Kind, port: max(x.Port, 0), proto: x.Proto, dir: direction(x.Attrs, sessionDir)}
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
func codecNames(ms []mline) string {
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

// direction is the direction attribute among lines (RFC 4566 §6,
// RFC 3264 §5.1), or def when none is there.
func direction(lines, def string) string {
	for _, d := range [...]string{"sendonly", "recvonly", "inactive", "sendrecv"} {
		if strings.Contains(lines, "a="+d) {
			return d
		}
	}
	return def
}

// sends reports whether the side that wrote m means to send on it, and
// receives whether it means to receive.
func (m *mline) sends() bool    { return m.port > 0 && (m.dir == "sendrecv" || m.dir == "sendonly") }
func (m *mline) receives() bool { return m.port > 0 && (m.dir == "sendrecv" || m.dir == "recvonly") }

// srtp reports whether the profile is secure RTP (RFC 3711 §12: RTP/SAVP;
// RFC 5124: RTP/SAVPF; and their UDP/TLS forms, RFC 5764).
func (m *mline) srtp() bool { return strings.Contains(m.proto, "SAVP") }

// pts returns the payload types of the m= line.
func (m *mline) pts() []string {
	out := make([]string, 0, len(m.codecs))
	for _, c := range m.codecs {
		pt, _, _ := strings.Cut(c, " ")
		out = append(out, pt)
	}
	return out
}
