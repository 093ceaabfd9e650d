package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/sipdbg/sipdbg/analysis"
)

// exchange sends the request, answers challenges, and ends an INVITE.
func (p *prober) exchange(ctx context.Context) Result {
	var last *sip.Response
	for attempt := 0; attempt < maxAttempts; attempt++ {
		req, err := p.request()
		if err != nil {
			return Result{Outcome: OutcomeError, Reason: err.Error()}
		}
		res, ringing, err := p.send(ctx, req)
		if err != nil {
			return p.failed(err, last)
		}
		if res == nil { // INVITE answered with 18x after authentication, now cancelled
			return Result{Outcome: OutcomeOK, Final: uint16(ringing.StatusCode), Reason: ringing.StartLine()}
		}
		last = res
		if res.StatusCode != 401 && res.StatusCode != 407 {
			return p.finish(ctx, req, res)
		}
		if why := p.answerChallenges(req, res); why != "" {
			return Result{Outcome: OutcomeRejected, Final: uint16(res.StatusCode), Reason: res.StartLine() + ": " + why, MissingRealm: p.missing}
		}
		p.cseq++
	}
	return Result{Outcome: OutcomeRejected, Final: uint16(last.StatusCode), Reason: last.StartLine() + ": still challenged after every realm was answered"}
}

