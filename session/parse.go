package session

import (
	"bytes"
	"strconv"
	"unsafe"

	"github.com/sipdbg/sipdbg/siplex"
)

// bstr views b as a string without copying. Only used on bytes that are
// never modified afterwards (the store's arena, or a fresh slice).
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// index fills the fields of m from m.Raw: the start line and the headers
// that place the message in its transaction, dialog and call. Problems go
// to m.Err; the message is kept whatever they are.
func index(m *Message, auth *[]lineRange, lan bool) {
	raw := m.Raw()
	m.clen = -1
	first, pos := siplex.Line(raw, 0)
	if pos <= len(raw) && pos > 0 && (pos < 2 || raw[pos-2] != '\r') {
		m.Flags |= FlagBareLF
	}
	startLine(m, first)
	var seen uint8
	for pos < len(raw) {
		line, next := siplex.Line(raw, pos)
		if len(line) == 0 {
			m.BodyOff = int32(next)
			checkRequired(m, seen)
			checkLength(m)
			return
		}
		if siplex.Folded(raw, next) {
			line, next = siplex.Unfold(raw, line, next)
		}
		start := pos
		pos = next
		name, value, ok := siplex.Field(line)
		if !ok {
			m.setErr("header line without a colon: " + quote(line))
			continue
		}
		h := header(m, name, value, lan)
		if h == seenAuth || (m.Status >= 300 && keptOnRefusal(name)) {
			*auth = append(*auth, lineRange{int32(start), int32(next)})
			continue
		}
		seen |= h
	}
	m.BodyOff = int32(len(raw))
	checkRequired(m, seen)
	m.setErr("no empty line after the headers: the message is cut short")
}

func (m *Message) setErr(s string) {
	if e := m.extra(); e.err == "" {
		e.err = s
	}
}

func quote(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strconv.Quote(string(b))
}

func startLine(m *Message, line []byte) {
	if len(line) >= 11 && (line[0]|0x20) == 's' && line[3] == '/' {
		m.Status = uint16(line[8]-'0')*100 + uint16(line[9]-'0')*10 + uint16(line[10]-'0')
		return
	}
	m.Flags |= FlagRequest
	if sp := bytes.IndexByte(line, ' '); sp > 0 {
		m.set(fMethod, line[:sp])
	}
}

// Bits of the headers RFC 3261 §8.1.1 requires in every request.
const (
	seenCallID uint8 = 1 << iota
	seenCSeq
	seenFrom
	seenTo
	seenVia
	seenAll = seenCallID | seenCSeq | seenFrom | seenTo | seenVia
	// seenAuth is no requirement: header returns it for the four auth
	// headers, whose lines index records for the auth block.
	seenAuth uint8 = 0x80
)

func checkRequired(m *Message, seen uint8) {
	if seen == seenAll {
		return
	}
	for _, r := range []struct {
		bit  uint8
		name string
	}{{seenCallID, "Call-ID"}, {seenCSeq, "CSeq"}, {seenFrom, "From"}, {seenTo, "To"}, {seenVia, "Via"}} {
		if seen&r.bit == 0 {
			m.setErr("no " + r.name + " header (RFC 3261 §8.1.1)")
			return
		}
	}
}

// checkLength compares Content-Length with the body captured. A longer
// body is legal on UDP (§18.3 says to ignore the excess); a shorter one
// means the message was cut.
func checkLength(m *Message) {
	body := len(m.Raw()) - int(m.BodyOff)
	if m.clen >= 0 && int(m.clen) > body {
		m.setErr("Content-Length is " + strconv.Itoa(int(m.clen)) + " but the body has " + strconv.Itoa(body) + " bytes")
		m.Flags |= FlagTruncated
	}
	if m.clen < 0 && m.Transport.Stream() && body > 0 {
		m.setErr("no Content-Length on a stream transport (RFC 3261 §18.3)")
	}
}
