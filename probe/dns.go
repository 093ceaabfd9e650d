package probe

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// typeNAPTR is the NAPTR record type (RFC 3403 §4). dnsmessage has no
// constant for it: it comes back as an UnknownResource.
const typeNAPTR dnsmessage.Type = 35

// dnsClient asks name servers directly. Go's net.Resolver cannot ask for
// NAPTR, and its errors do not say which server failed on what; asking
// ourselves gives one wording for every lookup.
type dnsClient struct {
	servers []string      // host:port, asked in turn
	timeout time.Duration // per try
	tries   int           // rounds over servers
}

// dnsTries is how many times each server is asked before a timeout is
// reported: one lost datagram should not fail a probe.
const dnsTries = 2

// dnsAnswer is what a query found: the records of the type asked for
// (following the server's CNAMEs), and whether the name does not exist.
type dnsAnswer struct {
	records  []dnsmessage.Resource
	nxdomain bool
}

// query asks for qtype records of name. NXDOMAIN and an empty answer are
// answers, not errors (RFC 3263 §4.1: then the next step is tried); a
// timeout, SERVFAIL, REFUSED or a malformed reply is an error worded on
// one line.
func (c *dnsClient) query(ctx context.Context, name string, qtype dnsmessage.Type) (dnsAnswer, error) {
	what := typeName(qtype) + " " + strings.TrimSuffix(name, ".")
	fqdn := name
	if !strings.HasSuffix(fqdn, ".") {
		fqdn += "." // asked as given: no search list, SIP domains are absolute
	}
	qname, err := dnsmessage.NewName(fqdn)
	if err != nil {
		return dnsAnswer{}, fmt.Errorf("DNS: %q is not a domain name", name)
	}
	q := dnsmessage.Question{Name: qname, Type: qtype, Class: dnsmessage.ClassINET}
	// Each server in turn; again after timeouts only (a lost datagram),
	// an error reply being the server's answer. What the last one did is
	// reported.
	var last error
	for try := 0; try < max(c.tries, 1); try++ {
		if try > 0 && !timedOut(last) {
			break
		}
		for _, srv := range c.servers {
			if ctx.Err() != nil {
				return dnsAnswer{}, fmt.Errorf("DNS: timeout asking %s for %s", strings.Join(c.servers, ", "), what)
			}
			msg, err := c.exchange(ctx, srv, q)
			switch {
			case isTimeout(err):
				last = &dnsTimeout{fmt.Sprintf("DNS: timeout asking %s for %s", strings.Join(c.servers, ", "), what)}
			case errors.Is(err, syscall.ECONNREFUSED):
				last = fmt.Errorf("DNS: no name server at %s (connection refused) asking for %s", srv, what)
			case err != nil:
				last = fmt.Errorf("DNS: asking %s for %s: %v", srv, what, err)
			case msg.RCode == dnsmessage.RCodeNameError:
				return dnsAnswer{nxdomain: true}, nil
			case msg.RCode != dnsmessage.RCodeSuccess:
				last = fmt.Errorf("DNS: %s answered %s for %s", srv, rcodeName(msg.RCode), what)
			default:
				var out dnsAnswer
				for _, rr := range msg.Answers {
					if rr.Header.Type == qtype {
						out.records = append(out.records, rr)
					}
				}
				return out, nil
			}
		}
	}
	return dnsAnswer{}, last
}

// dnsTimeout is a query no server answered in time.
type dnsTimeout struct{ msg string }

func (e *dnsTimeout) Error() string { return e.msg }

func timedOut(err error) bool {
	var t *dnsTimeout
	return errors.As(err, &t)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || (errors.As(err, &ne) && ne.Timeout())
}

// exchange sends one query over UDP and, when the reply is truncated,
// again over TCP (RFC 1035 §4.2, RFC 7766 §5).
func (c *dnsClient) exchange(ctx context.Context, server string, q dnsmessage.Question) (*dnsmessage.Message, error) {
	id := uint16(rand.Uint32())
	req := dnsmessage.Message{Header: dnsmessage.Header{ID: id, RecursionDesired: true}, Questions: []dnsmessage.Question{q}}
	// EDNS0 with a 1232-byte payload (the DNS flag day 2020 size): NAPTR and
	// SRV answers with their glue rarely fit the classic 512 bytes.
	var opt dnsmessage.ResourceHeader
	if err := opt.SetEDNS0(1232, dnsmessage.RCodeSuccess, false); err == nil {
		req.Additionals = []dnsmessage.Resource{{Header: opt, Body: &dnsmessage.OPTResource{}}}
	}
	packed, err := req.Pack()
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	if _, err := conn.Write(packed); err != nil {
		return nil, err
	}
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		var msg dnsmessage.Message
		if msg.Unpack(buf[:n]) != nil || !matches(&msg, id, q) {
			continue // not the answer to this query (late or forged): keep waiting (RFC 5452 §9.1)
		}
		if msg.Truncated {
			return c.exchangeTCP(ctx, server, packed, id, q, deadline)
		}
		return &msg, nil
	}
}

