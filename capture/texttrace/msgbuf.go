package texttrace

import (
	"bytes"
	"fmt"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/siplex"
)

var crlf = []byte("\r\n")

// msgBuf assembles one message. Bytes beyond maxMessage are counted, not
// kept, so that Content-Length framing still finds the message's end.
type msgBuf struct {
	line    int    // where the start line is
	data    []byte // reused from message to message
	n       int    // bytes consumed, kept or not
	over    bool   // more than maxMessage
	headers int    // header lines after the start line
	hdrEnd  int    // n after the empty line that ends the headers; 0 before
	cl      int
	clKnown bool
	ctype   bool // a Content-Type header: a body is expected even without Content-Length
	// lf is set when the empty line after the headers ended in a bare LF:
	// the trace turned CRLF into LF, so the body's LFs were CRLFs too.
	lf        bool
	rawCount  bool // lf, but the body turned out to count LFs as one byte
	bareLF    int  // body line ends that are a bare LF
	bodyCR    bool // the body has a CR of its own
	lastBlank bool // the last body line was empty …
	lastEOL   int  // … and ended with this many bytes
}

func (b *msgBuf) reset(line int) {
	*b = msgBuf{line: line, data: b.data[:0]}
}

func (b *msgBuf) add(parts ...[]byte) {
	for _, p := range parts {
		b.n += len(p)
		if b.over || len(b.data)+len(p) > maxMessage {
			b.over = true
			continue
		}
		b.data = append(b.data, p...)
	}
}

// header adds a header line with a CRLF end.
func (b *msgBuf) header(t []byte) {
	b.headers++
	b.add(t, crlf)
}

// endHeaders adds the empty line and reads Content-Length and whether
// there is a Content-Type.
func (b *msgBuf) endHeaders(eol []byte) {
	b.add(crlf)
	b.hdrEnd = b.n
	b.lf = len(eol) == 1
	if b.over {
		return
	}
	b.cl, b.clKnown = capture.ContentLength(b.data)
	b.ctype = hasHeader(b.data, siplex.ContentType)
}

func (b *msgBuf) bodyLen() int { return b.n - b.hdrEnd }

// counted is the body length as Content-Length counts it: with the CRs
// the trace dropped put back, unless the body proved to count LFs alone.
func (b *msgBuf) counted() int {
	if b.lf && !b.rawCount && !b.bodyCR {
		return b.bodyLen() + b.bareLF
	}
	return b.bodyLen()
}

// bodyLine adds a body line framed by Content-Length. It returns what is
// left of t past the end of the body, and whether the body is complete.
func (b *msgBuf) bodyLine(t, eol []byte) ([]byte, bool) {
	need := b.cl - b.counted()
	if need <= len(t) {
		b.addBody(t[:need], nil)
		return t[need:], true
	}
	if b.lf || need >= len(t)+len(eol) {
		b.addBody(t, eol) // with lf, a bare LF stands for CRLF
	} else {
		b.addBody(t, eol[:need-len(t)])
	}
	return nil, b.counted() >= b.cl
}

func (b *msgBuf) addBody(t, eol []byte) {
	if bytes.IndexByte(t, '\r') >= 0 || len(eol) == 2 {
		b.bodyCR = true
	}
	if len(eol) == 1 {
		b.bareLF++
	}
	b.lastBlank, b.lastEOL = len(t) == 0, len(eol)
	b.add(t, eol)
}

// dropBlank takes back the empty line last added to the body: it
// separated two pasted messages.
func (b *msgBuf) dropBlank() {
	if !b.lastBlank || b.over {
		return
	}
	if b.lastEOL == 1 {
		b.bareLF--
	}
	b.n -= b.lastEOL
	b.data = b.data[:len(b.data)-b.lastEOL]
	b.lastBlank = false
}

// finish completes the message: the missing empty line after the
// headers, CRs put back in a body that is then exactly Content-Length
// long, or the trailing empty lines of a body without Content-Length. It
// returns the message and what is wrong with it.
func (b *msgBuf) finish() ([]byte, string) {
	var why string
	if b.hdrEnd == 0 {
		b.add(crlf)
		b.hdrEnd = b.n
		why = "the headers do not end with an empty line"
	}
	body := b.data[min(b.hdrEnd, len(b.data)):]
	switch {
	case !b.clKnown:
		b.data = b.data[:len(b.data)-len(body)+len(trimBlankTail(body))]
	case b.counted() == b.cl && b.bareLF > 0 && b.lf && !b.rawCount && !b.bodyCR:
		b.data = append(b.data[:len(b.data)-len(body)], toCRLF(body)...)
	case b.counted() < b.cl && why == "":
		why = fmt.Sprintf("the body has %d bytes, Content-Length says %d: the message is cut short", b.counted(), b.cl)
	case b.counted() > b.cl:
		why = fmt.Sprintf("the body has %d bytes, Content-Length says %d", b.counted(), b.cl)
	}
	return b.data, why
}

// toCRLF returns b with every LF preceded by a CR (b has no CR).
func toCRLF(b []byte) []byte {
	out := make([]byte, 0, len(b)+bytes.Count(b, []byte("\n")))
	for _, c := range b {
		if c == '\n' {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}

// trimBlankTail drops the empty lines at the end of a body without
// Content-Length: the trace's separators, not the body's.
func trimBlankTail(b []byte) []byte {
	for {
		switch {
		case bytes.HasSuffix(b, []byte("\r\n\r\n")):
			b = b[:len(b)-2]
		case bytes.HasSuffix(b, []byte("\n\n")):
			b = b[:len(b)-1]
		default:
			return b
		}
	}
}
