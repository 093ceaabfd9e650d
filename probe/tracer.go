package probe

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
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

// writeSlack is how far apart a write and a read may be logged out of
// order: sipgo logs a write after the socket call returns, and on
// loopback the answer can be read (and logged) before that.
const writeSlack = 5 * time.Millisecond

// inOrder repairs the order in which sipgo logged messages that crossed
// within a few milliseconds (it logs a write after the socket call
// returns): an answer goes after the request it answers, and a request
// that a response provoked (the ACK of a non-2xx, a CANCEL after a 180)
// goes after that response. Messages are matched by top Via branch.
func inOrder(r []Record) []Record {
	for changed := true; changed; {
		changed = false
		for i := 0; i+1 < len(r); i++ {
			x, y := &r[i], &r[i+1]
			if y.Time.Sub(x.Time) >= writeSlack || branch(x.Data) != branch(y.Data) || !swap(x, y) {
				continue
			}
			*x, *y = *y, *x
			if !y.Time.After(x.Time) {
				y.Time = x.Time.Add(time.Microsecond)
			}
			changed = true
		}
	}
	return r
}

// swap reports whether y must come before x (same branch, logged close).
func swap(x, y *Record) bool {
	xm, ym := method(x.Data), method(y.Data)
	switch {
	case !x.Sent && y.Sent && xm == "" && ym != "ACK":
		return cseqMethod(x.Data) == ym // y's answer was logged first
	case x.Sent && !y.Sent && (xm == "ACK" || xm == "CANCEL") && ym == "":
		return cseqMethod(y.Data) == "INVITE" // y provoked x
	}
	return false
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

// cseqMethod returns the method of the CSeq header.
func cseqMethod(msg []byte) string {
	s := string(msg)
	i := strings.Index(strings.ToLower(s), "\ncseq:")
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+7 : i+7+strings.IndexByte(s[i+7:]+"\n", '\n')])
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// branch returns the branch parameter of the first Via of a message.
func branch(msg []byte) string {
	s := string(msg)
	i := strings.Index(strings.ToLower(s), "\nvia:")
	if i < 0 {
		i = strings.Index(strings.ToLower(s), "\nv:")
	}
	if i < 0 {
		return ""
	}
	line := s[i+1:]
	if e := strings.IndexByte(line, '\n'); e >= 0 {
		line = line[:e]
	}
	b := strings.Index(line, "branch=")
	if b < 0 {
		return ""
	}
	v := line[b+7:]
	if e := strings.IndexAny(v, ";,\r "); e >= 0 {
		v = v[:e]
	}
	return v
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
