package session

import (
	"bytes"
	"strconv"
	"strings"
	"unsafe"
)

// bstr views b as a string without copying. Only used on bytes that are
// never modified afterwards (the store's arena, or a fresh slice).
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// compact maps the one-letter header names of RFC 3261 §7.3.3 (and the
// extensions that define one) to their long forms.
var compact = func() (t [26]string) {
	for c, long := range map[byte]string{
		'a': "accept-contact", 'b': "referred-by", 'c': "content-type",
		'd': "request-disposition", 'e': "content-encoding", 'f': "from",
		'i': "call-id", 'j': "reject-contact", 'k': "supported",
		'l': "content-length", 'm': "contact", 'n': "identity-info",
		'o': "event", 'r': "refer-to", 's': "subject", 't': "to",
		'u': "allow-events", 'v': "via", 'x': "session-expires", 'y': "identity",
	} {
		t[c-'a'] = long
	}
	return t
}()

// longForm returns the lower-case long name of a header and its compact
// letter (0 if it has none).
func longForm(name string) (string, byte) {
	long := strings.ToLower(name)
	if len(long) == 1 && long[0] >= 'a' && long[0] <= 'z' && compact[long[0]-'a'] != "" {
		return compact[long[0]-'a'], long[0]
	}
	for i, l := range compact {
		if l == long {
			return long, byte('a' + i)
		}
	}
	return long, 0
}

// eachHeader calls fn for every header of the message in raw, stopping
// at the empty line. Continuation lines (RFC 3261 §7.3.1) are joined.
func eachHeader(raw []byte, fn func(name, value []byte)) {
	pos := bytes.IndexByte(raw, '\n') + 1
	if pos == 0 {
		return
	}
	for pos < len(raw) {
		line, next := nextLine(raw, pos)
		if len(line) == 0 {
			return
		}
		if next < len(raw) && (raw[next] == ' ' || raw[next] == '\t') {
			line, next = unfold(raw, line, next)
		}
		pos = next
		if c := bytes.IndexByte(line, ':'); c > 0 {
			fn(bytes.TrimRight(line[:c], " \t"), bytes.TrimSpace(line[c+1:]))
		}
	}
}

// nextLine returns the line at pos without its line end, and the offset
// of the line after it.
func nextLine(raw []byte, pos int) ([]byte, int) {
	e := bytes.IndexByte(raw[pos:], '\n')
	if e < 0 {
		return bytes.TrimRight(raw[pos:], "\r"), len(raw)
	}
	line := raw[pos : pos+e]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, pos + e + 1
}

// unfold joins a header line with its continuation lines into a new slice.
func unfold(raw, line []byte, next int) ([]byte, int) {
	out := append([]byte(nil), line...)
	for next < len(raw) && (raw[next] == ' ' || raw[next] == '\t') {
		var cont []byte
		cont, next = nextLine(raw, next)
		out = append(out, ' ')
		out = append(out, bytes.TrimLeft(cont, " \t")...)
	}
	return out, next
}

// index fills the fields of m from m.Raw: the start line and the headers
// that place the message in its transaction, dialog and call. Problems go
// to m.Err; the message is kept whatever they are.
func index(m *Message, auth *[]lineRange) {
	raw := m.Raw()
	m.clen = -1
	first, pos := nextLine(raw, 0)
	if pos <= len(raw) && pos > 0 && (pos < 2 || raw[pos-2] != '\r') {
		m.Flags |= FlagBareLF
	}
	startLine(m, first)
	var seen uint8
	for pos < len(raw) {
		line, next := nextLine(raw, pos)
		if len(line) == 0 {
			m.BodyOff = int32(next)
			checkRequired(m, seen)
			checkLength(m)
			return
		}
		if next < len(raw) && (raw[next] == ' ' || raw[next] == '\t') {
			line, next = unfold(raw, line, next)
		}
		start := pos
		pos = next
		c := bytes.IndexByte(line, ':')
		if c <= 0 {
			m.setErr("header line without a colon: " + quote(line))
			continue
		}
		name := bytes.TrimRight(line[:c], " \t")
		h := header(m, name, bytes.TrimSpace(line[c+1:]))
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
