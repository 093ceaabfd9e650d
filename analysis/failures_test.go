package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// The edges of the failure codes, on exchanges written here message by
// message (the lab's captures, made by real stacks, hold the main cases:
// testdata/captures/failures).

var (
	uac   = netip.MustParseAddrPort("198.51.100.10:5060")
	proxy = netip.MustParseAddrPort("203.0.113.1:5060")
	uas   = netip.MustParseAddrPort("203.0.113.20:5060")
)

// exchange builds a store from messages given as "seconds src>dst text",
// the text's lines joined with CRLF and its Call-ID, From, To and Via
// filled in from the defaults unless given.
type exchange struct {
	t     *testing.T
	s     *session.Store
	start time.Time
}

func newExchange(t *testing.T) *exchange {
	return &exchange{t: t, s: session.NewStore(), start: time.Unix(1.7e9, 0)}
}

// add adds msg (start line and extra headers, "|" between lines) sent at
// sec from src to dst, with CSeq cseq. A Via given in msg replaces the
// default one (a proxy's hop has its own branch).
func (e *exchange) add(sec float64, src, dst netip.AddrPort, msg string, cseq string, extra ...string) {
	lines := strings.Split(msg, "|")
	first := lines[0]
	via := "Via: SIP/2.0/UDP 198.51.100.10:5060;rport;branch=z9hG4bK-" + strings.Fields(cseq)[0] + strings.Fields(cseq)[1]
	if i := slices.IndexFunc(lines[1:], func(l string) bool { return strings.HasPrefix(l, "Via:") }); i >= 0 {
		via = lines[1+i]
		lines = slices.Delete(lines, 1+i, 2+i)
	}
	hdr := []string{first, via,
		"From: <sip:alice@example.com>;tag=a1", "Call-ID: call-1@example.com", "CSeq: " + cseq, "Max-Forwards: 70"}
	to := "To: <sip:bob@example.com>"
	if !strings.HasPrefix(first, "INVITE") && !strings.HasPrefix(first, "REGISTER") && !strings.HasPrefix(first, "CANCEL") ||
		strings.HasPrefix(first, "SIP/2.0 2") || strings.HasPrefix(first, "SIP/2.0 18") {
		to += ";tag=b1"
	}
	hdr = append(hdr, to)
	hdr = append(hdr, lines[1:]...)
	hdr = append(hdr, extra...)
	raw := strings.Join(hdr, "\r\n") + "\r\nContent-Length: 0\r\n\r\n"
	e.s.Message(&session.Input{Time: e.start.Add(time.Duration(sec * 1e9)), Src: src, Dst: dst, Transport: session.UDP, Data: []byte(raw)})
}

// findings diagnoses the exchange's only call.
func (e *exchange) findings() []Finding {
	e.t.Helper()
	if len(e.s.Calls()) != 1 {
		e.t.Fatalf("%d calls", len(e.s.Calls()))
	}
	return Diagnose(e.s, e.s.Calls()[0], Options{})
}

// has returns the finding of that code, or nil.
func has(fs []Finding, c Code) *Finding {
	for i := range fs {
		if fs[i].Code == c {
			return &fs[i]
		}
	}
	return nil
}

func codeList(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s/%s ", f.Code, f.Severity)
	}
	return b.String()
}

