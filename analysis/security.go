package analysis

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// Some failures are not a client's mistake but an attack: a scanner
// probing for servers and extensions, a source guessing passwords, and
// the account it got into. One call cannot show that; the whole capture
// can. A Survey reads it once, before the calls are judged one by one.

// Survey is what the capture as a whole says about each source address.
type Survey struct {
	sources map[netip.Addr]*source
}

// source is what one client address did across the capture.
type source struct {
	addr     netip.Addr
	scanner  string       // why it is a scanner ("" if not): its User-Agent, or a sweep
	refused  []int64      // times of its answers that were refused, in order
	accepted int          // its answers that were accepted
	calls    map[int]bool // the calls with a refused answer
	users    map[string]bool
	guessing bool
	optTo    map[netip.Addr]bool // addresses it sent OPTIONS to: whether any answered
	lastUA   string              // the User-Agent last looked at
}

// Thresholds of the survey.
const (
	guessMin    = 5    // refused answers that make a run of guesses
	guessWindow = 60e9 // … within this long (a phone retries every 30 s or more)
	guessUsers  = 3    // or refused answers for this many usernames
	sweepMin    = 10   // OPTIONS to this many addresses make a sweep
)

// scannerAgents are User-Agent words of SIP scanners and attack tools
// (sipvicious svmap/svwar/svcrack send "friendly-scanner" by default).
var scannerAgents = []string{"friendly-scanner", "sipvicious", "sipcli", "sip-scan", "sundayddr", "vaxsipuseragent", "pplsip", "iwar", "smap"}

// NewSurvey reads the capture's calls once. It reads what loading kept
// (flags, transactions, auth blocks): nothing of a mapped capture.
func NewSurvey(s *session.Store) *Survey {
	sv := &Survey{sources: map[netip.Addr]*source{}}
	for _, c := range s.Calls() {
		client, ok := clientOf(s, c)
		if !ok {
			continue
		}
		src := sv.sources[client]
		if src == nil {
			src = &source{addr: client, users: map[string]bool{}, optTo: map[netip.Addr]bool{}, calls: map[int]bool{}}
			sv.sources[client] = src
		}
		// A source sends one User-Agent, call after call: it is looked at
		// when it changes (strings.ToLower allocates).
		if src.scanner == "" && c.UserAgent != src.lastUA {
			src.lastUA = c.UserAgent
			if isScanner(c.UserAgent) {
				src.scanner = "its User-Agent \"" + c.UserAgent + "\""
			}
		}
		if c.Method == "OPTIONS" {
			answered := false
			for i := range c.Txs {
				answered = answered || len(c.Txs[i].Response) > 0
			}
			src.optTo[c.Dst.Addr()] = src.optTo[c.Dst.Addr()] || answered
		}
		for i := range c.Txs {
			tx := &c.Txs[i]
			if tx.Request < 0 {
				continue
			}
			if !tx.Credentials {
				continue
			}
			m := s.Msg(int(tx.Request))
			if tx.Final >= 200 && tx.Final < 300 {
				src.accepted++
			}
			if !refusal(tx) {
				continue
			}
			src.refused = append(src.refused, m.TimeNs)
			src.calls[c.Seq] = true
			for _, name := range [...]string{lowAuthorization, lowProxyAuthorization} {
				m.AuthValues(name, func(v string) { src.users[ParseDigest(v).Username] = true })
			}
		}
	}
	responders := sv.responders(s)
	for _, src := range sv.sources {
		// A registrar pinging its clients (NAT keepalives) sends OPTIONS
		// to many addresses too, but it is a server: it answers requests.
		// A scanner only asks.
		// A monitor pings servers that answer; a sweep probes addresses
		// most of which have nothing listening.
		silent := 0
		for _, answered := range src.optTo {
			if !answered {
				silent++
			}
		}
		if src.scanner == "" && len(src.optTo) >= sweepMin && 2*silent >= len(src.optTo) && !responders[src.addr] {
			src.scanner = "an OPTIONS sweep of " + itoa(len(src.optTo)) + " addresses"
		}
		slices.Sort(src.refused)
		// A phone with a wrong password may hammer too, but in one call
		// for one user (a retry storm); an office behind one NAT address
		// has several phones, most of them logging in fine. Guessing is a
		// scanner's, or a burst of refusals over several users or calls
		// from a source that hardly ever gets in.
		src.guessing = len(src.refused) >= guessMin && (src.scanner != "" ||
			(burst(src.refused) && (len(src.users) >= guessUsers || len(src.calls) >= guessMin) && src.accepted <= 1))
	}
	return sv
}

// responders returns, among the sources that sent OPTIONS to sweepMin
// addresses or more (a sweep, or a registrar pinging its clients), those
// that also answered a request. Most captures have none such, and then
// no response is looked at.
func (sv *Survey) responders(s *session.Store) map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	for addr, src := range sv.sources {
		if len(src.optTo) >= sweepMin {
			out[addr] = false
		}
	}
	if len(out) == 0 {
		return out
	}
	// A registrar answers its clients' requests: the calls those
	// clients start go to it (the call's Dst) and get a response. What
	// is asked of it in the middle of a path is left out, at no loss for
	// telling a registrar's pings from a sweep.
	for _, c := range s.Calls() {
		a := c.Dst.Addr()
		if answered, ok := out[a]; !ok || answered || !c.StartsWithRequest {
			continue
		}
		for i := range c.Txs {
			if len(c.Txs[i].Response) > 0 {
				out[a] = true
				break
			}
		}
	}
	return out
}

