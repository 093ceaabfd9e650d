package ws

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// The opening handshake (RFC 6455 §4.1, §4.2.2) is an HTTP/1.1 GET with
// "Upgrade: websocket" from the client and a "101 Switching Protocols"
// response from the server; frames follow the blank line ending each
// header block.
const (
	reqPrefix  = "GET "
	respPrefix = "HTTP/1.1 101"
	// maxHTTPHeader bounds the header block the Reader skips and
	// IsHandshake scans; real upgrade requests are well under 8 KiB.
	maxHTTPHeader = 64 << 10
)

// detect decides, from the first bytes of the stream, whether it opens
// with a handshake. Bytes that could still be a handshake prefix are kept
// in r.pre; neither prefix can start a valid frame (both first bytes have
// RSV1 set), so the decision is never ambiguous.
func (r *Reader) detect(b []byte) []byte {
	for i, c := range b {
		switch matchStart(r.pre[:r.npre], c) {
		case startPartial:
			r.pre[r.npre] = c
			r.npre++
		case startFull:
			r.phase, r.lineText, r.httpLen, r.npre = phaseHTTP, true, r.npre+1, 0
			return b[i+1:]
		default:
			// Not a handshake: what was held back is frame data.
			r.phase = phaseFrames
			r.buf = append(r.buf, r.pre[:r.npre]...)
			r.npre = 0
			return b[i:]
		}
	}
	return nil
}

type startMatch uint8

const (
	startNone startMatch = iota
	startPartial
	startFull
)

// matchStart reports whether seen+c is a prefix of, or completes, one of
// the handshake start lines.
func matchStart(seen []byte, c byte) startMatch {
	for _, lit := range [...]string{reqPrefix, respPrefix} {
		n := len(seen)
		if n >= len(lit) || string(seen) != lit[:n] || lit[n] != c {
			continue
		}
		if n+1 == len(lit) {
			return startFull
		}
		return startPartial
	}
	return startNone
}

// skipHTTP consumes the handshake header block through its blank line.
// A bare LF is accepted as a line end, as RFC 9112 §2.2 lets recipients do.
func (r *Reader) skipHTTP(b []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			r.lineText = r.lineText || hasText(b)
			return nil, r.countHTTP(len(b))
		}
		if err := r.countHTTP(i + 1); err != nil {
			return nil, err
		}
		blank := !r.lineText && !hasText(b[:i])
		r.lineText = false
		b = b[i+1:]
		if blank {
			r.phase = phaseFrames
			return b, nil
		}
	}
}

func (r *Reader) countHTTP(n int) error {
	r.httpLen += n
	if r.httpLen > maxHTTPHeader {
		return &Error{Kind: ErrProtocol, code: codeHTTPTooLong, Len: maxHTTPHeader}
	}
	return nil
}

// hasText reports whether a line fragment holds anything but CR.
func hasText(p []byte) bool {
	for _, c := range p {
		if c != '\r' {
			return true
		}
	}
	return false
}

// IsHandshake reports whether b starts an HTTP WebSocket upgrade request
// ("GET " with an "Upgrade: websocket" header, names and value compared
// case-insensitively, RFC 6455 §4.1) or an "HTTP/1.1 101" response
// (§4.2.2): used to decide that a TCP connection carries WebSocket. It
// returns (false, false) when b is too short to tell and (isWS, true) once
// decided. A request is decided as soon as its Upgrade header line is
// complete, or at the end of its header block.
func IsHandshake(b []byte) (isWS bool, decided bool) {
	switch {
	case bytes.HasPrefix(b, []byte(respPrefix)):
		return true, true
	case len(b) < len(respPrefix) && bytes.HasPrefix([]byte(respPrefix), b):
		return false, false
	case len(b) < len(reqPrefix) && bytes.HasPrefix([]byte(reqPrefix), b):
		return false, false
	case !bytes.HasPrefix(b, []byte(reqPrefix)):
		return false, true
	}
	return scanUpgrade(b)
}

// scanUpgrade looks for the Upgrade header in the request's header lines,
// within the first maxHTTPHeader bytes.
func scanUpgrade(b []byte) (bool, bool) {
	capped := len(b) >= maxHTTPHeader
	if capped {
		b = b[:maxHTTPHeader]
	}
	i := bytes.IndexByte(b, '\n') // end of the request line
	for i >= 0 {
		b = b[i+1:]
		if i = bytes.IndexByte(b, '\n'); i < 0 {
			break
		}
		line := bytes.TrimSuffix(b[:i], []byte("\r"))
		if len(line) == 0 {
			return false, true // end of the header block: no upgrade
		}
		if v, ok := headerValue(line, "upgrade"); ok {
			return containsFold(v, "websocket"), true
		}
	}
	return false, capped
}

// headerValue returns the value of a "Name: value" line if its name is
// name (lower case), compared case-insensitively (RFC 9110 §5.1).
func headerValue(line []byte, name string) ([]byte, bool) {
	if len(line) <= len(name) || line[len(name)] != ':' || !siplex.EqualFold(line[:len(name)], name) {
		return nil, false
	}
	return line[len(name)+1:], true
}

// containsFold reports whether b contains lower, ignoring ASCII case.
func containsFold(b []byte, lower string) bool {
	for i := 0; i+len(lower) <= len(b); i++ {
		if siplex.EqualFold(b[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}
