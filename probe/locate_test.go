package probe

import (
	"context"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/sipdbg/sipdbg/analysis"
)

// testDNS is an in-process name server on 127.0.0.1 (UDP, and TCP on the
// same port when free) answering from a table: NXDOMAIN for a name it
// has nothing for, NOERROR and no answer for a name it has other records
// for. It records every question.
type testDNS struct {
	addr     string
	mu       sync.Mutex
	records  []dnsmessage.Resource
	rcode    map[string]dnsmessage.RCode // name → forced reply code
	silent   bool                        // never answers
	truncate bool                        // UDP replies are truncated: ask again over TCP
	tcp      bool                        // a TCP listener runs on the same port
	asked    []string                    // "TYPE name"
}

func startDNS(t *testing.T, rrs ...dnsmessage.Resource) *testDNS {
	t.Helper()
	d := &testDNS{records: rrs, rcode: map[string]dnsmessage.RCode{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.addr = pc.LocalAddr().String()
	if l, err := net.Listen("tcp", d.addr); err == nil {
		d.tcp = true
		go d.serveTCP(l)
		t.Cleanup(func() { l.Close() })
	}
	go d.serveUDP(pc)
	t.Cleanup(func() { pc.Close() })
	return d
}

func (d *testDNS) serveUDP(pc net.PacketConn) {
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		d.mu.Lock()
		silent, trunc := d.silent, d.truncate
		d.mu.Unlock()
		if silent {
			continue
		}
		if out := d.reply(buf[:n], trunc); out != nil {
			pc.WriteTo(out, from)
		}
	}
}

func (d *testDNS) serveTCP(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			var n [2]byte
			if _, err := io.ReadFull(c, n[:]); err != nil {
				return
			}
			q := make([]byte, binary.BigEndian.Uint16(n[:]))
			if _, err := io.ReadFull(c, q); err != nil {
				return
			}
			if out := d.reply(q, false); out != nil {
				c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(out))), out...))
			}
		}()
	}
}

func (d *testDNS) reply(b []byte, truncate bool) []byte {
	var q dnsmessage.Message
	if q.Unpack(b) != nil || len(q.Questions) != 1 {
		return nil
	}
	qq := q.Questions[0]
	name := strings.ToLower(qq.Name.String())
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked = append(d.asked, typeName(qq.Type)+" "+strings.TrimSuffix(name, "."))
	r := dnsmessage.Message{Header: dnsmessage.Header{ID: q.ID, Response: true, Authoritative: true}, Questions: q.Questions}
	known := false
	for _, rr := range d.records {
		if strings.EqualFold(rr.Header.Name.String(), name) {
			known = true
			if rr.Header.Type == qq.Type {
				r.Answers = append(r.Answers, rr)
			}
		}
	}
	switch rc, forced := d.rcode[strings.TrimSuffix(name, ".")]; {
	case forced:
		r.RCode, r.Answers = rc, nil
	case !known:
		r.RCode = dnsmessage.RCodeNameError
	case truncate:
		r.Truncated, r.Answers = true, nil
	}
	out, err := r.Pack()
	if err != nil {
		return nil
	}
	return out
}

// set changes how the server behaves, under its lock.
func (d *testDNS) set(f func(d *testDNS)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(d)
}

func (d *testDNS) questions() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.asked)
}

func rrHeader(name string, t dnsmessage.Type) dnsmessage.ResourceHeader {
	return dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name + "."), Type: t, Class: dnsmessage.ClassINET, TTL: 60}
}

// naptrRR builds a NAPTR record (RFC 3403 §4.1), the replacement
// uncompressed.
func naptrRR(name string, order, pref uint16, flags, service, repl string) dnsmessage.Resource {
	b := binary.BigEndian.AppendUint16(nil, order)
	b = binary.BigEndian.AppendUint16(b, pref)
	for _, s := range []string{flags, service, ""} {
		b = append(append(b, byte(len(s))), s...)
	}
	for _, l := range strings.Split(repl, ".") {
		if l != "" {
			b = append(append(b, byte(len(l))), l...)
		}
	}
	b = append(b, 0)
	return dnsmessage.Resource{Header: rrHeader(name, typeNAPTR), Body: &dnsmessage.UnknownResource{Type: typeNAPTR, Data: b}}
}

func srvRR(name string, prio, weight, port uint16, target string) dnsmessage.Resource {
	return dnsmessage.Resource{Header: rrHeader(name, dnsmessage.TypeSRV),
		Body: &dnsmessage.SRVResource{Priority: prio, Weight: weight, Port: port, Target: dnsmessage.MustNewName(target + ".")}}
}

