package session

import (
	"bytes"
	"net/netip"
	"time"
	"unique"
	"unsafe"

	"github.com/sipdbg/sipdbg/siplex"
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
	// FlagCallFromTo: a request with credentials, or a REGISTER, whose
	// From and To URIs are its call's (Call.From, Call.To), where they
	// can be read without touching the message's bytes (see AuthBlock).
	FlagCallFromTo
	FlagFragmented // arrived in IP fragments (a datagram larger than the path's MTU)
)

// FlagsAuth are the flags of the four authentication headers.
const FlagsAuth = FlagAuthorization | FlagProxyAuthorization | FlagWWWAuthenticate | FlagProxyAuthenticate

// Message is one SIP message as captured, with the fields that place it
// in its transaction, dialog and call indexed from its raw bytes.
//
// A store keeps one per message (two million in a 1 GB capture), so the
// struct is kept small and nearly free of pointers: the string fields are
// offsets into the raw bytes, read through methods, and the addresses are
// interned. 120 bytes, four pointers for the garbage collector to follow
// (it used to be 296 bytes and fourteen).
type Message struct {
	raw      *byte // the message as captured: in a mapped capture file, or the store's arena
	ext      *extra
	src, dst unique.Handle[netip.AddrPort]
	TimeNs   int64 // capture time, Unix nanoseconds

	// Seq is the message's handle: its number in arrival order, from 0.
	// It never changes, not even when a live budget drops older calls
	// (Store.Evict), so whoever holds it (a call, a transaction, a view)
	// keeps it through an eviction. Store.Msg finds the message by it.
	Seq       int32
	Packet    int32 // frame number in the capture, from 1
	Call      int32 // the Seq of its call (Store.Call)
	CSeq      uint32
	CaptureID uint32 // HEP agent id
	BodyOff   int32  // offset of the body in Raw
	clen      int32  // Content-Length as indexed; -1 when absent or not a number
	rawLen    uint32
	Status    uint16 // response status code; 0 for requests
	Flags     Flags
	Transport Transport
	line      uint16 // a response's status line's number in the store's table (statusline.go); 0 when not there
	f         [nFields]span
}

// The indexed string fields, by their place in Message.f.
const (
	fMethod  = iota // request method, or the CSeq method of a response
	fCallID         //
	fFrom           // From URI (addr-spec)
	fTo             // To URI
	fFromTag        //
	fToTag          //
	fBranch         // branch parameter of the top Via
	fSentBy         // sent-by of the top Via
	fXCallID        // X-Call-ID / X-CID: the leg this one relates to
	nFields
)

// span is a field's place in the raw bytes. Values that are not there
// verbatim (a header folded over several lines is joined into new bytes)
// or that end past 64 KB are kept in extra instead, marked by inExtra.
type span struct{ off, n uint16 }

var inExtra = span{0xffff, 0xffff}

// extra holds what some messages need: an error text, field values that
// a span cannot point at, and the auth block (see AuthBlock).
type extra struct {
	err   string
	vals  *[nFields]string
	auth  []byte
	reach *reach // private addresses it asks to be reached at (reach.go)
}

// Raw returns the message exactly as captured. It must not be modified.
func (m *Message) Raw() []byte {
	if m.raw == nil {
		return nil
	}
	return unsafe.Slice(m.raw, m.rawLen)
}

func (m *Message) setRaw(b []byte) {
	m.raw, m.rawLen = unsafe.SliceData(b), uint32(len(b))
}

func (m *Message) field(i int) string {
	sp := m.f[i]
	if sp == inExtra {
		return m.ext.vals[i]
	}
	if sp.n == 0 {
		return ""
	}
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(m.raw), sp.off)), sp.n)
}

// set points field i at v, which is normally a slice of the raw bytes.
func (m *Message) set(i int, v []byte) {
	if len(v) == 0 {
		m.f[i] = span{}
		return
	}
	off := uintptr(unsafe.Pointer(unsafe.SliceData(v))) - uintptr(unsafe.Pointer(m.raw))
	if m.raw != nil && off < uintptr(m.rawLen) && off+uintptr(len(v)) <= uintptr(m.rawLen) &&
		off+uintptr(len(v)) < 0xffff {
		m.f[i] = span{uint16(off), uint16(len(v))}
		return
	}
	e := m.extra()
	if e.vals == nil {
		e.vals = new([nFields]string)
	}
	e.vals[i] = string(v)
	m.f[i] = inExtra
}