// request builds the next attempt: same Call-ID and From tag, the next
// CSeq, a new branch (added by sipgo), and every realm's credentials so
// far (RFC 3261 §8.1.3.5, §22.3).
func (p *prober) request() (*sip.Request, error) {
	m := p.cfg.Method
	var b strings.Builder
	ruri := p.target.String()
	to := "<" + p.target.String() + ">"
	if m == "REGISTER" {
		ruri = "sip:" + p.target.Host
		if p.target.Port > 0 {
			ruri += fmt.Sprintf(":%d", p.target.Port)
		}
	}
	host, port, _ := net.SplitHostPort(p.local)
	contact := fmt.Sprintf("<sip:%s@%s;transport=%s>", userOr(p.from.User, "sipdbg"), net.JoinHostPort(host, port), strings.ToLower(p.transport()))
	fmt.Fprintf(&b, "%s %s SIP/2.0\r\nFrom: <%s>;tag=%s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\nContact: %s\r\nMax-Forwards: 70\r\nUser-Agent: sipdbg probe\r\n",
		m, ruri, p.from.String(), p.fromTag, to, p.callID, p.cseq, m, contact)
	if m == "REGISTER" {
		fmt.Fprintf(&b, "Expires: %d\r\n", p.cfg.Expires)
	}
	body := ""
	if m == "INVITE" {
		body = fmt.Sprintf("v=0\r\no=sipdbg 1 1 IN IP4 %s\r\ns=sipdbg probe\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 8\r\na=inactive\r\n", host, host)
		b.WriteString("Content-Type: application/sdp\r\n")
	}
	for _, realm := range sortedKeys(p.auth) {
		a := p.auth[realm]
		p.nc[a.ch.Nonce]++
		v, err := answer(a.ch, m, ruri, []byte(body), a.user, a.secret, p.nc[a.ch.Nonce])
		if err != nil {
			return nil, err
		}
		b.WriteString(a.header + ": " + v + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	msg, err := sip.ParseMessage([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("building the %s: %v", m, err)
	}
	req := msg.(*sip.Request)
	req.SetDestination(p.server)
	req.SetTransport(p.transport())
	return req, nil
}

func (p *prober) transport() string {
	switch p.tp {
	case "tcp", "tls", "ws", "wss":
		return strings.ToUpper(p.tp)
	}
	return "UDP"
}

func userOr(u, def string) string {
	if u == "" {
		return def
	}
	return u
}

func sortedKeys(m map[string]*realmAuth) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// send runs one transaction. It returns the final response; or, for an
// INVITE that already carried credentials and got a provisional response
// other than 100, nil and that response (the call got past
// authentication: it is cancelled, no phone keeps ringing).
func (p *prober) send(ctx context.Context, req *sip.Request) (*sip.Response, *sip.Response, error) {
	// Until the server has answered anything, the wait is firstWait when
	// another target remains (RFC 3263 §4.3), and a closed UDP port is
	// told at once rather than at the timeout.
	wait := ctx
	var refused chan bool
	if !p.answered {
		if p.firstWait > 0 {
			var cancel context.CancelFunc
			wait, cancel = context.WithTimeout(ctx, p.firstWait)
			defer cancel()
		}
		if p.transport() == "UDP" {
			ch, server := make(chan bool, 1), p.server
			go func() { ch <- udpRefused(server) }() // buffered: never blocks, ends within 300 ms
			refused = ch
		}
	}
	tx, err := p.cli.TransactionRequest(wait, req)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Terminate()
	for {
		select {
		case res := <-tx.Responses():
			p.answered, wait, refused = true, ctx, nil
			if res.IsProvisional() {
				if req.IsInvite() && res.StatusCode > 100 && len(p.auth) > 0 {
					p.cancel(ctx, req)
					// The 487 is ACKed by the transaction; a 2xx that crossed
					// the CANCEL is a call up: ACK and hang it up (§9.1).
					if fin := awaitFinal(ctx, tx); fin != nil && fin.StatusCode < 300 {
						p.ackAndBye(ctx, req, fin)
					}
					return nil, res, nil
				}
				continue
			}
			return res, nil, nil
		case r := <-refused:
			if r {
				return nil, nil, errUDPRefused
			}
			refused = nil
		case <-tx.Done():
			if err := tx.Err(); err != nil {
				return nil, nil, err
			}
			return nil, nil, errNoAnswer
		case <-wait.Done():
			return nil, nil, wait.Err()
		}
	}
}

// answerChallenges computes credentials for every challenge of res. It
// returns why the probe must stop instead: a realm challenged again
// after its answer (not stale), a realm without a candidate.
func (p *prober) answerChallenges(req *sip.Request, res *sip.Response) string {
	hdr, answerName := "WWW-Authenticate", "Authorization"
	if res.StatusCode == 407 {
		hdr, answerName = "Proxy-Authenticate", "Proxy-Authorization"
	}
	var chs []analysis.Digest
	for _, h := range res.GetHeaders(hdr) {
		if d := analysis.ParseDigest(h.Value()); d.IsDigest() {
			chs = append(chs, d)
		}
	}
	if len(chs) == 0 {
		return "no Digest challenge in " + hdr
	}
	done := map[string]bool{}
	for _, ch := range chs {
		if done[ch.Realm] {
			continue // another algorithm offered for a realm already answered (RFC 8760 §2.4)
		}
		if _, answered := p.auth[ch.Realm]; answered {
			if !ch.Stale || p.stale {
				return "the credentials for realm \"" + ch.Realm + "\" were refused"
			}
			p.stale = true // retry once with the new nonce, without asking (RFC 7616 §3.3)
		}
		cand, ok := analysis.Pick(p.cfg.Credentials, ch.Realm)
		if !ok {
			p.missing = ch.Realm // how to give them is the caller's to say
			return "no credentials for realm \"" + ch.Realm + "\""
		}
		if _, _, err := analysis.Compute(analysis.DigestInput{Algorithm: ch.Alg()}); err != nil {
			continue // an algorithm we cannot compute: try the next challenge
		}
		user := userOr(cand.User, userOr(p.cfg.User, p.from.User))
		p.auth[ch.Realm] = &realmAuth{ch: ch, header: answerName, user: user, secret: cand.Secret}
		done[ch.Realm] = true
	}
	if len(done) == 0 {
		return "no challenge with an algorithm sipdbg can compute"
	}
	return ""
}

// failed describes a transport failure in words.
func (p *prober) failed(err error, last *sip.Response) Result {
	r := Result{Outcome: OutcomeNoAnswer}
	if last != nil {
		r.Final = uint16(last.StatusCode)
	}
	var op *net.OpError
	if why := tlsProblem(err); why != "" {
		r.Outcome, r.Reason = OutcomeError, "TLS: "+why+" (talking to "+p.server+")"
		return r
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		r.Reason = "connection refused by " + p.server + " (nothing listens there on " + strings.ToLower(p.transport()) + ")"
	case errors.Is(err, errUDPRefused):
		r.Reason = "connection refused: nothing listens on udp " + p.server + " (ICMP port unreachable)"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, errNoAnswer), errors.Is(err, sip.ErrTransactionTimeout):
		within := p.cfg.Timeout
		if !p.answered && p.firstWait > 0 {
			within = p.firstWait.Round(100 * time.Millisecond)
		}
		r.Reason = fmt.Sprintf("timeout: no answer from %s within %s", p.server, within)
		if p.transport() == "UDP" && udpRefused(p.server) {
			r.Reason = "connection refused: nothing listens on udp " + p.server + " (ICMP port unreachable)"
		}
	case errors.As(err, &op):
		r.Reason = "network: " + op.Error()
	default:
		r.Outcome, r.Reason = OutcomeError, err.Error()
	}
	return r
}

// finish ends the exchange on a final response: an INVITE answered 2xx
// is ACKed and hung up (no dialog left on the server); a REGISTER with
// --unregister removes its binding.
func (p *prober) finish(ctx context.Context, req *sip.Request, res *sip.Response) Result {
	r := Result{Final: uint16(res.StatusCode), Reason: res.StartLine(), Outcome: OutcomeRejected}
	if res.StatusCode < 300 {
		r.Outcome = OutcomeOK
	}
	switch {
	case req.IsInvite() && res.StatusCode < 300:
		p.ackAndBye(ctx, req, res)
	case p.cfg.Method == "REGISTER" && res.StatusCode < 300 && p.cfg.Unregister:
		p.cfg.Expires = 0
		p.cseq++
		if un, err := p.request(); err == nil {
			p.send(ctx, un)
		}
	}
	return r
}

// udpRefused tells a closed UDP port from a silent server: a CRLF
// keep-alive (RFC 5626 §3.5.1, harmless to any SIP server) on a connected
// socket draws the ICMP port-unreachable the unconnected SIP socket never
// reports.
func udpRefused(server string) bool {
	c, err := net.Dial("udp", server)
	if err != nil {
		return false
	}
	defer c.Close()
	c.Write([]byte("\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err = c.Read(make([]byte, 64))
	return errors.Is(err, syscall.ECONNREFUSED)
}

// awaitFinal waits a little for the final response of a cancelled INVITE.
func awaitFinal(ctx context.Context, tx sip.ClientTransaction) *sip.Response {
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case res := <-tx.Responses():
			if !res.IsProvisional() {
				return res
			}
		case <-tx.Done():
			return nil
		case <-t.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}
