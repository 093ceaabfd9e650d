package session

import (
	"bytes"
	"net/netip"
	"time"

	"github.com/sipdbg/sipdbg/session/capture"
)

// Flags mark properties of a message found while indexing it.
type Flags uint16

// Message flags.
const (
	FlagRequest            Flags = 1 << iota
	FlagRetransmission           // same transaction, same direction, seen before
	FlagTruncated                // the capture holds less than was sent
	FlagHEP                      // arrived encapsulated in HEP
	FlagAuthorization            // carries Authorization (RFC 3261 §20.7)
	FlagProxyAuthorization       // carries Proxy-Authorization (§20.28)
	FlagWWWAuthenticate          // carries WWW-Authenticate (§20.44)
	FlagProxyAuthenticate        // carries Proxy-Authenticate (§20.27)
	FlagSDP                      // has an SDP body (or an SDP part in a multipart body)
	FlagBareLF                   // lines end in LF alone, not CRLF
	FlagSrcInferred              // a text trace did not give the source: inferred from headers, or unknown
	FlagDstInferred              // likewise the destination
	FlagNoTime                   // a text trace gave no time: only the order is known
)

// Message is one SIP message as captured. Its string fields point into
// Raw, which is never modified: indexing allocates nothing per field.
type Message struct {
	// The 4-byte fields come first, in pairs, so that the struct has no
	// padding: a store keeps one per message.
	Index     int32 // position in the store, from 0
	Seq       int32 // number in arrival order, from 0: Index until a live budget drops calls, then it stays
	Packet    int32 // frame number in the capture, from 1
	Call      int32 // index of the call in the store
	CSeq      uint32
	CaptureID uint32 // HEP agent id
	BodyOff   int32  // offset of the body in Raw
	clen      int32  // Content-Length as indexed; -1 when absent or not a number
	TimeNs    int64  // capture time, Unix nanoseconds
	Src, Dst  netip.AddrPort
	Status    uint16 // response status code; 0 for requests
	Flags     Flags
	Transport capture.Transport

	Raw     []byte // exactly as captured
	Method  string // request method, or the CSeq method of a response
	CallID  string
	From    string // From URI (addr-spec)
	To      string // To URI
	FromTag string
	ToTag   string
	Branch  string // branch parameter of the top Via
	SentBy  string // sent-by of the top Via
	XCallID string // X-Call-ID / X-CID: the leg this one relates to
	Err     string // what is wrong with the message; "" when well-formed
}

// Has reports whether all of f are set.
func (m *Message) Has(f Flags) bool { return m.Flags&f == f }

// IsRequest reports whether the message is a request.
func (m *Message) IsRequest() bool { return m.Flags&FlagRequest != 0 }

// Time returns the capture time.
func (m *Message) Time() time.Time { return time.Unix(0, m.TimeNs).UTC() }

// FirstLine returns the request or status line, without its line end.
func (m *Message) FirstLine() string {
	line := m.Raw
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	return bstr(line)
}

// Body returns the message body.
func (m *Message) Body() []byte { return m.Raw[m.BodyOff:] }

// Header returns the values of every header with the given name, matched
// without regard to case and with compact forms (RFC 3261 §7.3.3) mapped,
// in message order. Folded lines are joined with one space.
func (m *Message) Header(name string) []string {
	var out []string
	long, short := longForm(name)
	eachHeader(m.Raw, func(n, v []byte) {
		if is(n, long, short) {
			out = append(out, bstr(v))
		}
	})
	return out
}

// HeaderPair is Header for two names in one pass over the headers (the
// analysis asks for WWW- and Proxy-Authenticate, or Authorization and
// Proxy-Authorization, of every challenge and answer).
func (m *Message) HeaderPair(a, b string) (av, bv []string) {
	la, sa := longForm(a)
	lb, sb := longForm(b)
	eachHeader(m.Raw, func(n, v []byte) {
		switch {
		case is(n, la, sa):
			av = append(av, bstr(v))
		case is(n, lb, sb):
			bv = append(bv, bstr(v))
		}
	})
	return av, bv
}

// Headers returns every header in order, for display.
func (m *Message) Headers() [][2]string {
	var out [][2]string
	eachHeader(m.Raw, func(n, v []byte) { out = append(out, [2]string{bstr(n), bstr(v)}) })
	return out
}
