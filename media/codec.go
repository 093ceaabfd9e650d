package media

import (
	"strconv"
	"strings"
)

// Codec is what a payload type stands for: its encoding name and the
// RTP clock rate its timestamps count in.
type Codec struct {
	Name  string
	Clock int // Hz; 0 when unknown
}

// static holds the payload types RFC 3551 §6 assigns (table 4 for audio,
// table 5 for video), including 13 (CN, RFC 3389) and the reserved 19
// that old endpoints used for comfort noise. The clock of G722 is 8000
// although it samples at 16 kHz: RFC 3551 §4.5.2 keeps the historical
// value, and timestamps advance by 160 per 20 ms frame.
var static = [...]Codec{
	0:  {"PCMU", 8000},
	3:  {"GSM", 8000},
	4:  {"G723", 8000},
	5:  {"DVI4", 8000},
	6:  {"DVI4", 16000},
	7:  {"LPC", 8000},
	8:  {"PCMA", 8000},
	9:  {"G722", 8000},
	10: {"L16", 44100},
	11: {"L16", 44100},
	12: {"QCELP", 8000},
	13: {"CN", 8000},
	14: {"MPA", 90000},
	15: {"G728", 8000},
	16: {"DVI4", 11025},
	17: {"DVI4", 22050},
	18: {"G729", 8000},
	19: {"CN", 8000},
	25: {"CelB", 90000},
	26: {"JPEG", 90000},
	28: {"nv", 90000},
	31: {"H261", 90000},
	32: {"MPV", 90000},
	33: {"MP2T", 90000},
	34: {"H263", 90000},
}

// StaticCodec returns the codec of a payload type that RFC 3551 §6
// assigns statically, and false for a dynamic (96–127), unassigned or
// reserved one.
func StaticCodec(pt uint8) (Codec, bool) {
	if int(pt) >= len(static) || static[pt].Name == "" {
		return Codec{}, false
	}
	return static[pt], true
}

// ParseRtpmap reads the text of an SDP a=rtpmap attribute after the
// payload type, "<encoding name>/<clock rate>[/<channels>]" (RFC 8866
// §6.6), e.g. "opus/48000/2" or "telephone-event/8000". The clock of
// opus is 48000 whatever the SDP says (RFC 7587 §4.1: the RTP clock is
// fixed at 48 kHz whatever rate the codec runs at).
func ParseRtpmap(rtpmap string) (Codec, bool) {
	name, rest, ok := strings.Cut(strings.TrimSpace(rtpmap), "/")
	if !ok || name == "" {
		return Codec{}, false
	}
	rate, _, _ := strings.Cut(rest, "/")
	hz, err := strconv.Atoi(strings.TrimSpace(rate))
	if err != nil || hz <= 0 {
		return Codec{}, false
	}
	if strings.EqualFold(name, "opus") {
		hz = 48000
	}
	return Codec{Name: name, Clock: hz}, true
}

// ClockRate gives the RTP clock rate of payload type pt: the static
// assignment of RFC 3551 §6 when there is one, else the rate in the
// SDP's rtpmap text for it (empty when there is none). It returns 0
// when neither tells, and the caller then has no jitter to compute.
// A static type wins over an rtpmap, as RFC 3551 §6 fixes those rates.
func ClockRate(pt uint8, rtpmap string) int {
	if c, ok := StaticCodec(pt); ok {
		return c.Clock
	}
	if c, ok := ParseRtpmap(rtpmap); ok {
		return c.Clock
	}
	return 0
}

// IsTelephoneEvent reports whether an rtpmap names RFC 4733's
// telephone-event payload format (§7.1.1 registers the name).
func IsTelephoneEvent(rtpmap string) bool {
	c, ok := ParseRtpmap(rtpmap)
	return ok && strings.EqualFold(c.Name, "telephone-event")
}

// isComfortNoise reports whether pt is comfort noise (RFC 3389 §4: PT
// 13; 19 was its reserved predecessor, RFC 3551 §6 table 4 note).
func isComfortNoise(pt uint8) bool { return pt == 13 || pt == 19 }