// An INVITE retransmitted at doubling intervals and never answered is a
// timeout once the capture reaches timer B; not before, and not with two
// copies (one lost packet).
func TestTransactionTimeoutEdges(t *testing.T) {
	build := func(copies int, end float64) []Finding {
		e := newExchange(t)
		at := 0.0
		for i := 0; i < copies; i++ {
			e.add(at, uac, uas, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE")
			at = at*2 + 0.5
		}
		e.add(end, uac, uas, "OPTIONS sip:bob@example.com SIP/2.0", "2 OPTIONS") // the capture goes on
		return e.findings()
	}
	if f := has(build(7, 33), CodeTransactionTimeout); f == nil || f.Severity != Error || !strings.Contains(f.Summary, "sent 7 times to 203.0.113.20:5060") {
		t.Errorf("seven copies over 31.5 s: %+v", f)
	}
	if fs := build(7, 12); has(fs, CodeTransactionTimeout) != nil {
		t.Errorf("the capture ends at 12 s: %s", codeList(fs))
	}
	if fs := build(2, 40); has(fs, CodeTransactionTimeout) != nil {
		t.Errorf("two copies: %s", codeList(fs))
	}
}

// A 2xx retransmitted without an ACK is an error once the UAS hangs up
// (or 32 s pass), a warning when the capture ends sooner, nothing when
// the ACK came.
func TestACK2xxMissingEdges(t *testing.T) {
	build := func(ack bool, bye float64) []Finding {
		e := newExchange(t)
		e.add(0, uac, uas, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", "Contact: <sip:alice@198.51.100.10>")
		at := 0.1
		for i := 0; i < 5; i++ {
			e.add(at, uas, uac, "SIP/2.0 200 OK", "1 INVITE", "Contact: <sip:bob@203.0.113.20>")
			if ack && i == 0 {
				e.add(at+0.01, uac, uas, "ACK sip:bob@203.0.113.20 SIP/2.0", "1 ACK")
			}
			at = at*2 + 0.5
		}
		if bye > 0 {
			e.add(bye, uas, uac, "BYE sip:alice@198.51.100.10 SIP/2.0", "1 BYE", "Reason: SIP;cause=408;text=\"ACK timeout\"")
		}
		return e.findings()
	}
	if f := has(build(false, 32.1), CodeACK2xxMissing); f == nil || f.Severity != Error || !strings.Contains(f.Summary, "the caller sent no ACK") ||
		!strings.Contains(f.Summary, "BYE after 32.0 s") || !strings.Contains(f.Summary, "ACK timeout") {
		t.Errorf("no ACK, BYE at 32 s: %+v", f)
	}
	if f := has(build(false, 0), CodeACK2xxMissing); f == nil || f.Severity != Warning {
		t.Errorf("no ACK, the capture ends at 7.5 s: %+v", f)
	}
	if fs := build(true, 0); has(fs, CodeACK2xxMissing) != nil {
		t.Errorf("ACKed: %s", codeList(fs))
	}
}

// 481 breaks the call for a BYE or re-INVITE, not for a CANCEL that
// crossed the final response (RFC 3261 §9.2).
func TestDialogMismatchEdges(t *testing.T) {
	e := newExchange(t)
	e.add(0, uac, uas, "BYE sip:bob@203.0.113.20 SIP/2.0", "2 BYE")
	e.add(0.1, uas, uac, "SIP/2.0 481 Call/Transaction Does Not Exist", "2 BYE")
	if f := has(e.findings(), CodeDialogMismatch); f == nil || f.Severity != Error || !strings.Contains(f.Explanation, "No dialog with these tags") {
		t.Errorf("481 to BYE: %+v", f)
	}
	c := newExchange(t)
	c.add(0, uac, uas, "CANCEL sip:bob@example.com SIP/2.0", "1 CANCEL")
	c.add(0.1, uas, uac, "SIP/2.0 481 Call/Transaction Does Not Exist", "1 CANCEL")
	if fs := c.findings(); has(fs, CodeDialogMismatch) != nil {
		t.Errorf("481 to CANCEL: %s", codeList(fs))
	}
}

// 423 then a retry that is accepted is the negotiation working (info);
// without a retry the client stays unregistered (error).
func TestIntervalTooBriefEdges(t *testing.T) {
	build := func(retry bool) *Finding {
		e := newExchange(t)
		e.add(0, uac, proxy, "REGISTER sip:example.com SIP/2.0|Expires: 60", "1 REGISTER", "Contact: <sip:alice@198.51.100.10>")
		e.add(0.1, proxy, uac, "SIP/2.0 423 Interval Too Brief|Min-Expires: 3600", "1 REGISTER")
		if retry {
			e.add(0.2, uac, proxy, "REGISTER sip:example.com SIP/2.0|Expires: 3600", "2 REGISTER", "Contact: <sip:alice@198.51.100.10>")
			e.add(0.3, proxy, uac, "SIP/2.0 200 OK", "2 REGISTER")
		}
		return has(e.findings(), CodeIntervalTooBrief)
	}
	if f := build(true); f == nil || f.Severity != Info || !strings.Contains(f.Summary, "Min-Expires 3600") || !strings.Contains(f.Summary, "accepted") {
		t.Errorf("retried: %+v", f)
	}
	if f := build(false); f == nil || f.Severity != Error || !strings.Contains(f.Summary, "no retry") {
		t.Errorf("not retried: %+v", f)
	}
}

// Post-dial delay: ringing after 6 s of an answered call is info, a
// caller who cancels after 8 s of silence is an error, 3 s is nothing.
func TestSlowSetupEdges(t *testing.T) {
	build := func(ring float64, cancel bool) *Finding {
		e := newExchange(t)
		e.add(0, uac, uas, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE")
		e.add(0.05, uas, uac, "SIP/2.0 100 Trying", "1 INVITE")
		switch {
		case cancel:
			e.add(8, uac, uas, "CANCEL sip:bob@example.com SIP/2.0", "1 CANCEL")
			e.add(8.1, uas, uac, "SIP/2.0 200 OK", "1 CANCEL")
			e.add(8.2, uas, uac, "SIP/2.0 487 Request Terminated", "1 INVITE")
		default:
			e.add(ring, uas, uac, "SIP/2.0 180 Ringing", "1 INVITE")
			e.add(ring+1, uas, uac, "SIP/2.0 200 OK", "1 INVITE")
			e.add(ring+1.1, uac, uas, "ACK sip:bob@203.0.113.20 SIP/2.0", "1 ACK")
		}
		return has(e.findings(), CodeSlowSetup)
	}
	if f := build(6, false); f == nil || f.Severity != Info || !strings.Contains(f.Summary, "180 Ringing came 6.0 s after") {
		t.Errorf("ringing at 6 s: %+v", f)
	}
	if f := build(11, false); f == nil || f.Severity != Warning {
		t.Errorf("ringing at 11 s: %+v", f)
	}
	if f := build(0, true); f == nil || f.Severity != Error || !strings.Contains(f.Summary, "gave up after 8.0 s") {
		t.Errorf("cancelled at 8 s: %+v", f)
	}
	if f := build(3, false); f != nil {
		t.Errorf("ringing at 3 s: %+v", f)
	}
}

// Copies of a request sent half a second apart are retransmissions; a
// packet the capture saw twice within a millisecond is not.
func TestRetransmissionsEdges(t *testing.T) {
	build := func(gap float64) *Finding {
		e := newExchange(t)
		e.add(0, uac, uas, "OPTIONS sip:bob@example.com SIP/2.0", "1 OPTIONS")
		e.add(gap, uac, uas, "OPTIONS sip:bob@example.com SIP/2.0", "1 OPTIONS")
		e.add(gap+0.1, uas, uac, "SIP/2.0 200 OK", "1 OPTIONS")
		return has(e.findings(), CodeRetransmissions)
	}
	if f := build(0.5); f == nil || f.Severity != Info || !strings.Contains(f.Summary, "OPTIONS 198.51.100.10:5060 → 203.0.113.20:5060 sent 2 times") {
		t.Errorf("a copy after 500 ms: %+v", f)
	}
	if f := build(0.0005); f != nil {
		t.Errorf("the same packet twice: %+v", f)
	}
}
