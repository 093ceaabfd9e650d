package probe

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sipdbg/sipdbg/siplex"
)

// Tracer receives every SIP message sipgo writes or reads (sip.SIPTracer)
// and keeps it, with its addresses and time, for the session of the
// probe. sipgo's tracer is process-global: Run installs one (wire) the
// first time, and every probe records through it.
type Tracer struct {
	mu      sync.Mutex
	records []Record
	on      bool
	watch   func([]Record)
}

// Record is one message on the wire, as sipgo saw it.
type Record struct {
	Time      time.Time
	Src, Dst  netip.AddrPort
	Transport string // UDP, TCP, TLS, WS, WSS
	Data      []byte
	Sent      bool
}

// NewTracer returns a tracer that records nothing until Start.
func NewTracer() *Tracer { return &Tracer{} }

// Start begins a recording, dropping any earlier one.
func (t *Tracer) Start() {
	t.mu.Lock()
	t.records, t.on = nil, true
	t.mu.Unlock()
}

// Watch calls fn with the recording so far, in order, after each message
// (nil stops it), so that a view can show the exchange as it happens. fn
// runs on sipgo's goroutines: it must not block.
func (t *Tracer) Watch(fn func([]Record)) {
	t.mu.Lock()
	t.watch = fn
	t.mu.Unlock()
}

// Stop ends the recording and returns it.
func (t *Tracer) Stop() []Record {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.records
	t.records, t.on = nil, false
	return inOrder(r)
}

// inOrder repairs the order in which sipgo logged the exchange: it logs
// a write after the socket call returns, so the answer to a request can
// be read, and logged, first, by a millisecond on an idle machine and by
// more under load. The exchange's own sequence decides, not a time
// slack: a response goes after the request it answers (same top Via
// branch, its CSeq method), and a request a response provoked (the ACK of
// a non-2xx final response, a CANCEL after a provisional one) goes after
// that response. A message that now follows one logged later takes that
// time plus a microsecond, so that times stay in order.
func inOrder(r []Record) []Record {
	for i, moves := 0, 0; i < len(r); i++ {
		// A message moved back may need its own cause moved too; a chain
		// is three long at most (CANCEL ← 180 ← INVITE): more is a
		// crafted exchange, left as logged.
		if j := cause(r, i); j > i && moves < 4 {
			moved := r[j]
			copy(r[i+1:j+1], r[i:j])
			r[i] = moved
			moves++
			i--
			continue
		}
		moves = 0
	}
	for i := 1; i < len(r); i++ {
		if !r[i].Time.After(r[i-1].Time) {
			r[i].Time = r[i-1].Time.Add(time.Microsecond)
		}
	}
	return r
}

// cause returns the index, after i, of the message r[i] depends on when
// none comes before it: the request a response answers, the response an
// ACK or a CANCEL follows. -1 when r[i] is in place.
func cause(r []Record, i int) int {
	x := &r[i]
	b := branch(x.Data)
	if b == "" {
		return -1
	}
	var is func(y *Record) bool
	switch m := method(x.Data); {
	case !x.Sent && m == "": // a response: its request was sent
		want := cseqMethod(x.Data)
		is = func(y *Record) bool { return y.Sent && method(y.Data) == want }
	case x.Sent && m == "ACK": // after the final response to the INVITE
		is = func(y *Record) bool {
			return !y.Sent && method(y.Data) == "" && cseqMethod(y.Data) == "INVITE" && statusClass(y.Data) >= 3
		}
	case x.Sent && m == "CANCEL": // after a provisional response to the INVITE
		is = func(y *Record) bool {
			return !y.Sent && method(y.Data) == "" && cseqMethod(y.Data) == "INVITE" && statusClass(y.Data) == 1
		}
	default:
		return -1
	}
	for k := range r {
		if k != i && branch(r[k].Data) == b && is(&r[k]) {
			if k < i {
				return -1 // in place
			}
			return k
		}
	}
	return -1
}

// statusClass is the first digit of a response's status code, 0 for a
// request.
func statusClass(msg []byte) int {
	if len(msg) < 9 || method(msg) != "" {
		return 0
	}
	return int(msg[8] - '0')
}

// method returns the method of a request, "" for a response.
func method(msg []byte) string {
	if strings.HasPrefix(string(msg[:min(len(msg), 8)]), "SIP/2.0 ") {
		return ""
	}
	if i := strings.IndexByte(string(msg[:min(len(msg), 32)]), ' '); i > 0 {
		return string(msg[:i])
	}
	return ""
}

// cseqMethod returns the method of the CSeq header (RFC 3261 §20.16),
// read with the one SIP lexer.
func cseqMethod(msg []byte) string {
	var method string
	siplex.Headers(msg, func(name, value []byte) bool {
		if siplex.Is(name, siplex.CSeq) {
			if _, m, ok := siplex.SplitCSeq(value); ok {
				method = string(m)
			}
			return false
		}
		return true
	})
	return method
}

// branch returns the branch parameter of the first Via of a message
// (RFC 3261 §20.42), read with the one SIP lexer.
func branch(msg []byte) string {
	var b string
	siplex.Headers(msg, func(name, value []byte) bool {
		if siplex.Is(name, siplex.Via) {
			b = string(siplex.Param(siplex.TopVia(value).Params, "branch"))
			return false
		}
		return true
	})
	return b
}

func (t *Tracer) add(transport, from, to string, msg []byte, sent bool) {
	src, err1 := netip.ParseAddrPort(from)
	dst, err2 := netip.ParseAddrPort(to)
	if err1 != nil || err2 != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.on {
		return
	}
	t.records = append(t.records, Record{Time: time.Now(), Src: src, Dst: dst, Transport: strings.ToUpper(transport),
		Data: append([]byte(nil), msg...), Sent: sent})
	if t.watch != nil {
		t.watch(inOrder(slices.Clone(t.records)))
	}
}

// SIPTraceRead records a message read from raddr on laddr.
func (t *Tracer) SIPTraceRead(transport, laddr, raddr string, msg []byte) {
	t.add(transport, raddr, laddr, msg, false)
}

// SIPTraceWrite records a message written from laddr to raddr.
func (t *Tracer) SIPTraceWrite(transport, laddr, raddr string, msg []byte) {
	t.add(transport, laddr, raddr, msg, true)
}