func aRR(name, ip string) dnsmessage.Resource {
	a := netip.MustParseAddr(ip)
	if a.Is4() {
		return dnsmessage.Resource{Header: rrHeader(name, dnsmessage.TypeA), Body: &dnsmessage.AResource{A: a.As4()}}
	}
	return dnsmessage.Resource{Header: rrHeader(name, dnsmessage.TypeAAAA), Body: &dnsmessage.AAAAResource{AAAA: a.As16()}}
}

func uri(t *testing.T, s string) sip.Uri {
	t.Helper()
	var u sip.Uri
	if err := sip.ParseUri(s, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// targets renders targets as "transport addr via" for comparison.
func targets(loc Location) []string {
	out := make([]string, len(loc.Targets))
	for i, t := range loc.Targets {
		out[i] = t.Transport + " " + t.Addr + " " + t.Via
	}
	return out
}

// exampleZone has every path of RFC 3263 §4 in it.
func exampleZone() []dnsmessage.Resource {
	return []dnsmessage.Resource{
		// NAPTR → SRV → A, with records sipdbg must skip.
		naptrRR("example.test", 10, 10, "s", "SIP+D2T", "_sip._tcp.example.test"),
		naptrRR("example.test", 20, 10, "s", "SIP+D2U", "_sip._udp.example.test"),
		naptrRR("example.test", 5, 10, "s", "SIP+D2S", "_sip._sctp.example.test"),
		naptrRR("example.test", 5, 20, "u", "E2U+sip", ""),
		naptrRR("example.test", 15, 10, "s", "SIPS+D2T", "_sips._tcp.example.test"),
		srvRR("_sip._tcp.example.test", 10, 5, 5070, "sip1.example.test"),
		srvRR("_sip._udp.example.test", 10, 0, 5060, "sip2.example.test"),
		srvRR("_sips._tcp.example.test", 10, 0, 5061, "sip1.example.test"),
		aRR("sip1.example.test", "127.0.0.1"),
		aRR("sip1.example.test", "::1"),
		aRR("sip2.example.test", "127.0.0.2"),
		aRR("example.test", "127.0.0.9"),
		// SRV only.
		srvRR("_sip._tcp.srv.test", 10, 0, 5080, "b.srv.test"),
		srvRR("_sip._udp.srv.test", 10, 0, 5060, "a.srv.test"),
		aRR("a.srv.test", "127.0.0.3"),
		aRR("b.srv.test", "127.0.0.4"),
		aRR("srv.test", "127.0.0.5"),
		// A only.
		aRR("plain.test", "127.0.0.6"),
		// SRV saying "not here" for UDP.
		srvRR("_sip._udp.none.test", 0, 0, 0, ""),
		aRR("none.test", "127.0.0.7"),
	}
}

func TestLocate(t *testing.T) {
	d := startDNS(t, exampleZone()...)
	cases := []struct {
		name, uri, server, transport string
		want                         []string
		trace                        []string // each in the trace
		asked                        []string // exactly these questions ("" entry: none asked)
	}{
		{name: "NAPTR, SRV, A", uri: "sip:alice@example.test",
			want: []string{"tcp 127.0.0.1:5070 naptr", "tcp [::1]:5070 naptr", "tls 127.0.0.1:5061 naptr", "tls [::1]:5061 naptr", "udp 127.0.0.2:5060 naptr"},
			trace: []string{"NAPTR example.test → SIP+D2T _sip._tcp.example.test", "SRV _sip._tcp.example.test → sip1.example.test:5070 (prio 10 weight 5)",
				"A sip1.example.test → 127.0.0.1", "AAAA sip1.example.test → ::1", "SIP+D2S _sip._sctp.example.test (not a transport sipdbg speaks, skipped)",
				"E2U+sip"}},
		{name: "sips keeps the secure NAPTR only", uri: "sips:alice@example.test",
			want:  []string{"tls 127.0.0.1:5061 naptr", "tls [::1]:5061 naptr"},
			trace: []string{"SIP+D2T _sip._tcp.example.test (not secure, skipped for a sips target)"}},
		{name: "SRV only, TCP before UDP", uri: "sip:alice@srv.test",
			want:  []string{"tcp 127.0.0.4:5080 srv", "udp 127.0.0.3:5060 srv"},
			trace: []string{"NAPTR srv.test → none", "SRV _sips._tcp.srv.test → none (NXDOMAIN)", "SRV _sip._tcp.srv.test → b.srv.test:5080 (prio 10 weight 0)"},
			asked: []string{"NAPTR srv.test", "SRV _sips._tcp.srv.test", "SRV _sip._tcp.srv.test", "A b.srv.test", "AAAA b.srv.test", "SRV _sip._udp.srv.test", "A a.srv.test", "AAAA a.srv.test"}},
		{name: "A only, UDP on 5060", uri: "sip:alice@plain.test",
			want:  []string{"udp 127.0.0.6:5060 a"},
			trace: []string{"NAPTR plain.test → none", "SRV _sip._udp.plain.test → none (NXDOMAIN)", "A plain.test → 127.0.0.6"}},
		{name: "sips without NAPTR asks _sips._tcp only, then TLS on 5061", uri: "sips:alice@plain.test",
			want:  []string{"tls 127.0.0.6:5061 a"},
			asked: []string{"NAPTR plain.test", "SRV _sips._tcp.plain.test", "A plain.test", "AAAA plain.test"}},
		{name: "SRV target \".\": not offered", uri: "sip:alice@none.test", transport: "udp",
			want: []string{"udp 127.0.0.7:5060 a"}, trace: []string{"SRV _sip._udp.none.test → \".\" (not offered)"}},
		{name: "explicit port: A only", uri: "sip:alice@example.test:5099",
			want: []string{"udp 127.0.0.9:5099 a"}, asked: []string{"A example.test", "AAAA example.test"}},
		{name: "--server with a port: A only", uri: "sip:alice@elsewhere.test", server: "sip1.example.test:5080", transport: "tcp",
			want: []string{"tcp 127.0.0.1:5080 a", "tcp [::1]:5080 a"}, asked: []string{"A sip1.example.test", "AAAA sip1.example.test"}},
		{name: "--server without a port: RFC 3263 on it", uri: "sip:alice@elsewhere.test", server: "srv.test",
			want: []string{"tcp 127.0.0.4:5080 srv", "udp 127.0.0.3:5060 srv"}},
		{name: "numeric IP: no lookup", uri: "sip:alice@127.0.0.1",
			want: []string{"udp 127.0.0.1:5060 literal"}, trace: []string{"127.0.0.1 is an IP address: no DNS lookup"}, asked: []string{""}},
		{name: "numeric IPv6 sips", uri: "sips:alice@[::1]",
			want: []string{"tls [::1]:5061 literal"}, asked: []string{""}},
		{name: "--server numeric with port", uri: "sip:alice@example.test", server: "127.0.0.1:5090", transport: "tcp",
			want: []string{"tcp 127.0.0.1:5090 literal"}, asked: []string{""}},
		{name: "explicit transport: its SRV only", uri: "sip:alice@example.test", transport: "tcp",
			want: []string{"tcp 127.0.0.1:5070 srv", "tcp [::1]:5070 srv"}, asked: []string{"SRV _sip._tcp.example.test", "A sip1.example.test", "AAAA sip1.example.test"}},
		{name: "explicit TLS for sip: _sips._tcp", uri: "sip:alice@example.test", transport: "tls",
			want: []string{"tls 127.0.0.1:5061 srv", "tls [::1]:5061 srv"}},
		{name: "explicit transport, no SRV: A on the default port", uri: "sip:alice@plain.test", transport: "tls",
			want: []string{"tls 127.0.0.6:5061 a"}},
		{name: "URI transport parameter", uri: "sip:alice@example.test;transport=udp",
			want: []string{"udp 127.0.0.2:5060 srv"}, asked: []string{"SRV _sip._udp.example.test", "A sip2.example.test", "AAAA sip2.example.test"}},
		{name: "ws: no SRV (RFC 7118 has none), A on port 80", uri: "sip:alice@plain.test", transport: "ws",
			want: []string{"ws 127.0.0.6:80 a"}, asked: []string{"A plain.test", "AAAA plain.test"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(d.questions())
			l := &Locator{DNS: d.addr, Timeout: time.Second}
			loc, err := l.Locate(context.Background(), uri(t, c.uri), c.server, c.transport)
			if err != nil {
				t.Fatal(err)
			}
			if got := targets(loc); !slices.Equal(got, c.want) {
				t.Errorf("targets\n got %q\nwant %q", got, c.want)
			}
			trace := strings.Join(loc.Trace, "\n")
			for _, s := range c.trace {
				if !strings.Contains(trace, s) {
					t.Errorf("trace lacks %q:\n%s", s, trace)
				}
			}
			if c.asked != nil {
				asked := d.questions()[before:]
				if c.asked[0] == "" {
					c.asked = nil
				}
				if !slices.Equal(asked, c.asked) {
					t.Errorf("asked\n got %q\nwant %q", asked, c.asked)
				}
			}
		})
	}
}

func TestLocateErrors(t *testing.T) {
	d := startDNS(t, exampleZone()...)
	d.set(func(d *testDNS) { d.rcode["broken.test"] = dnsmessage.RCodeServerFailure })
	for _, c := range []struct{ uri, server, transport, want string }{
		{"sip:alice@nowhere.test", "", "", `DNS: no SRV or A record for "nowhere.test"`},
		{"sips:alice@nowhere.test", "", "", `DNS: no SRV or A record for "nowhere.test"`},
		{"sip:alice@nowhere.test", "", "tcp", `DNS: no SRV (_sip._tcp) or A record for "nowhere.test"`},
		{"sip:alice@nowhere.test:5060", "", "", `DNS: no A or AAAA record for "nowhere.test"`},
		{"sip:alice@example.test", "nowhere.test:5060", "", `DNS: no A or AAAA record for "nowhere.test"`},
		{"sip:alice@broken.test", "", "", "DNS: " + d.addr + " answered SERVFAIL for NAPTR broken.test"},
		{"sip:alice@example.test;transport=sctp", "", "", "transport=sctp is not one sipdbg speaks"},
		{"sips:alice@example.test", "", "udp", "a sips: target is reached over TLS"},
		{"sip:alice@example.test", "example.test:x", "", "bad port"},
	} {
		_, err := (&Locator{DNS: d.addr}).Locate(context.Background(), uri(t, c.uri), c.server, c.transport)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s %s: %v, want %q", c.uri, c.server, c.transport, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error on several lines: %q", err)
		}
	}
}

