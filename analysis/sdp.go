package analysis

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// A session description (RFC 4566) is read here, line by line, for the
// little the failure and NAT findings need: each m= line, its c= address
// and its a=rtpmap names. pion/sdp was tried first: it refuses media
// types other than WebRTC's (m=image for T.38 fax, RFC 6466, fails with
// "invalid value"), and a fax call refused with 488 is exactly one to
// explain. The grammar of these three lines is simple (§5.7, §5.14, §6),
// and FuzzSessionDesc holds the reader to it.

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
	if m == nil || len(m.Body()) == 0 || !isSDP(m) {
		return nil, false
	}
	ms := parseSDP(string(m.Body()))
	return ms, len(ms) > 0
}

// parseSDP reads the m=, c= and a=rtpmap lines of an SDP body. A line it
// cannot read is skipped: what could be read is kept.
func parseSDP(body string) []media {
	var (
		out     []media
		top     netip.Addr
		rtpmaps [][]string // per m= line: "PT name/rate"
	)
	for len(body) > 0 {
		line, rest, _ := strings.Cut(body, "\n")
		body = rest
		line = strings.TrimRight(line, "\r")
		if len(line) < 2 || line[1] != '=' {
			continue
		}
		v := line[2:]
		switch line[0] {
		case 'c': // c=<nettype> <addrtype> <connection-address>[/ttl][/n]
			f := strings.Fields(v)
			if len(f) < 3 {
				continue
			}
			host, _, _ := strings.Cut(f[2], "/")
			a, err := netip.ParseAddr(host)
			if err != nil {
				continue
			}
			if len(out) == 0 {
				top = a
			} else {
				out[len(out)-1].addr = a
			}
		case 'm': // m=<media> <port>[/<number>] <proto> <fmt> ...
			f := strings.Fields(v)
			if len(f) < 3 {
				continue
			}
			p, _, _ := strings.Cut(f[1], "/")
			port, err := strconv.Atoi(p)
			if err != nil || port < 0 || port > 65535 {
				continue
			}
			out = append(out, media{kind: f[0], port: port, proto: f[2], codecs: f[3:], addr: top})
			rtpmaps = append(rtpmaps, nil)
		case 'a':
			if len(out) == 0 || !strings.HasPrefix(v, "rtpmap:") {
				continue
			}
			rtpmaps[len(out)-1] = append(rtpmaps[len(out)-1], strings.TrimSpace(v[len("rtpmap:"):]))
		}
	}
	for i := range out {
		names := make([]string, len(out[i].codecs))
		for j, pt := range out[i].codecs {
			names[j] = codecName(rtpmaps[i], pt, strings.Contains(out[i].proto, "RTP"))
		}
		out[i].codecs = names
	}
	return out
}

// isSDP reports whether m's body is a session description: its
// Content-Type says so (c is its compact form, RFC 3261 §7.3.3).
func isSDP(m *session.Message) bool {
	ct := m.Header("Content-Type")
	if len(ct) == 0 {
		return false
	}
	t, _, _ := strings.Cut(ct[0], ";")
	return strings.EqualFold(strings.TrimSpace(t), "application/sdp")
}

// staticPT names the static RTP payload types of RFC 3551 §6 that SIP
// phones use.
var staticPT = map[string]string{"0": "PCMU/8000", "3": "GSM/8000", "4": "G723/8000", "8": "PCMA/8000", "9": "G722/8000",
	"13": "CN/8000", "18": "G729/8000", "34": "H263/90000"}

// codecName is "PT name/rate" from a=rtpmap, or the static name; a
// format of a profile that is not RTP (udptl t38) is itself.
func codecName(rtpmaps []string, pt string, rtp bool) string {
	if !rtp {
		return pt
	}
	for _, a := range rtpmaps {
		if n, rest, ok := strings.Cut(a, " "); ok && n == pt {
			return pt + " " + strings.TrimSpace(rest)
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

func portOf(n int) string { return strconv.Itoa(n) }
