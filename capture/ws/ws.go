// Package ws extracts SIP messages from WebSocket streams (SIP over
// WebSocket, RFC 7118, framed per RFC 6455) as seen by a passive capture:
// it reads frames, it never writes any.
//
// One Reader follows one direction of one TCP connection. It copies only
// what it must: a frame that arrives whole in one Feed call and is not
// masked is handed to emit as a sub-slice of the caller's bytes; a masked
// frame is unmasked into a reused buffer (the caller's slice is never
// written); only frames split across Feed calls and fragmented messages
// are assembled in buffers of the Reader's own.
//
// It imports only siplex, for the start of a SIP message and the case
// folding of header names.
package ws

import "slices"

// MaxMessage caps a message (a single frame or a reassembled fragmented
// message). SIP messages are far smaller; the cap bounds what a corrupt
// or hostile length field can make the Reader buffer.
const MaxMessage = 1 << 20

// keepCap is the buffer capacity a Reader keeps between messages; larger
// buffers, grown for a rare large message, are released.
const keepCap = 64 << 10

type phase uint8

const (
	phaseStart  phase = iota // stream start: is there an HTTP handshake?
	phaseHTTP                // skipping the handshake header block
	phaseFrames              // reading frames
)

// Reader turns in-order stream bytes into WebSocket data messages. The
// zero value is ready to use at the start of a stream.
type Reader struct {
	phase    phase
	pre      [len(respPrefix)]byte // handshake prefix seen at stream start
	npre     int
	lineText bool // phaseHTTP: the current header line has text
	httpLen  int  // phaseHTTP: bytes of the header block so far

	buf     []byte // start of a frame split across Feed calls
	msg     []byte // unmasked payload of a fragmented message so far
	inMsg   bool   // a fragmented message is in progress (RFC 6455 §5.4)
	scratch []byte // unmask target for masked frames in the caller's slice
	closed  bool
}

// Feed consumes in-order stream bytes. For every complete data message (a
// text or binary frame with FIN, or a fragmented message reassembled from
// its continuation frames, RFC 6455 §5.4) it calls emit with the unmasked
// payload; the slice is only valid during the call, and emit must not call
// Feed. Control frames (§5.5) are skipped, also between the fragments of a
// message; a close frame is reported by Closed. An HTTP/1.1 handshake at
// the start of the stream (§4.1, §4.2.2) is skipped through the blank line
// that ends its header block.
//
// On a protocol error Feed returns an *Error and resets the Reader; the
// rest of b is dropped, and the caller decides what to do next.
func (r *Reader) Feed(b []byte, emit func(payload []byte)) error {
	err := r.feed(b, emit)
	if err != nil {
		r.Reset()
	}
	return err
}

func (r *Reader) feed(b []byte, emit func([]byte)) error {
	var err error
	for len(b) > 0 {
		switch {
		case r.phase == phaseStart:
			b = r.detect(b)
		case r.phase == phaseHTTP:
			b, err = r.skipHTTP(b)
		case len(r.buf) > 0:
			b, err = r.fill(b, emit)
		default:
			b, err = r.frames(b, emit)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Reset drops partial state (after a TCP gap): a buffered partial frame and
// a partial fragmented message. The next bytes are read as the start of a
// frame, never as a handshake, since they are not the start of the stream.
func (r *Reader) Reset() {
	r.phase = phaseFrames
	r.npre = 0
	r.buf = release(r.buf)
	r.msg = release(r.msg)
	r.inMsg = false
}

// Closed reports whether a close frame (RFC 6455 §5.5.1) has been seen.
func (r *Reader) Closed() bool { return r.closed }

// Buffered reports how many bytes the Reader holds waiting for more input:
// the start of a frame split across Feed calls (or of a handshake not yet
// recognised) plus the payload of a fragmented message not yet complete.
func (r *Reader) Buffered() int { return r.npre + len(r.buf) + len(r.msg) }

// frames reads the frames that are whole in b straight from it, and keeps
// a trailing partial frame in r.buf.
func (r *Reader) frames(b []byte, emit func([]byte)) ([]byte, error) {
	for len(b) > 0 {
		h, need, err := parseHeader(b)
		if err != nil {
			return nil, err
		}
		if need > len(b) {
			r.buf = append(r.buf, b...)
			return nil, nil
		}
		if err := r.frame(h, b[h.hlen:need], false, emit); err != nil {
			return nil, err
		}
		b = b[need:]
	}
	return nil, nil
}

// fill completes the frame buffered in r.buf with bytes from b, taking no
// more than the frame needs, and handles it once complete.
func (r *Reader) fill(b []byte, emit func([]byte)) ([]byte, error) {
	for {
		h, need, err := parseHeader(r.buf)
		if err != nil {
			return nil, err
		}
		if need > len(r.buf) {
			if len(b) == 0 {
				return nil, nil
			}
			take := min(need-len(r.buf), len(b))
			r.buf = append(r.buf, b[:take]...)
			b = b[take:]
			continue
		}
		err = r.frame(h, r.buf[h.hlen:need], true, emit)
		// r.buf holds more than one frame only if detect handed over
		// held-back bytes, and those never parse (see detect).
		rest := copy(r.buf, r.buf[need:])
		r.buf = r.buf[:rest]
		if rest == 0 {
			r.buf = release(r.buf)
		}
		return b, err
	}
}

// frame handles one complete frame. owned tells whether p is the Reader's
// own memory (then it is unmasked in place) or the caller's.
func (r *Reader) frame(h header, p []byte, owned bool, emit func([]byte)) error {
	if h.op >= opClose {
		// Control frames carry nothing for SIP; they may sit between the
		// fragments of a message (RFC 6455 §5.4).
		r.closed = r.closed || h.op == opClose
		return nil
	}
	if h.op == opCont && !r.inMsg {
		return &Error{Kind: ErrProtocol, code: codeContNoStart}
	}
	if h.op != opCont && r.inMsg {
		return &Error{Kind: ErrProtocol, code: codeNewInFrag, Op: h.op}
	}
	if r.inMsg || !h.fin {
		return r.fragment(h, p, emit)
	}
	if h.masked {
		src := p
		if !owned {
			// The caller's bytes must not be written: unmask into scratch.
			r.scratch = slices.Grow(r.scratch[:0], len(src))
			p = r.scratch[:len(src)]
		}
		unmask(p, src, h.key)
	}
	emit(p)
	r.scratch = release(r.scratch)
	return nil
}

// fragment appends one frame of a fragmented message (RFC 6455 §5.4) and
// emits the message when the frame has FIN.
func (r *Reader) fragment(h header, p []byte, emit func([]byte)) error {
	n := len(r.msg)
	if n+len(p) > MaxMessage {
		return &Error{Kind: ErrTooLarge, code: codeTooLarge, Len: uint64(n + len(p))}
	}
	r.msg = slices.Grow(r.msg, len(p))[:n+len(p)]
	if h.masked {
		unmask(r.msg[n:], p, h.key)
	} else {
		copy(r.msg[n:], p)
	}
	r.inMsg = !h.fin
	if h.fin {
		emit(r.msg)
		r.msg = release(r.msg)
	}
	return nil
}

// release empties a buffer, keeping its memory for reuse unless a rare
// large message grew it past keepCap.
func release(b []byte) []byte {
	if cap(b) > keepCap {
		return nil
	}
	return b[:0]
}