func TestLocateSilentServer(t *testing.T) {
	d := startDNS(t)
	d.set(func(d *testDNS) { d.silent = true })
	start := time.Now()
	_, err := (&Locator{DNS: d.addr, Timeout: 100 * time.Millisecond}).Locate(context.Background(), uri(t, "sip:alice@example.test"), "", "")
	want := "DNS: timeout asking " + d.addr + " for NAPTR example.test"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s", el)
	}
	// The probe's own deadline stops the lookups too.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err = (&Locator{DNS: d.addr}).Locate(ctx, uri(t, "sip:alice@example.test"), "", "udp")
	if err == nil || !strings.Contains(err.Error(), "DNS: timeout asking "+d.addr+" for SRV _sip._udp.example.test") {
		t.Errorf("with a deadline: %v", err)
	}
	// Nothing listening: said as such.
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	closed := pc.LocalAddr().String()
	pc.Close()
	_, err = (&Locator{DNS: closed, Timeout: time.Second}).Locate(context.Background(), uri(t, "sip:alice@example.test"), "", "")
	if err == nil || !strings.Contains(err.Error(), "no name server at "+closed) {
		t.Errorf("closed port: %v", err)
	}
}

func TestLocateTruncatedOverTCP(t *testing.T) {
	d := startDNS(t, exampleZone()...)
	if !d.tcp {
		t.Skip("the TCP port of the test server was taken")
	}
	d.set(func(d *testDNS) { d.truncate = true })
	loc, err := (&Locator{DNS: d.addr}).Locate(context.Background(), uri(t, "sip:alice@srv.test"), "", "tcp")
	if err != nil || len(loc.Targets) != 1 || loc.Targets[0].Addr != "127.0.0.4:5080" {
		t.Errorf("%v %v", loc.Targets, err)
	}
}

