package session

import (
	"bytes"

	"github.com/emiago/sipgo/sip"
)

// Parse parses the message with sipgo: the tests check the indexer against
// an independent parser. It lives in a test file so that the core does not
// import sipgo.
// Raw is not changed: messages whose lines end in a bare LF, which sipgo
// rejects, are parsed from a copy with CRLF line ends. The result is for
// reading only: sipgo's String() rewrites headers, so show Raw instead.
func (m *Message) Parse() (sip.Message, error) {
	raw := m.Raw()
	if m.Has(FlagBareLF) {
		raw = crlf(raw, int(m.BodyOff))
	}
	return sip.ParseMessage(raw)
}

// crlf rewrites the header block's bare LFs to CRLF, leaving the body as
// it is.
func crlf(raw []byte, bodyOff int) []byte {
	hdr, body := raw[:bodyOff], raw[bodyOff:]
	out := make([]byte, 0, len(raw)+64)
	for len(hdr) > 0 {
		i := bytes.IndexByte(hdr, '\n')
		if i < 0 {
			out = append(out, hdr...)
			break
		}
		line := bytes.TrimSuffix(hdr[:i], []byte{'\r'})
		out = append(append(out, line...), '\r', '\n')
		hdr = hdr[i+1:]
	}
	return append(out, body...)
}
