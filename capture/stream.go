package capture

import (
	"bytes"
	"strconv"

	"github.com/sipdbg/sipdbg/capture/hep"
	"github.com/sipdbg/sipdbg/capture/ws"
	"github.com/sipdbg/sipdbg/siplex"
)

// streamMode is what a TCP direction was found to carry.
type streamMode uint8

const (
	modeUnknown streamMode = iota
	modeSIP                // SIP framed by Content-Length (RFC 3261 §18.3)
	modeWS                 // SIP over WebSocket (RFC 7118)
	modeHEP                // HEP packets back to back
	modeOther              // not SIP (TLS, HTTP, …): ignored
)

// stream is the parser of one TCP direction. It is reset after a hole
// in the sequence space: the next message is searched for from the next
// start line.
type stream struct {
	mode      streamMode
	buf       []byte    // bytes of an incomplete message
	midStream bool      // the SYN was not captured
	scanned   int       // bytes looked at while the mode is unknown
	junk      int       // bytes skipped while searching for a start line
	frame     frameScan // what is known of the incomplete message in buf
	oversize  int       // bytes skipped as headers beyond the limit, not reported yet
	ws        ws.Reader
}

func (s *stream) reset() {
	s.buf = s.buf[:0]
	s.scanned = 0
	s.frame = frameScan{}
	s.ws.Reset()
	if s.mode == modeWS || s.mode == modeHEP {
		s.mode = modeUnknown // frame boundaries are lost: detect them again
	}
}

func (s *stream) dropNote() string {
	n := len(s.buf) + s.ws.Buffered()
	if n == 0 {
		return ""
	}
	return " (a partial message of " + strconv.Itoa(n) + " bytes before it is dropped)"
}

func (h *tcpHalf) name() string { return h.key.src.String() + " → " + h.key.dst.String() }

// feed parses the in-order bytes of a direction. When nothing is held
// from earlier segments the data is parsed in place, without a copy.
func (d *Decoder) feed(h *tcpHalf, data []byte) {
	if h.tls != nil {
		d.feedTLS(h, data)
		return
	}
	d.feedStream(h, data)
}

// feedStream parses the bytes of a direction's stream: its TCP payload,
// or its plaintext when it is TLS.
func (d *Decoder) feedStream(h *tcpHalf, data []byte) {
	s := &h.stream
	if s.mode == modeOther {
		return
	}
	b := data
	if len(s.buf) > 0 {
		s.buf = append(s.buf, data...)
		b = s.buf
	}
	n := d.parse(h, b)
	s.buf = append(s.buf[:0], b[n:]...)
}

// parse consumes what it can of b and returns how much.
func (d *Decoder) parse(h *tcpHalf, b []byte) int {
	s := &h.stream
	off := 0
	for off < len(b) {
		var n int
		var more bool
		switch s.mode {
		case modeUnknown:
			n, more = d.detect(h, b[off:])
		case modeSIP:
			n, more = d.sipStream(h, b[off:])
		case modeHEP:
			n, more = d.hepStream(h, b[off:])
		case modeWS:
			d.wsStream(h, b[off:])
			return len(b)
		default:
			return len(b)
		}
		off += n
		if more {
			break
		}
	}
	return off
}

// detect decides what a direction carries from its first bytes.
func (d *Decoder) detect(h *tcpHalf, b []byte) (int, bool) {
	s := &h.stream
	p := skipCRLF(b)
	n := len(b) - len(p)
	switch {
	case len(p) == 0:
		return n, true
	case siplex.IsStart(p):
		s.mode = modeSIP
		return n, false
	case isTLSRecord(p) && h.tls == nil:
		d.startTLS(h)
		d.feedTLS(h, p)
		return len(b), true
	case hep.Need(p) > 0:
		s.mode = modeHEP
		return n, false
	}
	if siplex.HasPrefixFold(p, "get ") || siplex.HasPrefixFold(p, "http/") {
		isWS, decided := ws.IsHandshake(p)
		switch {
		case !decided:
			return n, true // wait for the rest of the handshake
		case isWS:
			s.mode = modeWS
			return n, false
		}
		return d.notSIPStream(h, b, "HTTP, not SIP")
	}
	if ws.LooksLikeFrame(p) {
		s.mode = modeWS
		return n, false
	}
	return d.scanForStart(h, b, n, p)
}

// scanForStart looks for a SIP start line further on, as in a capture
// that begins in the middle of a message.
func (d *Decoder) scanForStart(h *tcpHalf, b []byte, n int, p []byte) (int, bool) {
	s := &h.stream
	s.frame = frameScan{} // what framing knew was of a message that is not there: the next one starts further on
	if i := findStart(p); i > 0 {
		s.junk += i
		s.mode, s.scanned = modeSIP, 0
		d.flushJunk(h)
		return n + i, false
	}
	j := bytes.LastIndexByte(p, '\n') + 1 // keep the last partial line
	if j == 0 && len(p) > siplex.MaxStartLine {
		j = len(p)
	}
	s.junk += j
	// Only bytes dropped count: the kept partial line is seen again with
	// the next segment. A stream already known as SIP resyncs for ever
	// (its memory stays bounded); an unknown one is given up on.
	s.scanned += n + j
	if s.mode == modeUnknown && s.scanned > maxUnknownScan {
		return d.notSIPStream(h, b, "no SIP start line in its first "+strconv.Itoa(s.scanned)+" bytes")
	}
	return n + j, true
}