func TestOrderSRV(t *testing.T) {
	recs := []srvRec{{target: "c", prio: 20}, {target: "a", prio: 10, weight: 10}, {target: "b", prio: 10, weight: 90}, {target: "z", prio: 10}}
	order := func(rnd func(int) int) string {
		var s string
		for _, r := range orderSRV(slices.Clone(recs), rnd) {
			s += r.target
		}
		return s
	}
	// RFC 2782: zero weights first, then the running sums 0, 10, 100 are
	// drawn against a number in [0, sum].
	if got := order(func(int) int { return 0 }); got != "zabc" {
		t.Errorf("lowest draws: %s", got)
	}
	if got := order(func(n int) int { return n - 1 }); got != "bazc" {
		t.Errorf("highest draws: %s", got)
	}
	if got := order(func(n int) int { return min(n-1, 50) }); got != "bazc" {
		t.Errorf("draw 50 of 100: %s", got)
	}
	// Over many draws the weights show: b (90) comes first about 9 times
	// in 10; z (weight 0) only when 0 is drawn.
	first := map[string]int{}
	for range 2000 {
		first[order(rand.IntN)[:1]]++
	}
	if first["b"] < 1600 || first["b"] > 1950 || first["c"] != 0 {
		t.Errorf("first picks over 2000 draws: %v", first)
	}
	// Through Locate, with the random source fixed.
	d := startDNS(t,
		srvRR("_sip._udp.w.test", 10, 10, 5001, "a.w.test"), srvRR("_sip._udp.w.test", 10, 90, 5002, "a.w.test"),
		srvRR("_sip._udp.w.test", 5, 0, 5003, "a.w.test"), aRR("a.w.test", "127.0.0.1"))
	loc, err := (&Locator{DNS: d.addr, Rand: func(n int) int { return n - 1 }}).Locate(context.Background(), uri(t, "sip:x@w.test"), "", "udp")
	want := []string{"udp 127.0.0.1:5003 srv", "udp 127.0.0.1:5002 srv", "udp 127.0.0.1:5001 srv"}
	if err != nil || !slices.Equal(targets(loc), want) {
		t.Errorf("%q %v", targets(loc), err)
	}
}