func (c *dnsClient) exchangeTCP(ctx context.Context, server string, packed []byte, id uint16, q dnsmessage.Question, deadline time.Time) (*dnsmessage.Message, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	// RFC 1035 §4.2.2: each message is preceded by its two-byte length.
	if _, err := conn.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(packed))), packed...)); err != nil {
		return nil, err
	}
	var l [2]byte
	if _, err := io.ReadFull(conn, l[:]); err != nil {
		return nil, err
	}
	buf := make([]byte, binary.BigEndian.Uint16(l[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, err
	}
	var msg dnsmessage.Message
	if err := msg.Unpack(buf); err != nil {
		return nil, fmt.Errorf("malformed reply over TCP: %v", err)
	}
	if !matches(&msg, id, q) {
		return nil, errors.New("the reply over TCP answers another question")
	}
	return &msg, nil
}

// matches tells whether msg answers the query id for q.
func matches(msg *dnsmessage.Message, id uint16, q dnsmessage.Question) bool {
	if !msg.Response || msg.ID != id || len(msg.Questions) != 1 {
		return false
	}
	a := msg.Questions[0]
	return a.Type == q.Type && a.Class == q.Class && strings.EqualFold(a.Name.String(), q.Name.String())
}

func typeName(t dnsmessage.Type) string {
	switch t {
	case typeNAPTR:
		return "NAPTR"
	case dnsmessage.TypeSRV:
		return "SRV"
	case dnsmessage.TypeA:
		return "A"
	case dnsmessage.TypeAAAA:
		return "AAAA"
	}
	return fmt.Sprintf("TYPE%d", t)
}

func rcodeName(r dnsmessage.RCode) string {
	switch r {
	case dnsmessage.RCodeFormatError:
		return "FORMERR"
	case dnsmessage.RCodeServerFailure:
		return "SERVFAIL"
	case dnsmessage.RCodeNotImplemented:
		return "NOTIMP"
	case dnsmessage.RCodeRefused:
		return "REFUSED"
	}
	return fmt.Sprintf("RCODE %d", r)
}

// naptr is one NAPTR record (RFC 3403 §4.1).
type naptr struct {
	order, pref                  uint16
	flags, service, regexp, repl string
}

// parseNAPTR reads the RDATA of a NAPTR record: order, preference, three
// character-strings and the replacement, a domain name that is never
// compressed (RFC 3597 §4: only the RFC 1035 types may be).
func parseNAPTR(b []byte) (naptr, error) {
	var r naptr
	if len(b) < 4 {
		return r, errors.New("short NAPTR record")
	}
	r.order, r.pref = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	b = b[4:]
	var strs [3]string
	for i := range strs {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return r, errors.New("short NAPTR record")
		}
		strs[i], b = string(b[1:1+int(b[0])]), b[1+int(b[0]):]
	}
	r.flags, r.service, r.regexp = strs[0], strs[1], strs[2]
	var labels []string
	for {
		if len(b) < 1 {
			return r, errors.New("NAPTR replacement not terminated")
		}
		n := int(b[0])
		if n == 0 {
			break
		}
		if n > 63 || len(b) < 1+n {
			return r, errors.New("bad label in NAPTR replacement (compressed?)")
		}
		labels, b = append(labels, string(b[1:1+n])), b[1+n:]
	}
	r.repl = strings.Join(labels, ".")
	return r, nil
}

// systemNameservers reads the nameserver lines of resolv.conf; without
// any, the local host is asked, as the C library does (resolv.conf(5)).
func systemNameservers(path string) []string {
	var out []string
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			f := strings.Fields(s.Text())
			if len(f) >= 2 && f[0] == "nameserver" {
				if a, err := netip.ParseAddr(f[1]); err == nil {
					out = append(out, netip.AddrPortFrom(a, 53).String())
				}
			}
		}
	}
	if len(out) == 0 {
		out = []string{"127.0.0.1:53", "[::1]:53"}
	}
	return out
}

// hostsLookup returns the addresses the hosts file gives name: such a
// name is local, DNS knows nothing of it (no NAPTR or SRV to ask for).
func hostsLookup(path, name string) []netip.Addr {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	name = strings.TrimSuffix(name, ".")
	var out []netip.Addr
	s := bufio.NewScanner(f)
	for s.Scan() {
		line, _, _ := strings.Cut(s.Text(), "#")
		fs := strings.Fields(line)
		if len(fs) < 2 {
			continue
		}
		a, err := netip.ParseAddr(fs[0])
		if err != nil {
			continue
		}
		for _, h := range fs[1:] {
			if strings.EqualFold(strings.TrimSuffix(h, "."), name) {
				out = append(out, a.WithZone(""))
				break
			}
		}
	}
	return out
}
