package capture

import "bytes"

// Limits that keep a broken or hostile stream from holding memory. sngrep
// drops messages over 10 KB; these are far above any real SIP message.
const (
	maxStartLine  = 8 << 10
	maxHeaderSize = 256 << 10
	maxBodySize   = 16 << 20
)

// isTokenChar reports RFC 3261 §25.1 token characters.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '!', '%', '*', '_', '+', '`', '\'', '~':
		return true
	}
	return false
}

// IsSIPStart reports whether b starts with a SIP start line (RFC 3261
// §7.1, §7.2): "SIP/2.0 NNN …" or "METHOD Request-URI SIP/2.0". The
// version is compared without regard to case, as §7.1 allows. Any token
// is a method: extension and misspelt methods are still SIP messages. The
// line ends at the first CR or LF, as Wireshark's line reader has it, and
// may not hold control characters.
func IsSIPStart(b []byte) bool {
	if len(b) < 12 || !isLetter(b[0]) {
		return false // fast path for RTP and other binary payloads
	}
	end := lineEnd(b)
	if end < 0 {
		return false
	}
	line := b[:end]
	return isStatusLine(line) || isRequestLine(line)
}

// lineEnd returns the length of the first line of b (up to CR or LF, or
// all of b), or -1 when it holds a control character or exceeds
// maxStartLine.
func lineEnd(b []byte) int {
	for i, c := range b {
		switch {
		case c == '\r' || c == '\n':
			return i
		case c < 0x20 && c != '\t' || c == 0x7f:
			return -1
		case i >= maxStartLine:
			return -1
		}
	}
	return len(b)
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isStatusLine(l []byte) bool {
	return len(l) >= 11 && hasPrefixFold(l, "SIP/2.0 ") &&
		isDigit(l[8]) && isDigit(l[9]) && isDigit(l[10]) && (len(l) == 11 || l[11] == ' ')
}

func isRequestLine(l []byte) bool {
	sp1 := bytes.IndexByte(l, ' ')
	if sp1 < 1 || len(l) < sp1+10 || !hasSuffixFold(l, " SIP/2.0") {
		return false
	}
	for _, c := range l[:sp1] {
		if !isTokenChar(c) {
			return false
		}
	}
	uri := l[sp1+1 : len(l)-8]
	return len(uri) > 0 && bytes.IndexByte(uri, ' ') < 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i]|0x20 != p[i]|0x20 {
			return false
		}
	}
	return true
}

func hasSuffixFold(b []byte, s string) bool {
	return len(b) >= len(s) && hasPrefixFold(b[len(b)-len(s):], s)
}

// skipCRLF drops the CRLF keep-alives of RFC 5626 §3.5.1 (and bare LFs)
// that may precede a message on a connection or fill a datagram.
func skipCRLF(b []byte) []byte {
	i := 0
	for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return b[i:]
}

// findStart returns the offset of the first line in b, at or after the
// first, that is a SIP start line; -1 if none is complete yet.
func findStart(b []byte) int {
	for off := 0; off < len(b); {
		if IsSIPStart(b[off:]) {
			return off
		}
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return -1
}

// frameStatus is what frameMessage found at the start of a stream buffer.
type frameStatus uint8

const (
	frameOK       frameStatus = iota
	frameNeedMore             // the message is not complete yet
	frameTooLarge             // header block or body beyond the limits
)

// frameMessage finds the end of the SIP message that starts b (b starts
// with a start line). On a stream the body is framed by Content-Length,
// which RFC 3261 §18.3 makes mandatory there; absent, the body is empty.
// Header blocks ending in LF LF (no CR) are accepted: real stacks send them.
func frameMessage(b []byte) (int, frameStatus) {
	return frameFrom(b, &frameScan{})
}

// frameScan is what framing already knows of the message at the start of
// a stream buffer that is not complete yet, so that each new segment
// costs its own bytes, not the whole buffer again.
type frameScan struct {
	noEnd  int // the first noEnd bytes hold no end of the header block
	hdrEnd int // the header block's end, once found (0: not yet)
}

// frameFrom is frameMessage resuming from sc, which it updates.
func frameFrom(b []byte, sc *frameScan) (int, frameStatus) {
	hdrEnd, ok := sc.hdrEnd, sc.hdrEnd > 0
	if !ok {
		// "\r\n\r\n" may straddle what was scanned and what came since.
		if hdrEnd, ok = headerEndFrom(b, max(0, sc.noEnd-3)); ok {
			sc.hdrEnd = hdrEnd
		} else {
			sc.noEnd = len(b)
		}
	}
	if !ok {
		if len(b) > maxHeaderSize {
			return 0, frameTooLarge
		}
		return 0, frameNeedMore
	}
	cl, _ := ContentLength(b[:hdrEnd])
	if cl > maxBodySize {
		return 0, frameTooLarge
	}
	if len(b) < hdrEnd+cl {
		return 0, frameNeedMore
	}
	return hdrEnd + cl, frameOK
}

// headerEnd returns the offset just past the empty line that ends the
// header block.
func headerEnd(b []byte) (int, bool) { return headerEndFrom(b, 0) }

// headerEndFrom is headerEnd looking from offset from on (the bytes before
// it hold no empty line).
func headerEndFrom(b []byte, from int) (int, bool) {
	for i := from; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return 0, false
		}
		i += j + 1
		if i < len(b) && b[i] == '\n' {
			return i + 1, true
		}
		if i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n' {
			return i + 2, true
		}
	}
}

// ContentLength reads the Content-Length (compact form "l", RFC 3261
// §20.14) from a header block. It returns 0, false when there is none or
// it is not a number.
func ContentLength(hdr []byte) (int, bool) {
	for len(hdr) > 0 {
		i := bytes.IndexByte(hdr, '\n')
		line := hdr
		if i >= 0 {
			line, hdr = hdr[:i], hdr[i+1:]
		} else {
			hdr = nil
		}
		c := bytes.IndexByte(line, ':')
		if c < 1 {
			continue
		}
		name := bytes.TrimRight(line[:c], " \t")
		if !(len(name) == 1 && name[0]|0x20 == 'l') && !equalFold(name, "content-length") {
			continue
		}
		return parseUint(bytes.TrimSpace(line[c+1:]))
	}
	return 0, false
}

func parseUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func equalFold(b []byte, s string) bool {
	return len(b) == len(s) && hasPrefixFold(b, s)
}
