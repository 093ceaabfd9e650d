package analysis

import (
	"net/netip"

	"github.com/sipdbg/sipdbg/session"
)

// This file words private addresses (RFC 1918, RFC 6598 shared address
// space) that a message asks the far end to reach although it came from
// another address: the signature of a client behind a NAT that does not
// know it. Whether it breaks anything depends on the server (a registrar
// that rewrites the Contact, a proxy that uses the source address, a
// media relay), so the findings are info: the cause they name shows in
// the failure that follows (an ACK that never arrives, no audio).

// privateContact returns m's Contact address when it is private and not
// the address m came from, else "" (read while loading: session's
// PrivateReach).
func (d *diag) privateContact(m *session.Message) string {
	if a, via, ok := m.PrivateReach(); ok && !via {
		return a.Addr().String()
	}
	return ""
}

// nat reports, once per call, the first message whose Contact or top Via
// (without rport) holds a private address other than its source, and the
// first session description whose connection address does. What it
// reads was kept while loading (session's reach.go): no message's bytes.
func (d *diag) nat(as []*attempt) {
	if !d.c.PrivateAddrs {
		return // no message of the call names a private address: nothing below can be said
	}
	var reachAt, mediaAt *session.Message
	var reachTx, mediaTx *session.Transaction
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		for _, mi := range tx.Msgs {
			m := d.s.Msg(int(mi))
			if m.Has(session.FlagRetransmission) || !natRelevant(m, tx) {
				continue
			}
			if _, _, ok := m.PrivateReach(); ok && (reachAt == nil || m.Seq < reachAt.Seq) {
				reachAt, reachTx = m, tx
			}
			if _, _, ok := m.PrivateMedia(); ok && (mediaAt == nil || m.Seq < mediaAt.Seq) {
				mediaAt, mediaTx = m, tx
			}
		}
	}
	if reachAt != nil && d.sawFrom(reachTx, reachAt) {
		reachAt = nil // the server saw the request come from that very address: no NAT (a rewritten or local capture)
	}
	if reachAt != nil {
		a, via, _ := reachAt.PrivateReach()
		where := "Contact"
		if via {
			where = "Via"
		}
		f := d.fPrivateContact(reachAt, reachTx, a.Addr().String(), where)
		if ok := d.storedAsIs(reachTx); ok != nil {
			// The registrar's 2xx lists the binding as sent: every call to
			// this address of record will go to the private address.
			f.Severity = Warning
			f.Messages = d.idx(reachAt, ok)
			f.Summary = d.concat(f.Summary, "; the registrar stored it as is (", d.statusText(ok), ")")
		}
		d.add(f)
	}
	if mediaAt != nil {
		a, kind, _ := mediaAt.PrivateMedia()
		d.add(d.fPrivateSDP(mediaAt, mediaTx, a, kind))
	}
}

// sawFrom reports whether a response of tx says, in its top Via's
// received parameter, that the request came from the private address m
// names: the element saw no NAT.
func (d *diag) sawFrom(tx *session.Transaction, m *session.Message) bool {
	a, _, ok := m.PrivateReach()
	if !ok || !m.IsRequest() {
		return false
	}
	for _, mi := range tx.Response {
		if r, ok := d.s.Msg(int(mi)).ViaReceived(); ok && r == a.Addr() {
			return true
		}
	}
	return false
}

// storedAsIs returns the 2xx to a REGISTER whose Contact lists a private
// binding without a received parameter (read while loading: the 2xx's
// PrivateReach), nil when there is none.
func (d *diag) storedAsIs(tx *session.Transaction) *session.Message {
	if tx.Method != "REGISTER" || tx.Final < 200 || tx.Final >= 300 {
		return nil
	}
	for _, mi := range tx.Response {
		if m := d.s.Msg(int(mi)); m.Status >= 200 && m.Status < 300 {
			if _, via, ok := m.PrivateReach(); ok && !via {
				return m
			}
		}
	}
	return nil
}

// natRelevant: the messages whose Contact and SDP the far end acts on —
// requests that set up a dialog or a registration, and the provisional
// and success responses to INVITE and UPDATE. The method is the
// transaction's (kept), not read from the message.
func natRelevant(m *session.Message, tx *session.Transaction) bool {
	switch tx.Method {
	case "INVITE", "UPDATE":
		return m.IsRequest() && len(m.Method()) == len(tx.Method) || m.Status >= 180 && m.Status < 300
	case "REGISTER", "SUBSCRIBE":
		return m.IsRequest()
	}
	return false
}

func (d *diag) fPrivateContact(m *session.Message, tx *session.Transaction, host, where string) Finding {
	what := tx.Method
	if !m.IsRequest() {
		what = d.statusText(m)
	}
	summary := d.concat(what, " from ", m.Src().Addr().String(), " gives the private address ", host, " in its ", where)
	expl := "The message came from " + m.Src().Addr().String() + " but asks to be reached at " + host + ", an address the far end " +
		"cannot reach: the sender is behind a NAT and writes its own LAN address. "
	if where == "Via" {
		expl += "Responses go to the Via's address (RFC 3261 §18.2.2) unless the request carries rport (RFC 3581): without it they are lost. "
	} else {
		expl += "Whatever the far end sends to the Contact is lost unless something rewrites it: the ACK of a 2xx and every " +
			"in-dialog request (BYE, re-INVITE), and, for a REGISTER, every incoming call. "
	}
	expl += "On the client, turn on its NAT traversal (STUN, ICE, or outbound/keep-alive, RFC 5626) so it writes its public " +
		"address; on the server, make it use the packet's source address for Contact and responses (rport and received, " +
		"and a Contact rewrite for NATed clients)"
	if p, ok := d.natServerOf(tx); ok {
		expl += ". The server is " + p.name + ": " + p.contact
	}
	expl += ". The call may still have worked if the server did that."
	return Finding{Code: CodeNATPrivateContact, Severity: Info, Messages: d.idx(m), RFC: "RFC 3261 §8.1.1.8, §18.2.2; RFC 3581",
		Summary: summary, Explanation: expl}
}

func (d *diag) fPrivateSDP(m *session.Message, tx *session.Transaction, at netip.AddrPort, kind string) Finding {
	what := tx.Method
	if !m.IsRequest() {
		what = d.statusText(m)
	}
	summary := d.concat(what, " from ", m.Src().Addr().String(), " asks for ", kind, " at the private address ", at.String())
	expl := "The session description says to send " + kind + " to " + at.Addr().String() + ", but the signalling came from " +
		m.Src().Addr().String() + ": the sender is behind a NAT and wrote its LAN address. Media sent there is lost, which " +
		"gives one-way or no audio, unless the far end sends to where the RTP comes from (symmetric RTP, comedia) or a media " +
		"relay rewrites the address. Turn on the client's NAT traversal (STUN or ICE) or the server's media relay / symmetric RTP."
	if p, ok := d.natServerOf(tx); ok {
		expl += " The server is " + p.name + ": " + p.media + "."
	}
	return Finding{Code: CodeNATPrivateSDP, Severity: Info, Messages: d.idx(m), RFC: "RFC 4566 §5.7; RFC 3264 §5",
		Summary: summary, Explanation: expl}
}
