package probe

import (
	"context"
	"fmt"
	"strings"

	"github.com/emiago/sipgo/sip"
)

// cancel ends an INVITE that is ringing (RFC 3261 §9.1): CANCEL with the
// INVITE's Via branch, then the 487 it draws is ACKed by sipgo's
// transaction layer.
func (p *prober) cancel(ctx context.Context, inv *sip.Request) {
	via := inv.Via()
	if via == nil {
		return
	}
	raw := fmt.Sprintf("CANCEL %s SIP/2.0\r\nVia: %s\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d CANCEL\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
		inv.Recipient.String(), via.Value(), inv.From().Value(), inv.To().Value(), p.callID, p.cseq)
	msg, err := sip.ParseMessage([]byte(raw))
	if err != nil {
		return
	}
	c := msg.(*sip.Request)
	c.SetDestination(p.server)
	c.SetTransport(p.transport())
	p.send(ctx, c)
}

// ackAndBye confirms a 2xx to INVITE and hangs up at once (RFC 3261
// §13.2.2.4, §15.1.1): the test leaves no call up.
func (p *prober) ackAndBye(ctx context.Context, inv *sip.Request, res *sip.Response) {
	target := inv.Recipient.String()
	if c := res.Contact(); c != nil {
		target = c.Address.String()
	}
	var routes []string
	rr := res.GetHeaders("Record-Route")
	for i := len(rr) - 1; i >= 0; i-- { // the UAC's route set is the Record-Route reversed (§12.1.2)
		routes = append(routes, "Route: "+rr[i].Value()+"\r\n")
	}
	build := func(method string, cseq int) *sip.Request {
		raw := fmt.Sprintf("%s %s SIP/2.0\r\n%sFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
			method, target, strings.Join(routes, ""), inv.From().Value(), res.To().Value(), p.callID, cseq, method)
		msg, err := sip.ParseMessage([]byte(raw))
		if err != nil {
			return nil
		}
		r := msg.(*sip.Request)
		r.SetDestination(p.server)
		r.SetTransport(p.transport())
		return r
	}
	if ack := build("ACK", p.cseq); ack != nil {
		p.cli.WriteRequest(ack)
	}
	p.cseq++
	if bye := build("BYE", p.cseq); bye != nil {
		p.send(ctx, bye)
	}
}
