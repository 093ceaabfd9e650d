package probe

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
	"golang.org/x/net/dns/dnsmessage"
)

// How a target was found, in the words of --json.
const (
	ViaNAPTR   = "naptr"   // NAPTR, then its SRV, then A/AAAA (RFC 3263 §4.1)
	ViaSRV     = "srv"     // SRV, then A/AAAA (§4.2)
	ViaA       = "a"       // A/AAAA (or the hosts file) with the port given or the default one (§4.2)
	ViaLiteral = "literal" // the host is an IP address: no lookup (§4.2)
)

// Target is one place the request can go.
type Target struct {
	Transport string // udp, tcp, tls, ws, wss
	Addr      string // ip:port
	Host      string // the name the address belongs to (the SRV target, the domain, or the IP itself)
	Via       string // ViaNAPTR, ViaSRV, ViaA, ViaLiteral
}

// Location is the outcome of RFC 3263 §4: the targets to try in order
// (§4.3: the next one after a transport failure), and the lookups that
// led there, for people.
type Location struct {
	Targets []Target
	Trace   []string
}

// Locator finds where to send a request (RFC 3263 §4).
type Locator struct {
	// DNS is the name server to ask (host:port); "" means those of
	// /etc/resolv.conf, with the hosts file and the system resolver for
	// addresses.
	DNS string
	// Timeout bounds each try of a DNS query (each server is tried
	// twice); 0 means 2 s. The context bounds the whole location.
	Timeout time.Duration
	// Rand returns a number in [0, n): RFC 2782's random choice among SRV
	// records of equal priority. nil means math/rand; tests fix it.
	Rand func(n int) int

	resolvConf, hostsFile string // the system's files; tests change them
	dns                   *dnsClient
}

// maxTargets bounds failover: each target gets a share of --timeout, and
// more than this many shares would be too thin to wait for an answer.
const maxTargets = 8

// naptrServices are the NAPTR services sipdbg can follow, by transport
// (RFC 3263 §4.1; RFC 7118 §5.3 for WebSocket). SIP+D2S (SCTP) is not
// spoken.
var naptrServices = map[string]string{
	"SIP+D2U":  "udp",
	"SIP+D2T":  "tcp",
	"SIPS+D2T": "tls",
	"SIP+D2W":  "ws",
	"SIPS+D2W": "wss",
}

// srvNames are the SRV owner prefixes by transport (RFC 3263 §4.1 and
// §4.2: "_sips" for TLS, "_sip" otherwise). WebSocket has none: RFC 7118
// §5.3 registers NAPTR services only (a WebSocket client is normally
// given the server's URL), so an explicit ws/wss goes straight to A/AAAA.
var srvNames = map[string]string{"udp": "_sip._udp", "tcp": "_sip._tcp", "tls": "_sips._tcp"}

