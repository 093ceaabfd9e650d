package analysis

import (
	"strconv"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// DTMF modes that do not match (RFC 4733, RFC 6086): digits sent as SIP
// INFO where both sides negotiated telephone-event, and telephone-events
// sent where they were not negotiated.

// dtmfInfo reports DTMF sent as SIP INFO in a call whose offer and answer
// both negotiated RFC 4733 telephone-events: the far end may listen for
// only one of the two. A warning when an INFO was refused or never
// answered; info when the far end took every one (a 2xx: RFC 6086 §4.2.2).
func (d *diag) dtmfInfo(p plan) {
	if !hasEvents(p.offer) || !hasEvents(p.answer) {
		return
	}
	var first *session.Message
	var ct string
	n, refused := 0, 0
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		if tx.Method != "INFO" || tx.Request < 0 {
			continue
		}
		m := d.s.Msg(int(tx.Request))
		c := strings.ToLower(strings.Join(m.Header("Content-Type"), ","))
		if !strings.Contains(c, "dtmf") {
			continue
		}
		if first == nil {
			first, ct = m, c
		}
		n++
		if tx.Final < 200 || tx.Final >= 300 {
			refused++
		}
	}
	if first == nil {
		return
	}
	f := Finding{Code: CodeDTMFMismatch, Severity: Info, Messages: d.idx(p.a.req, p.a.final, first), RFC: "RFC 4733 §2; RFC 6086",
		Summary: d.concat(strconv.Itoa(n), " DTMF digit(s) sent as SIP INFO (", ct, ") though both sides negotiated telephone-event"),
		Explanation: "The offer and the answer both list telephone-event (RFC 4733), so digits are expected in the RTP, " +
			"yet this side sends them in INFO requests. A far end that listens only to the RTP events (most IVRs and " +
			"gateways) hears no digit. Set both sides to the same DTMF mode: RFC 2833/4733 unless the service asks for INFO."}
	if refused > 0 {
		f.Severity = Warning
		f.Summary = d.concat(f.Summary, "; ", strconv.Itoa(refused), " of them refused or unanswered")
	} else {
		f.Summary = d.concat(f.Summary, "; the far end accepted each")
	}
	d.add(f)
}

// isEvents reports a payload type whose packets all have the size of
// RFC 4733 events (dynamic types only: a static codec is audio).
func isEvents(tc session.TypeCount) bool {
	return tc.PT >= 96 && tc.Events == tc.Packets && tc.Packets > 0
}

// dtmfEvents reports RFC 4733 events sent in a call whose offer and
// answer did not both list telephone-event (RFC 4733 §7.1.1: the events
// are sent only when negotiated): the far end may drop them as an
// unknown payload type, and the digit is lost.
func (d *diag) dtmfEvents(p plan, st *session.Stream, name string) {
	if hasEvents(p.offer) && hasEvents(p.answer) || d.eventsNegotiated() {
		return
	}
	sm := st.Stats()
	n, pt := 0, -1
	for _, tc := range st.Types {
		if isEvents(tc) || (len(sm.DTMF) > 0 && tc.Events > 0) {
			n, pt = n+tc.Packets, int(tc.PT)
		}
	}
	if n == 0 {
		return
	}
	missing := "both the offer and the answer"
	switch {
	case hasEvents(p.offer):
		missing = "the answer"
	case hasEvents(p.answer):
		missing = "the offer"
	}
	d.add(Finding{Code: CodeDTMFMismatch, Severity: Warning, Messages: d.idx(p.a.req, p.a.final), RFC: "RFC 4733 §2, §7.1.1",
		Summary: d.concat("RTP ", name, " carries ", strconv.Itoa(n), " RFC 4733 event packets (payload type ", strconv.Itoa(pt),
			") but telephone-event is missing from ", missing),
		Explanation: "Digits travel as RFC 4733 events only when both session descriptions list telephone-event; here " +
			missing + " does not, so the receiver may drop these packets as an unknown payload type and never see the digit. " +
			"Set both sides to the same DTMF mode: enable RFC 2833/4733 on the side that left it out, or switch the sender " +
			"to SIP INFO or in-band tones as the other side expects."})
}

// eventsNegotiated reports whether any offer/answer of the call listed
// telephone-event on both sides (a re-INVITE may leave it out while the
// events of the first exchange go on).
func (d *diag) eventsNegotiated() bool {
	for _, p := range d.exchanges {
		if hasEvents(p.offer) && hasEvents(p.answer) {
			return true
		}
	}
	return false
}

func hasEvents(m mline) bool {
	for _, c := range m.codecs {
		if strings.Contains(strings.ToLower(c), "telephone-event/") {
			return true
		}
	}
	return false
}
