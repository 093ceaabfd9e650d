package analysis

import "github.com/sipdbg/sipdbg/session"

// The ACK of a non-2xx final response to INVITE belongs to the INVITE's
// transaction (RFC 3261 §17.1.1.3): without it the server retransmits
// the response until timer H. A 407 to INVITE must be ACKed like any
// other.

// acks checks that each non-2xx final response to INVITE was ACKed in
// its transaction (RFC 3261 §17.1.1.3).
func (d *diag) acks(as []*attempt) {
	for _, a := range as {
		if a.tx.Method != "INVITE" || a.final == nil || a.final.Status < 300 || a.tx.ACK >= 0 {
			continue
		}
		if ack := d.strayACK(a); ack != nil {
			d.add(d.fACKBranch(a, ack))
			continue
		}
		retrans := 0
		for _, mi := range a.tx.Msgs {
			m := d.s.Msg(int(mi))
			if !m.IsRequest() && m.Status == a.final.Status && m.Has(session.FlagRetransmission) {
				retrans++
			}
		}
		if retrans > 0 || d.laterFromUAC(a) {
			d.add(d.fACKMissing(a, retrans))
		}
	}
}

// strayACK finds an ACK with the INVITE's CSeq and the response's To tag
// that landed in a transaction of its own: a new branch.
func (d *diag) strayACK(a *attempt) *session.Message {
	for _, tx := range d.index().acks[a.tx.CSeq] {
		ack := d.s.Msg(int(tx.Request))
		if ack.Seq > a.final.Seq && ack.ToTag() == a.final.ToTag() {
			return ack
		}
	}
	return nil
}

// laterFromUAC reports a later request from the INVITE's sender: the UA
// was alive after the response and still did not ACK it.
func (d *diag) laterFromUAC(a *attempt) bool {
	return a.req != nil && d.index().laterRequest(a.req.Src().Addr(), a.final.Seq, nil)
}

func (d *diag) fACKMissing(a *attempt, retrans int) Finding {
	evidence := "no ACK in the capture"
	if retrans > 0 {
		evidence = "the response was retransmitted " + plural(retrans, "time") + " with no ACK"
	}
	return Finding{Code: CodeACKMissing, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §17.1.1.3",
		Summary: d.statusText(a.final) + " to INVITE never ACKed: " + evidence,
		Explanation: "Every non-2xx final response to INVITE must be ACKed in the same transaction (same Via branch, same CSeq " +
			"number). Without the ACK the server retransmits the response until timer H (32 s) and keeps the transaction and " +
			"any dialog state: a leak under load, and a retry INVITE may meet the old transaction. Fix the UA; behind NAT make " +
			"sure responses reach it (rport/received, RFC 3581)."}
}

func (d *diag) fACKBranch(a *attempt, ack *session.Message) Finding {
	return Finding{Code: CodeACKBranchMismatch, Severity: Error, Messages: d.idx(a.final, ack), RFC: "RFC 3261 §17.1.1.3",
		Summary: "the ACK for " + d.statusText(a.final) + " has Via branch \"" + ack.Branch() + "\", the INVITE had \"" + a.final.Branch() + "\"",
		Explanation: "The ACK of a non-2xx final response belongs to the INVITE's transaction and must carry the INVITE's top Via " +
			"branch. With a new branch it matches no transaction at the server, which keeps retransmitting the response " +
			"until timer H. (Only the ACK of a 2xx is a new transaction with a new branch.) In SIPp scenarios, check the N of " +
			"[branch-N]: it counts scenario elements, not messages."}
}