func TestSystemFiles(t *testing.T) {
	dir := t.TempDir()
	rc := filepath.Join(dir, "resolv.conf")
	os.WriteFile(rc, []byte("# comment\nsearch example.org\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:2\n"), 0o644)
	if got := systemNameservers(rc); !slices.Equal(got, []string{"192.0.2.53:53", "[2001:db8::53]:53"}) {
		t.Errorf("nameservers %q", got)
	}
	if got := systemNameservers(filepath.Join(dir, "absent")); got[0] != "127.0.0.1:53" {
		t.Errorf("without resolv.conf: %q", got)
	}
	hosts := filepath.Join(dir, "hosts")
	os.WriteFile(hosts, []byte("127.0.0.1 localhost\n10.1.2.3 pbx.lan pbx # the PBX\n"), 0o644)
	// A hosts name is not asked of DNS (the name server here is a closed
	// port: a query would fail).
	l := &Locator{resolvConf: rc, hostsFile: hosts, Timeout: 50 * time.Millisecond}
	loc, err := l.Locate(context.Background(), uri(t, "sip:alice@PBX.lan"), "", "")
	if err != nil || !slices.Equal(targets(loc), []string{"udp 10.1.2.3:5060 a"}) {
		t.Errorf("hosts name: %q %v", targets(loc), err)
	}
	loc, err = l.Locate(context.Background(), uri(t, "sips:alice@localhost"), "", "")
	if err != nil || !slices.Equal(targets(loc), []string{"tls 127.0.0.1:5061 a"}) {
		t.Errorf("localhost: %q %v", targets(loc), err)
	}
}

func TestParseNAPTR(t *testing.T) {
	rr := naptrRR("x.test", 100, 50, "S", "SIP+D2T", "_sip._tcp.x.test")
	n, err := parseNAPTR(rr.Body.(*dnsmessage.UnknownResource).Data)
	if err != nil || n != (naptr{order: 100, pref: 50, flags: "S", service: "SIP+D2T", repl: "_sip._tcp.x.test"}) {
		t.Errorf("%+v %v", n, err)
	}
	for _, bad := range [][]byte{nil, {0, 1, 0, 1}, {0, 1, 0, 1, 1, 's', 0, 0, 3, 'a'}, {0, 1, 0, 1, 0, 0, 0, 0xc0, 12}} {
		if _, err := parseNAPTR(bad); err == nil {
			t.Errorf("% x: no error", bad)
		}
	}
}

// serveTCP runs the in-process registrar on a TCP port.
func serveTCP(t *testing.T, a *authServer) string {
	t.Helper()
	ua, _ := sipgo.NewUA()
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	srv.OnRegister(a.handle)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTCP(l)
	t.Cleanup(func() { l.Close(); ua.Close() })
	return l.Addr().String()
}

// closedPort returns a port on 127.0.0.1 where nothing listens.
func closedPort(t *testing.T, network string) uint16 {
	t.Helper()
	var addr string
	if network == "tcp" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = l.Addr().String()
		l.Close()
	} else {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = pc.LocalAddr().String()
		pc.Close()
	}
	return netip.MustParseAddrPort(addr).Port()
}

