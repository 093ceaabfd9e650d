package analysis

import (
	"bytes"
	"unsafe"

	"github.com/sipdbg/sipdbg/session"
)

// The auth headers are read straight from the raw message rather than
// through session.Message.HeaderPair: a report reads those of every
// challenge and answer of a capture (a third of its messages), and
// HeaderPair splits and compares every header line, lower-cases the names
// it is given and collects the values in new slices on each call. The
// scan below follows session's header walk line for line (start line
// skipped, RFC 3261 §7.3.1 continuation lines joined, names compared
// without regard to case, values trimmed), so that it finds exactly the
// values HeaderPair finds, but it looks at a line only when its first
// letter is that of the header sought. None of the auth headers has a
// compact form (RFC 3261 §7.3.3), so the long name is the only one.

// authScan walks the header lines of one message looking for one header.
type authScan struct {
	raw  []byte
	pos  int
	name string // lower-case long form
}

func newAuthScan(m *session.Message, name string) authScan {
	// A mapped capture's message keeps its auth headers apart, so that
	// reading them does not bring its page back (session/authblock.go).
	raw := m.AuthBlock()
	pos := bytes.IndexByte(raw, '\n') + 1
	if pos == 0 {
		pos = len(raw) // no line after the start line: no headers
	}
	return authScan{raw: raw, pos: pos, name: name}
}

// next returns the value of the next header named s.name, in message
// order, and false after the last one.
func (s *authScan) next() (string, bool) {
	raw := s.raw
	for s.pos < len(raw) {
		line, next := nextLine(raw, s.pos)
		if len(line) == 0 {
			break // the empty line that ends the headers
		}
		s.pos = next
		// A continuation line starts with a space or a tab, so it never
		// passes this test: skipping a header skips its continuations.
		if line[0]|0x20 != s.name[0] {
			continue
		}
		folded := next < len(raw) && (raw[next] == ' ' || raw[next] == '\t')
		c := bytes.IndexByte(line, ':')
		if c > 0 && !s.is(line[:c]) {
			continue // named in its first line already: no need to join the rest
		}
		if folded {
			line, s.pos = unfold(raw, line, next)
			c = bytes.IndexByte(line, ':')
			if c <= 0 || !s.is(line[:c]) {
				continue
			}
		}
		if c <= 0 {
			continue
		}
		return bstr(bytes.TrimSpace(line[c+1:])), true
	}
	s.pos = len(raw)
	return "", false
}

// is compares a header name, trailing blanks removed, with s.name.
func (s *authScan) is(name []byte) bool {
	name = bytes.TrimRight(name, " \t")
	if len(name) != len(s.name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s.name[i] {
			return false
		}
	}
	return true
}

// nextLine returns the line at pos without its line end, and the offset
// of the line after it (as session reads lines: a bare LF ends a line,
// one CR before it is dropped).
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

// unfold joins a header line with its continuation lines into new bytes,
// each continuation's leading blanks replaced by one space (RFC 3261
// §7.3.1).
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

// bstr views b as a string without copying: b is either the capture's
// bytes, which live as long as the store, or bytes unfold made for this
// value alone.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