// Locate returns where to send a request for uri: to server (host[:port])
// when given, else to the URI's host. transport "" lets DNS choose (and
// the URI's transport parameter, when the URI's host is used).
func (l *Locator) Locate(ctx context.Context, uri sip.Uri, server, transport string) (Location, error) {
	host, port, sips := uri.Host, uri.Port, uri.IsEncrypted()
	if server != "" {
		host, port = server, 0
		if h, p, err := net.SplitHostPort(server); err == nil {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 || n > 65535 {
				return Location{}, fmt.Errorf("--server %q: bad port", server)
			}
			host, port = h, n
		}
	} else if transport == "" {
		// §4.1: a transport parameter in the URI decides.
		if t, ok := uri.UriParams.Get("transport"); ok && t != "" {
			transport = strings.ToLower(t)
			if _, known := defaultPorts[transport]; !known || transport == "" {
				return Location{}, fmt.Errorf("the target's transport=%s is not one sipdbg speaks (udp, tcp, tls, ws, wss)", t)
			}
		}
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return Location{}, errors.New("no host to send to")
	}
	if sips {
		// RFC 3261 §26.2.2: a sips URI is reached over TLS all the way;
		// transport=tcp in it means TLS over TCP.
		switch transport {
		case "tcp":
			transport = "tls"
		case "ws":
			transport = "wss"
		case "udp":
			return Location{}, errors.New("a sips: target is reached over TLS: --transport udp does not apply")
		}
	}
	loc := &locating{Locator: l, Location: Location{}}
	l.setup()

	// §4.1/§4.2: an IP address is used as it is, on the port given or the
	// transport's default; UDP unless sips.
	if ip, err := netip.ParseAddr(host); err == nil {
		t := orDefault(transport, sips)
		loc.add(Target{Transport: t, Addr: netip.AddrPortFrom(ip.WithZone(""), portOr(port, t)).String(), Host: host, Via: ViaLiteral})
		loc.trace("%s is an IP address: no DNS lookup", host)
		return loc.Location, nil
	}
	// A name of the hosts file (localhost first of all, RFC 6761 §6.3) is
	// not in DNS: its addresses, without NAPTR or SRV.
	if l.DNS == "" {
		if ips := hostsLookup(l.hostsFile, host); len(ips) > 0 {
			t := orDefault(transport, sips)
			loc.trace("%s %s → %s", l.hostsFile, host, joinAddrs(ips))
			for _, ip := range ips {
				loc.add(Target{Transport: t, Addr: netip.AddrPortFrom(ip, portOr(port, t)).String(), Host: host, Via: ViaA})
			}
			return loc.Location, nil
		}
	}
	// §4.2: a port given means no SRV, only the address of the name; the
	// transport is UDP for sip, TLS for sips (§4.1) unless given.
	if port > 0 {
		t := orDefault(transport, sips)
		if err := loc.addresses(ctx, host, port, t, ViaA); err != nil {
			return loc.fail(err)
		}
		if len(loc.Targets) == 0 {
			return loc.fail(fmt.Errorf("DNS: no A or AAAA record for %q", host))
		}
		return loc.Location, nil
	}
	// §4.2: a transport given: SRV for it alone, then the address with its
	// default port.
	if transport != "" {
		name, ok := srvNames[transport]
		if ok {
			if err := loc.srv(ctx, name+"."+host, transport, ViaSRV); err != nil {
				return loc.fail(err)
			}
		} else {
			loc.trace("no SRV lookup for %s (RFC 7118 defines NAPTR services only)", transport)
		}
		if len(loc.Targets) == 0 {
			if err := loc.addresses(ctx, host, 0, transport, ViaA); err != nil {
				return loc.fail(err)
			}
		}
		if len(loc.Targets) == 0 {
			if ok {
				return loc.fail(fmt.Errorf("DNS: no SRV (%s) or A record for %q", name, host))
			}
			return loc.fail(fmt.Errorf("DNS: no A or AAAA record for %q", host))
		}
		return loc.Location, nil
	}
	// §4.1: NAPTR decides the transport.
	first, err := loc.naptr(ctx, host, sips)
	if err != nil {
		return loc.fail(err)
	}
	if first == "" {
		// §4.1: no NAPTR: SRV for each transport; a sip URI may be reached
		// over TLS too, a sips one only over TLS.
		for _, t := range []string{"tls", "tcp", "udp"} {
			if sips && t != "tls" {
				continue
			}
			if err := loc.srv(ctx, srvNames[t]+"."+host, t, ViaSRV); err != nil {
				return loc.fail(err)
			}
		}
	}
	if len(loc.Targets) == 0 {
		// §4.2: no SRV: the address of the domain, on the default port of
		// the transport NAPTR chose, or UDP (TLS for sips, §4.1).
		t := first
		if t == "" {
			t = orDefault("", sips)
		}
		if err := loc.addresses(ctx, host, 0, t, ViaA); err != nil {
			return loc.fail(err)
		}
	}
	if len(loc.Targets) == 0 {
		return loc.fail(fmt.Errorf("DNS: no SRV or A record for %q", host))
	}
	return loc.Location, nil
}

func (l *Locator) setup() {
	if l.resolvConf == "" {
		l.resolvConf = "/etc/resolv.conf"
	}
	if l.hostsFile == "" {
		l.hostsFile = "/etc/hosts"
	}
	if l.dns != nil {
		return
	}
	c := &dnsClient{timeout: l.Timeout, tries: dnsTries}
	if c.timeout <= 0 {
		c.timeout = 2 * time.Second
	}
	if l.DNS != "" {
		c.servers = []string{l.DNS}
	} else {
		c.servers = systemNameservers(l.resolvConf)
	}
	l.dns = c
}

func orDefault(transport string, sips bool) string {
	switch {
	case transport != "":
		return transport
	case sips:
		return "tls"
	}
	return "udp"
}

