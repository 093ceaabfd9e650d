package session

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// A message of a mapped capture lies in the file, and the file's pages are
// handed back as loading moves on (capture/pcapmem.go). The analysis then
// reads the authentication headers of a fifth of the messages, in the
// order of the calls, not of the file: a registration refreshed every few
// minutes under one Call-ID has its challenges all over the file. Each
// read would fault a page back in, and with the memory bounded each is
// faulted again and again: on a 1 GB capture that cost more time than the
// analysis itself. So while a message is indexed, its page still at hand,
// what the analysis reads is kept apart:
//
//   - a message with an authentication header gets an auth block: its
//     start line and those header lines, copied (AuthBlock);
//   - a response's status line is kept in a table of the status lines
//     seen, a few dozen in any capture (FirstLine);
//   - a request with credentials is flagged when its From and To URIs
//     are its call's (FlagCallFromTo);
//   - a final response that refuses (3xx–6xx) gets an auth block too,
//     with the headers that say who refused and why (RefusalHeader).

// AuthBlock returns, for a message with an authentication header (one of
// FlagsAuth), a copy of its start line and of its WWW-Authenticate,
// Proxy-Authenticate, Authorization and Proxy-Authorization lines
// (continuation lines included), ending with an empty line: a message of
// those headers alone, to be read like Raw. For any other message, and
// for one that was copied into memory anyway (not from a mapped file),
// it returns Raw.
func (m *Message) AuthBlock() []byte {
	if m.ext != nil && m.ext.auth != nil {
		return m.ext.auth
	}
	return m.Raw()
}

// authCopy returns the auth block if m has one of its own, else nil.
func (m *Message) authCopy() []byte {
	if m.ext == nil {
		return nil
	}
	return m.ext.auth
}

// lineRange is where a header lies in Raw, continuation lines and line
// end included.
type lineRange struct{ start, end int32 }

// keepAuth copies the auth block of m into a: the start line and the
// auth headers' lines, which index found.
func (m *Message) keepAuth(a *arena, lines []lineRange) {
	raw := m.Raw()
	_, pos := siplex.Line(raw, 0)
	b := append(a.scratch[:0], raw[:pos]...)
	for _, l := range lines {
		b = append(b, raw[l.start:l.end]...)
	}
	b = append(b, "\r\n"...)
	a.scratch = b
	m.extra().auth = a.copy(b)
}

// AuthValues calls fn with the value of each header called name, which
// must be one of the four auth headers in lower case ("authorization",
// "proxy-authorization", "www-authenticate", "proxy-authenticate"), in
// message order: the values Header(name) returns. It reads the auth
// block (AuthBlock), so nothing of a mapped capture, and looks closely
// only at lines that start with the name's first letter: the analysis
// asks for these headers of a third of a capture's messages.
func (m *Message) AuthValues(name string, fn func(value string)) {
	raw := m.AuthBlock()
	pos := bytes.IndexByte(raw, '\n') + 1
	if pos == 0 {
		return // no line after the start line: no headers
	}
	for pos < len(raw) {
		line, next := siplex.Line(raw, pos)
		if len(line) == 0 {
			return // the empty line that ends the headers
		}
		pos = next
		// A continuation line starts with a space or a tab, so it never
		// passes this test: skipping a header skips its continuations.
		if line[0]|0x20 != name[0] {
			continue
		}
		n, v, ok := siplex.Field(line)
		if ok && !siplex.EqualFold(n, name) {
			continue // named in its first line already: no need to join the rest
		}
		if siplex.Folded(raw, next) {
			line, pos = siplex.Unfold(raw, line, next)
			if n, v, ok = siplex.Field(line); !ok || !siplex.EqualFold(n, name) {
				continue
			}
		}
		if ok {
			fn(bstr(v))
		}
	}
}

// refusalHeaders are the headers of a refusing final response that the
// analysis reads (RFC 3261 §20.35 Server, §20.41 User-Agent, §20.43
// Warning, §20.33 Retry-After, §20.23 Min-Expires; RFC 3326 Reason), in
// lower case.
var refusalHeaders = [...]string{"server", "user-agent", "reason", "warning", "retry-after", "min-expires"}

// keptOnRefusal reports whether a header of that name is kept in the
// auth block of a refusing response.
func keptOnRefusal(name []byte) bool {
	for _, h := range refusalHeaders {
		if siplex.EqualFold(name, h) {
			return true
		}
	}
	return false
}

// RefusalHeader returns the first value of header name (one of
// "server", "user-agent", "reason", "warning", "retry-after",
// "min-expires") of a final
// response of status 300 or more, "" when it has none. Like AuthValues
// it reads the auth block, so nothing of a mapped capture.
func (m *Message) RefusalHeader(name string) string {
	var v string
	found := false
	m.AuthValues(name, func(s string) {
		if !found {
			v, found = s, true
		}
	})
	return v
}