func (m *Message) extra() *extra {
	if m.ext == nil {
		m.ext = new(extra)
	}
	return m.ext
}

// Method returns the request method, or the CSeq method of a response.
func (m *Message) Method() string { return m.field(fMethod) }

// CallID returns the Call-ID.
func (m *Message) CallID() string { return m.field(fCallID) }

// From returns the From URI (addr-spec).
func (m *Message) From() string { return m.field(fFrom) }

// To returns the To URI.
func (m *Message) To() string { return m.field(fTo) }

// FromTag returns the From tag.
func (m *Message) FromTag() string { return m.field(fFromTag) }

// ToTag returns the To tag.
func (m *Message) ToTag() string { return m.field(fToTag) }

// Branch returns the branch parameter of the top Via.
func (m *Message) Branch() string { return m.field(fBranch) }

// SentBy returns the sent-by of the top Via.
func (m *Message) SentBy() string { return m.field(fSentBy) }

// XCallID returns the X-Call-ID / X-CID: the leg this one relates to.
func (m *Message) XCallID() string { return m.field(fXCallID) }

// Err returns what is wrong with the message; "" when it is well-formed.
func (m *Message) Err() string {
	if m.ext == nil {
		return ""
	}
	return m.ext.err
}

// Src returns the source address.
func (m *Message) Src() netip.AddrPort { return m.src.Value() }

// Dst returns the destination address.
func (m *Message) Dst() netip.AddrPort { return m.dst.Value() }

// Has reports whether all of f are set.
func (m *Message) Has(f Flags) bool { return m.Flags&f == f }

// IsRequest reports whether the message is a request.
func (m *Message) IsRequest() bool { return m.Flags&FlagRequest != 0 }

// Time returns the capture time.
func (m *Message) Time() time.Time { return time.Unix(0, m.TimeNs).UTC() }

// FirstLine returns the request or status line, without its line end.
// Store.FirstLine reads a status line without touching the message's
// bytes.
func (m *Message) FirstLine() string {
	if m.ext != nil && m.ext.auth != nil {
		return firstLine(m.ext.auth)
	}
	return firstLine(m.Raw())
}

// firstLine returns the bytes of raw up to the first CR or LF.
func firstLine(line []byte) string {
	// Two byte searches: bytes.IndexAny(line, "\r\n") is several times
	// slower, and a report asks for every message's first line.
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if i := bytes.IndexByte(line, '\r'); i >= 0 {
		line = line[:i]
	}
	return bstr(line)
}

// Body returns the message body.
func (m *Message) Body() []byte { return m.Raw()[m.BodyOff:] }

// Header returns the values of every header with the given name, matched
// without regard to case and with compact forms (RFC 3261 §7.3.3) mapped,
// in message order. Folded lines are joined with one space.
func (m *Message) Header(name string) []string {
	var out []string
	h := siplex.Lookup(name)
	siplex.Headers(m.Raw(), func(n, v []byte) bool {
		if siplex.Is(n, h) {
			out = append(out, bstr(v))
		}
		return true
	})
	return out
}

// HeaderPair is Header for two names in one pass over the headers (the
// analysis asks for WWW- and Proxy-Authenticate, or Authorization and
// Proxy-Authorization, of every challenge and answer).
func (m *Message) HeaderPair(a, b string) (av, bv []string) {
	ha, hb := siplex.Lookup(a), siplex.Lookup(b)
	siplex.Headers(m.Raw(), func(n, v []byte) bool {
		switch {
		case siplex.Is(n, ha):
			av = append(av, bstr(v))
		case siplex.Is(n, hb):
			bv = append(bv, bstr(v))
		}
		return true
	})
	return av, bv
}

// Headers returns every header in order, for display.
func (m *Message) Headers() [][2]string {
	var out [][2]string
	siplex.Headers(m.Raw(), func(n, v []byte) bool { out = append(out, [2]string{bstr(n), bstr(v)}); return true })
	return out
}
