package analysis

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// This file words the DNS a SIP client needed before it could send: RFC
// 3263 §4 has it look up NAPTR, then SRV (_sip._udp, _sip._tcp,
// _sips._tcp), then A/AAAA. A name that does not resolve leaves it with
// nowhere to send; lookups that time out delay the request by seconds.

// dnsLookback is how far before a request the client's lookups for it
// are looked for: a resolver retries a silent server for about 5 s per
// query, and RFC 3263 makes up to three queries.
const dnsLookback = 20e9

// dnsDelay is the wait on DNS past which the delay is worth saying.
const dnsDelay = 2e9

// dnsOf reports the client's lookups before the call's first request
// when some failed or went unanswered and they held the request up by
// seconds.
func (d *diag) dnsOf(as []*attempt) {
	var first *attempt
	for _, a := range as {
		if a.req != nil && (first == nil || a.req.TimeNs < first.req.TimeNs) {
			first = a
		}
	}
	if first == nil {
		return
	}
	req := first.req
	qs := lookups(d.s.DNSLog(), req.Src().Addr(), req.TimeNs-dnsLookback, req.TimeNs)
	var failed []string
	start := int64(0)
	for _, q := range qs {
		if start == 0 {
			start = q.at
		}
		if !q.ok {
			failed = appendOnce(failed, q.what+" ("+q.why+")")
		}
	}
	wait := req.TimeNs - start
	if len(failed) == 0 || start == 0 || wait < dnsDelay {
		return // no failure, or one the client got past at once (RFC 3263's fallbacks)
	}
	sev := Info
	if _, _, lost := d.timedOut(first); lost || rejection(first.tx.Final) {
		sev = Warning // the request failed, and DNS held it up first
	}
	summary := d.concat(first.tx.Method, " sent ", seconds(wait), " after the client began looking up its server: ",
		strings.Join(failed, ", "))
	d.add(Finding{Code: CodeDNSFailure, Severity: sev, Messages: d.idx(req), RFC: "RFC 3263 §4; RFC 1035 §4.1.1",
		Summary: summary, Explanation: dnsExplanation})
}

const dnsExplanation = "Before sending, a SIP client finds its server in DNS (RFC 3263 §4): NAPTR, then SRV records " +
	"(_sip._udp, _sip._tcp, _sips._tcp), then the A or AAAA address. A query answered \"no such name\" (NXDOMAIN) moves it " +
	"to the next step at once; one that gets no answer costs the resolver's timeout, seconds each, and a client that must " +
	"answer a challenge meanwhile loses its nonce. Check the DNS server the client uses (reachable, answering for that " +
	"zone), publish the SRV records the client asks for, or configure the server as an address or an outbound proxy so " +
	"that no lookup is needed."

// lookup is a DNS query of the capture and what became of it.
type lookup struct {
	what string // "SRV _sip._udp.example.com"
	at   int64
	ok   bool   // answered with at least one record
	why  string // when not ok: "no such name", "server failure", "no answer", "no records"
}

// lookups returns the queries client sent between from and to, each with
// its outcome (a response by the same ID from the server asked, up to 5 s
// later).
func lookups(log []session.DNS, client netip.Addr, from, to int64) []lookup {
	i := sort.Search(len(log), func(i int) bool { return log[i].Time.UnixNano() >= from })
	var out []lookup
	for end := min(len(log), i+maxDNSLook); i < end && log[i].Time.UnixNano() <= to; i++ {
		q := &log[i]
		if q.Response || q.Src.Addr() != client {
			continue
		}
		l := lookup{what: q.TypeName() + " " + q.Name, at: q.Time.UnixNano(), why: "no answer"}
		for j := i + 1; j < min(len(log), i+maxDNSLook); j++ {
			r := &log[j]
			if r.Time.Sub(q.Time) > 5e9 {
				break
			}
			if !r.Response || r.ID != q.ID || r.Src != q.Dst {
				continue
			}
			switch {
			case r.RCode == 3:
				l.why = "no such name"
			case r.RCode == 2:
				l.why = "server failure"
			case r.RCode != 0:
				l.why = "refused or failed (rcode " + itoa(int(r.RCode)) + ")"
			case r.Answers == 0:
				l.why = "no records"
			default:
				l.ok = true
			}
			break
		}
		out = append(out, l)
	}
	return out
}

// CaptureFindings returns what the capture shows outside any call: SIP
// clients whose DNS lookups for their server all failed and that then
// sent no SIP at all (dns-failure).
func CaptureFindings(s *session.Store) []Finding {
	log := s.DNSLog()
	type name struct {
		client netip.Addr
		base   string
	}
	seen := map[name]bool{}
	var out []Finding
	var lastSent map[netip.Addr]int64 // when each client last sent SIP: made when first needed
	// In a capture without SIP, any address lookup may be the client's
	// for its server (a phone or SIPp given a host name asks A and AAAA
	// only): there is nothing else to judge.
	noSIP := len(s.Calls()) == 0
	for i := range log {
		q := &log[i]
		if q.Response || !sipLookup(q) && !(noSIP && (q.Type == 1 || q.Type == 28)) {
			continue
		}
		n := name{q.Src.Addr(), sipBase(q.Name)}
		if seen[n] {
			continue
		}
		seen[n] = true
		// Every lookup of that name by that client in the next 32 s.
		var tried []string
		resolved := false
		t0 := q.Time.UnixNano()
		for _, l := range lookups(log, n.client, t0, t0+timerB) {
			if _, qname, _ := strings.Cut(l.what, " "); sipBase(qname) != n.base {
				continue
			}
			resolved = resolved || l.ok
			tried = appendOnce(tried, l.what+" ("+l.why+")")
		}
		if resolved || len(tried) == 0 {
			continue
		}
		if lastSent == nil {
			lastSent = lastSends(s)
		}
		if lastSent[n.client] >= t0 {
			continue // it found a way after all (another name, a fallback address)
		}
		out = append(out, Finding{Code: CodeDNSFailure, Severity: Error, RFC: "RFC 3263 §4; RFC 1035 §4.1.1",
			Summary: n.client.String() + " could not resolve " + n.base + " (its SIP server) and sent no SIP: " +
				strings.Join(tried, ", "),
			Explanation: dnsExplanation})
	}
	if f, ok := noRTPAtAll(s); ok {
		out = append(out, f)
	}
	return out
}

// sipLookup reports whether q looks up a SIP server: a NAPTR query, or
// an SRV query for a SIP service (RFC 3263 §4.1, §4.2).
func sipLookup(q *session.DNS) bool {
	if q.Type == 35 {
		return true
	}
	return q.Type == 33 && (strings.HasPrefix(q.Name, "_sip.") || strings.HasPrefix(q.Name, "_sips."))
}

// sipBase is the domain a SIP lookup is for: the name without its
// _sip._udp. (or _sips._tcp., …) service prefix.
func sipBase(name string) string {
	for _, p := range [...]string{"_sip._udp.", "_sip._tcp.", "_sips._tcp.", "_sip._sctp.", "_sips._sctp.", "_sip._ws.", "_sips._wss."} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return rest
		}
	}
	return name
}

// lastSends returns, for each address that started a call with a
// request, the time of that call's last message: one pass over the
// calls, however many lookups failed.
func lastSends(s *session.Store) map[netip.Addr]int64 {
	out := map[netip.Addr]int64{}
	for _, c := range s.Calls() {
		if a := c.Src.Addr(); c.StartsWithRequest && c.End > out[a] {
			out[a] = c.End
		}
	}
	return out
}
