// Package sipstart recognises the start of a SIP message (RFC 3261 §7.1,
// §7.2). It is a leaf package so that the capture decoders (HEP,
// WebSocket) and the stream parser share one definition.
//
// It imports nothing of sipdbg.
package sipstart

// Prefix reports whether p starts with a SIP start line (RFC 3261
// §7.1, §7.2): "SIP/2.0 " and a status digit, or a method token, one SP
// and a Request-URI with a scheme SIP traffic uses. It only looks at the
// first few dozen bytes; HEP v1/v2 detection relies on it because that
// format has no magic.
func Prefix(p []byte) bool {
	const status = "SIP/2.0 "
	if len(p) > len(status) && string(p[:len(status)]) == status {
		return p[len(status)] >= '1' && p[len(status)] <= '6'
	}
	i := methodLen(p)
	if i == 0 || i >= len(p) || p[i] != ' ' {
		return false
	}
	return hasURIScheme(p[i+1:])
}

// methodLen returns the length of the method token at the start of p, or
// 0 if there is none. Methods are RFC 3261 §25.1 tokens; every registered
// one is upper case, and requiring a leading upper-case letter keeps
// binary noise out.
func methodLen(p []byte) int {
	const maxMethod = 32
	if len(p) == 0 || p[0] < 'A' || p[0] > 'Z' {
		return 0
	}
	i := 1
	for i < len(p) && i <= maxMethod && isTokenChar(p[i]) {
		i++
	}
	if i > maxMethod {
		return 0
	}
	return i
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '!', '%', '*', '_', '+', '`', '\'', '~':
		return true
	}
	return false
}

// hasURIScheme reports whether p starts with a Request-URI scheme seen in
// SIP (RFC 3261 §19.1 sip/sips, RFC 3966 tel, RFC 5031 urn, RFC 3860 im,
// RFC 3859 pres), compared case-insensitively (RFC 3986 §3.1). Other
// absolute URIs are legal but "GET http:" must not pass for SIP.
func hasURIScheme(p []byte) bool {
	var s [4]byte
	n := 0
	for ; n < len(p) && p[n] != ':'; n++ {
		if n == len(s) {
			return false
		}
		c := p[n]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		s[n] = c
	}
	if n == len(p) {
		return false
	}
	switch string(s[:n]) {
	case "sip", "sips", "tel", "urn", "im", "pres":
		return true
	}
	return false
}