func port(addr string) uint16 { return netip.MustParseAddrPort(addr).Port() }

// TestProbeFailover: RFC 3263 §4.3, the request goes to the next SRV
// target when the first refuses it (TCP reset, ICMP port unreachable) or
// does not answer within its share of the timeout.
func TestProbeFailover(t *testing.T) {
	creds := []analysis.Credential{{Realm: "*", User: "alice", Secret: analysis.Password("s3cret")}}
	silent, err := net.ListenPacket("udp", "127.0.0.1:0") // reads, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	cases := []struct {
		name      string
		transport string
		first     func() uint16
		timeout   time.Duration
		failure   string
		within    time.Duration
	}{
		{"TCP connection refused", "tcp", func() uint16 { return closedPort(t, "tcp") }, 10 * time.Second, "connection refused", 3 * time.Second},
		{"UDP port unreachable", "udp", func() uint16 { return closedPort(t, "udp") }, 10 * time.Second, "ICMP port unreachable", 3 * time.Second},
		{"UDP silence for half the timeout", "udp", func() uint16 { return port(silent.LocalAddr().String()) }, 4 * time.Second, "timeout: no answer from 127.0.0.1:" + strconv.Itoa(int(port(silent.LocalAddr().String()))) + " within 2s", 4 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := &authServer{challenge: `qop="auth"`, password: "s3cret"}
			var live string
			if c.transport == "tcp" {
				live = serveTCP(t, a)
			} else {
				live = serve(t, a)
			}
			name := "_sip._" + c.transport + ".fo.test"
			d := startDNS(t, srvRR(name, 10, 0, c.first(), "dead.fo.test"), srvRR(name, 20, 0, port(live), "live.fo.test"),
				aRR("dead.fo.test", "127.0.0.1"), aRR("live.fo.test", "127.0.0.1"))
			cfg := Config{Method: "REGISTER", Target: "sip:alice@fo.test", DNS: d.addr, Timeout: c.timeout, Expires: 60, Credentials: creds}
			start := time.Now()
			res := Run(context.Background(), cfg, nil)
			if res.Outcome != OutcomeOK || res.Final != 200 {
				t.Fatalf("%s %d: %s (%+v)", res.Outcome, res.Final, res.Reason, res.Server)
			}
			if el := time.Since(start); el > c.within {
				t.Errorf("took %s", el)
			}
			s := res.Server
			if s.Address != live || s.Transport != c.transport || s.Via != ViaSRV || len(s.Tried) != 2 {
				t.Fatalf("server %+v", s)
			}
			if !strings.Contains(s.Tried[0].Failure, c.failure) || s.Tried[1].Failure != "" || s.Tried[0].Host != "dead.fo.test" {
				t.Errorf("tried %+v", s.Tried)
			}
		})
	}
}

// TestProbeEveryTargetFails: the last failure is the result, with the
// count of targets tried, within the timeout.
func TestProbeEveryTargetFails(t *testing.T) {
	d := startDNS(t, srvRR("_sip._tcp.fo.test", 10, 0, closedPort(t, "tcp"), "a.fo.test"), srvRR("_sip._tcp.fo.test", 20, 0, closedPort(t, "tcp"), "a.fo.test"),
		aRR("a.fo.test", "127.0.0.1"))
	cfg := Config{Method: "OPTIONS", Target: "sip:alice@fo.test", DNS: d.addr, Timeout: 3 * time.Second}
	res := Run(context.Background(), cfg, nil)
	if res.Outcome != OutcomeNoAnswer || !strings.Contains(res.Reason, "connection refused") || !strings.HasSuffix(res.Reason, "(2 targets tried)") {
		t.Errorf("%s: %s", res.Outcome, res.Reason)
	}
	if len(res.Server.Tried) != 2 || res.Server.Tried[1].Failure == "" {
		t.Errorf("%+v", res.Server.Tried)
	}
	// A DNS failure is the result, said in one line.
	cfg.Target = "sip:alice@nowhere.test"
	res = Run(context.Background(), cfg, nil)
	if res.Outcome != OutcomeError || res.Reason != `DNS: no SRV or A record for "nowhere.test"` || len(res.Server.Trace) == 0 {
		t.Errorf("%s: %s %v", res.Outcome, res.Reason, res.Server.Trace)
	}
}