func portOr(port int, transport string) uint16 {
	if port > 0 {
		return uint16(port)
	}
	p, _ := strconv.Atoi(defaultPorts[transport]) // RFC 3261 §19.1.2, RFC 7118 §5 (HTTP ports)
	return uint16(p)
}

// locating is one run of Locate.
type locating struct {
	*Locator
	Location
}

// fail returns err with the lookups made so far: they tell what was
// asked before it failed.
func (l *locating) fail(err error) (Location, error) {
	return Location{Trace: l.Trace}, err
}

func (l *locating) trace(format string, args ...any) {
	l.Trace = append(l.Trace, fmt.Sprintf(format, args...))
}

// add appends a target, once.
func (l *locating) add(t Target) {
	for _, o := range l.Targets {
		if o.Transport == t.Transport && o.Addr == t.Addr {
			return
		}
	}
	if len(l.Targets) < maxTargets {
		l.Targets = append(l.Targets, t)
	}
}

// naptr looks up the NAPTR records of domain and follows, in order, each
// one that names a transport sipdbg speaks to its SRV records. It returns
// the transport of the first such record ("" when there is none).
func (l *locating) naptr(ctx context.Context, domain string, sips bool) (string, error) {
	ans, err := l.dns.query(ctx, domain, typeNAPTR)
	if err != nil {
		return "", err
	}
	var recs []naptr
	for _, rr := range ans.records {
		u, ok := rr.Body.(*dnsmessage.UnknownResource)
		if !ok {
			continue
		}
		r, err := parseNAPTR(u.Data)
		if err != nil {
			l.trace("NAPTR %s → unreadable record (%v)", domain, err)
			continue
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		l.trace("NAPTR %s → %s", domain, none(ans))
		return "", nil
	}
	// RFC 3403 §4.1: lower order first, then lower preference.
	slices.SortStableFunc(recs, func(a, b naptr) int {
		if a.order != b.order {
			return int(a.order) - int(b.order)
		}
		return int(a.pref) - int(b.pref)
	})
	first := ""
	for _, r := range recs {
		t, known := naptrServices[strings.ToUpper(r.service)]
		switch {
		case !known:
			l.trace("NAPTR %s → %s %s (not a transport sipdbg speaks, skipped)", domain, r.service, r.repl)
			continue
		case !strings.EqualFold(r.flags, "s") || r.repl == "":
			// §4.1: SIP uses the "s" flag and a replacement naming SRV records.
			l.trace("NAPTR %s → %s with flags %q (not an SRV pointer, skipped)", domain, r.service, r.flags)
			continue
		case sips && t != "tls" && t != "wss":
			// §4.1: a sips URI discards every service that is not secure.
			l.trace("NAPTR %s → %s %s (not secure, skipped for a sips target)", domain, r.service, r.repl)
			continue
		}
		l.trace("NAPTR %s → %s %s", domain, strings.ToUpper(r.service), r.repl)
		if first == "" {
			first = t
		}
		// §4.1 chooses the first record whose transport is supported;
		// later ones are kept as further targets, for failover (§4.3).
		if err := l.srv(ctx, r.repl, t, ViaNAPTR); err != nil {
			return "", err
		}
	}
	return first, nil
}

// srvRec is one SRV record (RFC 2782).
type srvRec struct {
	target       string
	port         uint16
	prio, weight uint16
}

// srv looks up the SRV records of name, orders them (RFC 2782) and adds
// the addresses of each target.
func (l *locating) srv(ctx context.Context, name, transport, via string) error {
	ans, err := l.dns.query(ctx, name, dnsmessage.TypeSRV)
	if err != nil {
		return err
	}
	var recs []srvRec
	for _, rr := range ans.records {
		if s, ok := rr.Body.(*dnsmessage.SRVResource); ok {
			recs = append(recs, srvRec{target: strings.TrimSuffix(s.Target.String(), "."), port: s.Port, prio: s.Priority, weight: s.Weight})
		}
	}
	if len(recs) == 1 && recs[0].target == "" {
		// RFC 2782: a single record with target "." means the service is
		// decidedly not available at this domain.
		l.trace("SRV %s → \".\" (not offered)", name)
		return nil
	}
	if len(recs) == 0 {
		l.trace("SRV %s → %s", name, none(ans))
		return nil
	}
	recs = orderSRV(recs, l.rand())
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = fmt.Sprintf("%s:%d (prio %d weight %d)", r.target, r.port, r.prio, r.weight)
	}
	l.trace("SRV %s → %s", name, strings.Join(parts, ", "))
	for _, r := range recs {
		if r.target == "" || len(l.Targets) >= maxTargets {
			continue
		}
		if err := l.addresses(ctx, r.target, int(r.port), transport, via); err != nil {
			return err
		}
	}
	return nil
}

