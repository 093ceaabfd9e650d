package ws

import "github.com/sipdbg/sipdbg/siplex"

// LooksLikeFrame reports whether b plausibly starts a WebSocket data frame
// carrying SIP, for captures that begin after the handshake: a text or
// binary frame, with or without FIN (RFC 6455 §5.2), RSV bits clear, a
// length within MaxMessage, and an (unmasked) payload that starts with a
// SIP start line (RFC 7118 §5: each SIP message is one WebSocket message).
// b must hold the header and the start of the payload.
func LooksLikeFrame(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch b[0] {
	case 0x80 | opText, 0x80 | opBinary, opText, opBinary:
	default:
		return false
	}
	h, need, err := parseHeader(b)
	if err != nil || len(b) < h.hlen || h.hlen == 0 {
		return false
	}
	var start [48]byte
	n := min(need-h.hlen, len(b)-h.hlen, len(start))
	p := start[:n]
	if h.masked {
		unmask(p, b[h.hlen:h.hlen+n], h.key)
	} else {
		copy(p, b[h.hlen:])
	}
	return siplex.IsStartPrefix(p)
}