// refusal reports a transaction whose final response refuses
// credentials: a new challenge, 403, or 404 to REGISTER.
func refusal(tx *session.Transaction) bool {
	return tx.Final == 401 || tx.Final == 407 || tx.Final == 403 || (tx.Final == 404 && tx.Method == "REGISTER")
}

// burst reports guessMin refusals within guessWindow.
func burst(times []int64) bool {
	for i := guessMin - 1; i < len(times); i++ {
		if times[i]-times[i-guessMin+1] <= guessWindow {
			return true
		}
	}
	return false
}

func isScanner(ua string) bool {
	l := strings.ToLower(ua)
	for _, w := range scannerAgents {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// clientOf is the address of the call's client: the source of its first
// message if that is a request, else the destination of the response.
func clientOf(s *session.Store, c *session.Call) (netip.Addr, bool) {
	if len(c.Msgs) == 0 {
		return netip.Addr{}, false
	}
	if c.StartsWithRequest {
		return c.Src.Addr(), true
	}
	return c.Dst.Addr(), true
}

// clientErrors are the codes that blame the client for what it did not
// do: a scanner is not a client, and its probes are not meant to go on.
var clientErrors = []Code{CodeNoCredentialsSent, CodeAnswerNotCaptured, CodeCallRejected, CodeACKMissing}

// security adds what the survey says about the call's source.
func (d *diag) security(as []*attempt) {
	if d.opt.Survey == nil {
		return
	}
	client, ok := clientOf(d.s, d.c)
	if !ok {
		return
	}
	src := d.opt.Survey.sources[client]
	if src == nil {
		return
	}
	if src.scanner != "" {
		d.sc.out = slices.DeleteFunc(d.sc.out, func(f Finding) bool { return slices.Contains(clientErrors, f.Code) })
		d.add(d.fScanner(client, src))
	}
	if !src.guessing {
		return
	}
	// A guessing run re-challenged again and again is the guessing, not
	// a client's loop or storm.
	d.sc.out = slices.DeleteFunc(d.sc.out, func(f Finding) bool { return f.Code == CodeAuthLoop || f.Code == CodeRetryStorm })
	first := src.refused[0]
	guessed, got := false, false
	for _, a := range as {
		if a.req == nil || len(a.creds) == 0 {
			continue
		}
		switch {
		case a.tx.Final >= 200 && a.tx.Final < 300 && a.req.TimeNs > first && !got:
			got = true
			a.end(d.s)
			d.add(d.fCompromised(a, client, src))
		case refusal(a.tx) && !guessed:
			guessed = true
			a.end(d.s)
			d.add(d.fGuessing(a, client, src))
		}
	}
}

func (d *diag) fScanner(client netip.Addr, src *source) Finding {
	return Finding{Code: CodeScanner, Severity: Warning, Messages: d.idx(d.s.Msg(int(d.c.Msgs[0]))), RFC: "RFC 3261 §26.1",
		Summary: d.concat("scanner traffic from ", client.String(), ": ", src.scanner),
		Explanation: "This request comes from a scanner, not from a user's client: tools such as sipvicious (svmap, svwar, svcrack) " +
			"look for SIP servers, extensions and passwords. Its unanswered challenges and refused requests are not a client's " +
			"mistakes. Block the source (fail2ban, Kamailio pike and secfilter, Asterisk's security events), keep SIP off the " +
			"open internet or on a non-default port, and make the server answer unknown users the same way as known ones."}
}

func (d *diag) fGuessing(a *attempt, client netip.Addr, src *source) Finding {
	return Finding{Code: CodePasswordGuessing, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §26.2",
		Summary: d.concat("password guessing from ", client.String(), ": ", itoa(len(src.refused)), " refused answers for ",
			plural(len(src.users), "username"), " in the capture"),
		Explanation: "One source keeps answering challenges with credentials the server refuses, faster or for more users than " +
			"a misconfigured phone would: it is trying passwords. Block it (fail2ban on the server's auth-failure log, Kamailio " +
			"pike/ratelimit, Asterisk security events), and use long random SIP passwords."}
}

func (d *diag) fCompromised(a *attempt, client netip.Addr, src *source) Finding {
	return Finding{Code: CodeAccountCompromised, Severity: Error, Messages: d.idx(a.req, a.final), RFC: "RFC 3261 §26.2",
		Summary: d.concat("account compromised: ", client.String(), " got ", d.statusText(a.final), " after ",
			itoa(len(src.refused)), " refused guesses"),
		Explanation: "The source that was guessing passwords sent credentials the server accepted: it found the password. Change " +
			"that account's password now, look for calls it placed (toll fraud follows within minutes), and block the source."}
}