func (d *Decoder) notSIPStream(h *tcpHalf, b []byte, why string) (int, bool) {
	h.stream.mode = modeOther
	h.stream.junk = 0
	d.stats.StreamsNotSIP++
	if isSIPPort(h.key.src.Port()) || isSIPPort(h.key.dst.Port()) {
		d.bad("TCP " + h.name() + " on a SIP port: " + why)
	}
	return len(b), true
}

func isTLSRecord(b []byte) bool {
	return len(b) >= 5 && b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 3 && b[2] <= 4
}

// flushJunk records bytes skipped before a start line was found, and
// those skipped as headers beyond the size limit: one record for a run
// of them, however many segments it took.
func (d *Decoder) flushJunk(h *tcpHalf) {
	s := &h.stream
	if s.oversize > 0 {
		d.bad("TCP " + h.name() + ": SIP message header beyond the size limit (" + strconv.Itoa(maxHeaderSize>>10) +
			" KiB without the empty line that ends it); " + strconv.Itoa(s.oversize) + " bytes skipped")
		s.oversize = 0
	}
	if s.junk == 0 {
		return
	}
	why := "are not SIP"
	if s.midStream {
		why = "precede the first SIP start line (the capture began mid-stream)"
		s.midStream = false
	}
	d.bad("TCP " + h.name() + ": " + strconv.Itoa(s.junk) + " bytes " + why)
	s.junk = 0
}

// sipStream frames one SIP message at the start of b.
func (d *Decoder) sipStream(h *tcpHalf, b []byte) (int, bool) {
	p := skipCRLF(b)
	n := len(b) - len(p)
	if len(p) == 0 {
		return n, true
	}
	if !siplex.IsStart(p) {
		if bytes.IndexByte(p[:min(len(p), siplex.MaxStartLine)], '\n') < 0 && len(p) < siplex.MaxStartLine {
			return n, true // the start line is not complete yet
		}
		return d.scanForStart(h, b, n, p)
	}
	s := &h.stream
	if n > 0 { // the message starts further on than framing last looked
		s.frame = frameScan{}
	}
	m, st := frameFrom(p, &s.frame)
	switch st {
	case frameNeedMore:
		return n, true
	case frameTooLarge:
		if s.frame.hdrEnd > 0 { // a body too large: the next start line is found after its start line
			d.flushJunk(h)
			d.bad("TCP " + h.name() + ": SIP message body beyond the size limit; skipped")
			s.frame = frameScan{}
			return n + bytes.IndexByte(p, '\n') + 1, false
		}
		// No header block ends in p: no message that starts in p before
		// its last maxHeaderSize bytes can end within the limit. They go
		// in one step, and what framing scanned of the rest stays known:
		// a line at a time, scanning p again for each, was quadratic.
		skip := len(p) - maxHeaderSize
		if k := bytes.IndexByte(p[skip:], '\n'); k >= 0 {
			skip += k + 1
		} else {
			skip = len(p)
		}
		s.frame = frameScan{noEnd: max(0, s.frame.noEnd-skip)}
		s.oversize += n + skip
		return n + skip, false
	}
	d.flushJunk(h)
	s.frame = frameScan{}
	d.emit(h.key.src, h.key.dst, h.tr(TCP), p[:m], false)
	return n + m, false
}

func (d *Decoder) hepStream(h *tcpHalf, b []byte) (int, bool) {
	k := hep.Need(b)
	switch {
	case k < 0:
		d.bad("TCP " + h.name() + ": HEP stream lost its framing")
		h.stream.mode = modeUnknown
		return 0, false
	case k == 0 || len(b) < k:
		return 0, true
	}
	d.hepPacket(b[:k])
	return k, false
}

func (d *Decoder) wsStream(h *tcpHalf, b []byte) {
	s := &h.stream
	err := s.ws.Feed(b, func(p []byte) {
		d.stats.WSFrames++
		msg := skipCRLF(p)
		switch {
		case len(msg) == 0:
			d.stats.Keepalives++
		case siplex.IsStart(msg):
			d.emit(h.key.src, h.key.dst, h.tr(WS), msg, false)
		default:
			d.stats.NonSIP++
		}
	})
	if err != nil {
		d.bad("WebSocket " + h.name() + ": " + err.Error())
		s.reset()
	}
}

// endStream reports what a direction still holds when it ends.
func (d *Decoder) endStream(h *tcpHalf) {
	if h.tls != nil {
		d.tlsEnd(h)
	}
	s := &h.stream
	switch s.mode {
	case modeSIP:
		d.flushJunk(h)
	case modeUnknown:
		if s.junk > 0 || len(s.buf) > 0 {
			d.notSIPStream(h, nil, "no SIP start line in its "+strconv.Itoa(s.junk+len(s.buf))+" bytes")
		}
	}
	if p := skipCRLF(s.buf); len(p) > 0 && s.mode == modeSIP {
		if _, ok := siplex.HeaderEnd(p, 0); ok && siplex.IsStart(p) {
			d.emit(h.key.src, h.key.dst, h.tr(TCP), p, true) // body cut short: show what there is
		} else {
			d.bad("TCP " + h.name() + ": stream ended inside a SIP message (" + strconv.Itoa(len(p)) + " bytes)")
		}
	}
	if n := s.ws.Buffered(); n > 0 {
		d.bad("WebSocket " + h.name() + ": stream ended inside a frame (" + strconv.Itoa(n) + " bytes)")
	}
	s.buf = nil
	s.ws.Reset()
}