func (l *locating) rand() func(int) int {
	if l.Rand != nil {
		return l.Rand
	}
	return rand.IntN
}

// orderSRV sorts records by priority, and those of one priority by RFC
// 2782's weighted random selection: the zero-weight ones first, then a
// running sum of weights is drawn against a random number in [0, sum],
// the first record whose running sum reaches it is next, and so on with
// the rest.
func orderSRV(recs []srvRec, rnd func(int) int) []srvRec {
	slices.SortStableFunc(recs, func(a, b srvRec) int { return int(a.prio) - int(b.prio) })
	out := make([]srvRec, 0, len(recs))
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].prio == recs[i].prio {
			j++
		}
		group := slices.Clone(recs[i:j])
		slices.SortStableFunc(group, func(a, b srvRec) int {
			return boolInt(a.weight != 0) - boolInt(b.weight != 0)
		})
		for len(group) > 0 {
			sum := 0
			for _, r := range group {
				sum += int(r.weight)
			}
			pick, run := rnd(sum+1), 0
			for k, r := range group {
				run += int(r.weight)
				if run >= pick || k == len(group)-1 {
					out = append(out, r)
					group = slices.Delete(group, k, k+1)
					break
				}
			}
		}
		i = j
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addresses adds a target for each A and AAAA address of host (IPv4
// first), on port or the transport's default.
func (l *locating) addresses(ctx context.Context, host string, port int, transport, via string) error {
	ips, err := l.lookupIP(ctx, host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		l.add(Target{Transport: transport, Addr: netip.AddrPortFrom(ip, portOr(port, transport)).String(), Host: host, Via: via})
	}
	return nil
}

// lookupIP asks the DNS server given for A and AAAA; without one, the
// system resolver (which knows the hosts file and the search list).
func (l *locating) lookupIP(ctx context.Context, host string) ([]netip.Addr, error) {
	if l.DNS == "" {
		ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		var de *net.DNSError
		switch {
		case errors.As(err, &de) && de.IsNotFound:
			l.trace("A/AAAA %s → none", host)
			return nil, nil
		case errors.As(err, &de) && de.IsTimeout, ctx.Err() != nil:
			return nil, fmt.Errorf("DNS: timeout asking the system resolver for A/AAAA %s", host)
		case err != nil:
			return nil, fmt.Errorf("DNS: cannot resolve %q: %v", host, err)
		}
		for i := range ips {
			ips[i] = ips[i].Unmap().WithZone("")
		}
		slices.SortStableFunc(ips, func(a, b netip.Addr) int { return boolInt(a.Is6()) - boolInt(b.Is6()) })
		l.trace("A/AAAA %s → %s", host, joinAddrs(ips))
		return ips, nil
	}
	var out []netip.Addr
	var nx bool
	for _, qt := range []dnsmessage.Type{dnsmessage.TypeA, dnsmessage.TypeAAAA} {
		ans, err := l.dns.query(ctx, host, qt)
		if err != nil {
			return nil, err
		}
		nx = nx || ans.nxdomain
		var ips []netip.Addr
		for _, rr := range ans.records {
			switch b := rr.Body.(type) {
			case *dnsmessage.AResource:
				ips = append(ips, netip.AddrFrom4(b.A))
			case *dnsmessage.AAAAResource:
				ips = append(ips, netip.AddrFrom16(b.AAAA))
			}
		}
		if len(ips) > 0 {
			l.trace("%s %s → %s", typeName(qt), host, joinAddrs(ips))
		}
		out = append(out, ips...)
		if ans.nxdomain {
			break // no such name: no AAAA either
		}
	}
	if len(out) == 0 {
		l.trace("A/AAAA %s → %s", host, none(dnsAnswer{nxdomain: nx}))
	}
	return out, nil
}

func none(a dnsAnswer) string {
	if a.nxdomain {
		return "none (NXDOMAIN)"
	}
	return "none"
}

func joinAddrs(ips []netip.Addr) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ", ")
}
