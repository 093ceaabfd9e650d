package capture

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// Limits that keep a broken or hostile stream from holding memory. sngrep
// drops messages over 10 KB; these are far above any real SIP message. A
// start line is capped at siplex.MaxStartLine.
const (
	maxHeaderSize = 256 << 10
	maxBodySize   = 16 << 20
)

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
		if siplex.IsStart(b[off:]) {
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
	if sc.noEnd > len(b) || sc.hdrEnd > len(b) {
		*sc = frameScan{} // of a longer buffer than b: not of this message, so scan it afresh
	}
	hdrEnd, ok := sc.hdrEnd, sc.hdrEnd > 0
	if !ok {
		// "\r\n\r\n" may straddle what was scanned and what came since.
		if hdrEnd, ok = siplex.HeaderEnd(b, max(0, sc.noEnd-3)); ok {
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

// ContentLength reads the Content-Length (compact form "l", RFC 3261
// §20.14) from a header block: the value of the first line so named,
// whichever line it is (the start line, past an empty line, a
// continuation line are all read as lines of their own). It returns 0,
// false when there is none or it is not a number.
func ContentLength(hdr []byte) (int, bool) {
	for pos := 0; pos < len(hdr); {
		var line []byte
		line, pos = siplex.Line(hdr, pos)
		if name, value, ok := siplex.Field(line); ok && isContentLength(name) {
			return siplex.Uint(value)
		}
	}
	return 0, false
}

// isContentLength matches the name of a Content-Length header, long or
// compact (RFC 3261 §7.3.3).
func isContentLength(name []byte) bool {
	if len(name) == 1 {
		return siplex.Is(name, siplex.ContentLength)
	}
	return siplex.EqualFold(name, "content-length")
}
