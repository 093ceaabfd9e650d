package siplex

// MaxStartLine caps a start line: a longer first line is no SIP start.
// sngrep drops messages over 10 KB; this is far above any real one, and
// keeps a scan for a start line from reading a hostile stream to its end.
const MaxStartLine = 8 << 10

// IsStart reports whether b starts with a SIP start line (RFC 3261 §7.1,
// §7.2): "SIP/2.0 NNN …" or "METHOD Request-URI SIP/2.0". The version is
// compared without regard to case, as §7.1 allows. Any token is a method:
// extension and misspelt methods are still SIP messages. The line ends at
// the first CR or LF, as Wireshark's line reader has it, and may not hold
// control characters. Framing decides with it where messages start.
func IsStart[T Text](b T) bool {
	if len(b) < 12 || !IsAlpha(b[0]) {
		return false // fast path for RTP and other binary payloads
	}
	end := startLineEnd(b)
	if end < 0 {
		return false
	}
	line := b[:end]
	return isStatusLine(line) || isRequestLine(line)
}

// startLineEnd returns the length of the first line of b (up to CR or LF,
// or all of b), or -1 when it holds a control character or exceeds
// MaxStartLine.
func startLineEnd[T Text](b T) int {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\r' || c == '\n':
			return i
		case c < 0x20 && c != '\t' || c == 0x7f:
			return -1
		case i >= MaxStartLine:
			return -1
		}
	}
	return len(b)
}

// isStatusLine: "SIP/2.0" SP 3DIGIT [SP Reason-Phrase] (§7.2).
func isStatusLine[T Text](l T) bool {
	return len(l) >= 11 && HasPrefixFold(l, "sip/2.0 ") &&
		IsDigit(l[8]) && IsDigit(l[9]) && IsDigit(l[10]) && (len(l) == 11 || l[11] == ' ')
}

// isRequestLine: Method SP Request-URI SP "SIP/2.0" (§7.1), the URI
// without spaces.
func isRequestLine[T Text](l T) bool {
	sp1 := indexByte(l, ' ')
	if sp1 < 1 || len(l) < sp1+10 || !HasSuffixFold(l, " sip/2.0") {
		return false
	}
	for i := 0; i < sp1; i++ {
		if !IsToken(l[i]) {
			return false
		}
	}
	uri := l[sp1+1 : len(l)-8]
	return len(uri) > 0 && indexByte(uri, ' ') < 0
}

// IsStartPrefix reports whether p starts like a SIP message (RFC 3261
// §7.1, §7.2): "SIP/2.0 " and a status digit 1 to 6, or a method token,
// one SP and a Request-URI with a scheme SIP traffic uses. Unlike IsStart
// it needs no complete line, only the first few dozen bytes: the HEP and
// WebSocket decoders see no more when they guess what a payload carries,
// and HEP v1/v2 detection relies on it because that format has no magic.
// The version is matched as written ("SIP/2.0"), the method must start
// with an upper-case letter: every registered one is upper case, and the
// test keeps binary noise out.
func IsStartPrefix[T Text](p T) bool {
	const status = "SIP/2.0 "
	if len(p) > len(status) && view(p[:len(status)]) == status {
		return p[len(status)] >= '1' && p[len(status)] <= '6'
	}
	i := methodLen(p)
	if i == 0 || i >= len(p) || p[i] != ' ' {
		return false
	}
	return hasURIScheme(p[i+1:])
}

// methodLen returns the length of the method token at the start of p, or
// 0 if there is none or it is longer than any real method.
func methodLen[T Text](p T) int {
	const maxMethod = 32
	if len(p) == 0 || p[0] < 'A' || p[0] > 'Z' {
		return 0
	}
	i := 1
	for i < len(p) && i <= maxMethod && IsToken(p[i]) {
		i++
	}
	if i > maxMethod {
		return 0
	}
	return i
}

// hasURIScheme reports whether p starts with a Request-URI scheme seen in
// SIP (RFC 3261 §19.1 sip/sips, RFC 3966 tel, RFC 5031 urn, RFC 3860 im,
// RFC 3859 pres), compared case-insensitively (RFC 3986 §3.1). Other
// absolute URIs are legal but "GET http:" must not pass for SIP.
func hasURIScheme[T Text](p T) bool {
	var s [4]byte
	n := 0
	for ; n < len(p) && p[n] != ':'; n++ {
		if n == len(s) {
			return false
		}
		s[n] = toLower(p[n])
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
