package main

import (
	"encoding/json"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsServer answers SRV and A questions from srv and a (owner name →
// records), NXDOMAIN for any other name, on 127.0.0.1 over UDP.
func dnsServer(t *testing.T, srv map[string][]dnsmessage.SRVResource, a map[string]string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var q dnsmessage.Message
			if q.Unpack(buf[:n]) != nil || len(q.Questions) != 1 {
				continue
			}
			qq := q.Questions[0]
			name := strings.TrimSuffix(qq.Name.String(), ".")
			r := dnsmessage.Message{Header: dnsmessage.Header{ID: q.ID, Response: true}, Questions: q.Questions}
			h := dnsmessage.ResourceHeader{Name: qq.Name, Type: qq.Type, Class: dnsmessage.ClassINET, TTL: 60}
			recs, isSRV := srv[name]
			ip, isA := a[name]
			switch {
			case isSRV && qq.Type == dnsmessage.TypeSRV:
				for i := range recs {
					r.Answers = append(r.Answers, dnsmessage.Resource{Header: h, Body: &recs[i]})
				}
			case isA && qq.Type == dnsmessage.TypeA:
				r.Answers = append(r.Answers, dnsmessage.Resource{Header: h, Body: &dnsmessage.AResource{A: netip.MustParseAddr(ip).As4()}})
			case !isSRV && !isA:
				r.RCode = dnsmessage.RCodeNameError
			}
			if out, err := r.Pack(); err == nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	return pc.LocalAddr().String()
}

// challenger answers a request with a 401 and, once it carries
// credentials, 200 (they are not checked: the test is about where the
// request went). It is a plain UDP socket, not sipgo: sipgo's tracer is
// process-global, and the probe sets it while a sipgo server would read it.
func challenger(t *testing.T) uint16 {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			head, _, _ := strings.Cut(string(buf[:n]), "\r\n\r\n")
			lines := strings.Split(head, "\r\n")
			if len(lines) < 2 || strings.HasPrefix(lines[0], "SIP/2.0") {
				continue // a keep-alive or a response
			}
			status, extra := "401 Unauthorized", "WWW-Authenticate: Digest realm=\"t.test\", nonce=\"n1\", qop=\"auth\"\r\n"
			var copied strings.Builder
			for _, l := range lines[1:] {
				name, _, _ := strings.Cut(l, ":")
				switch strings.ToLower(strings.TrimSpace(name)) {
				case "via", "from", "to", "call-id", "cseq":
					copied.WriteString(l + "\r\n")
				case "authorization":
					status, extra = "200 OK", ""
				}
			}
			pc.WriteTo([]byte("SIP/2.0 "+status+"\r\n"+copied.String()+extra+"Content-Length: 0\r\n\r\n"), from)
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String()).Port()
}

// TestProbeDNS: without --server, --dns is asked for the SRV records of
// the target's domain; the first target refuses (ICMP port unreachable),
// the second answers. The text says where it went and how it was found,
// --json has the "server" object, and the password shows nowhere.
func TestProbeDNS(t *testing.T) {
	const pw = "dns-test-secret"
	t.Setenv("SIPDBG_DNS_PW", pw)
	live := challenger(t)
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	dead := netip.MustParseAddrPort(pc.LocalAddr().String()).Port()
	pc.Close()
	dns := dnsServer(t, map[string][]dnsmessage.SRVResource{
		"_sip._udp.t.test": {
			{Priority: 10, Port: dead, Target: dnsmessage.MustNewName("dead.t.test.")},
			{Priority: 20, Port: live, Target: dnsmessage.MustNewName("live.t.test.")},
		}}, map[string]string{"dead.t.test": "127.0.0.1", "live.t.test": "127.0.0.1"})
	liveAddr, deadAddr := "127.0.0.1:"+strconv.Itoa(int(live)), "127.0.0.1:"+strconv.Itoa(int(dead))
	args := []string{"probe", "options", "sip:alice@t.test", "--dns", dns, "--password-env", "SIPDBG_DNS_PW", "--timeout", "5s"}

	code, out, errs := sipdbg(t, nil, args...)
	if code != probeOK {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{
		"Server: udp " + liveAddr + " via srv (NAPTR t.test → none (NXDOMAIN); SRV _sips._tcp.t.test → none (NXDOMAIN); ",
		"SRV _sip._udp.t.test → dead.t.test:" + strconv.Itoa(int(dead)) + " (prio 10 weight 0), live.t.test:" + strconv.Itoa(int(live)) + " (prio 20 weight 0); A dead.t.test → 127.0.0.1",
		"Tried: udp " + deadAddr + " (connection refused: nothing listens on udp " + deadAddr + " (ICMP port unreachable)), then udp " + liveAddr + " (answered)\n",
		"Result: ok (SIP/2.0 200 OK)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, errs = sipdbg(t, nil, append(args, "--json")...)
	var doc struct {
		Result string `json:"result"`
		Server struct {
			Address, Transport, Via string
			Tried                   []struct{ Address, Transport, Via, Host, Error string }
			Trace                   []string
		} `json:"server"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != probeOK {
		t.Fatalf("exit %d %v: %s\n%s", code, err, errs, out)
	}
	s := doc.Server
	if s.Address != liveAddr || s.Transport != "udp" || s.Via != "srv" || len(s.Tried) != 2 || len(s.Trace) < 4 ||
		s.Tried[0].Address != deadAddr || s.Tried[0].Host != "dead.t.test" || !strings.Contains(s.Tried[0].Error, "ICMP") || s.Tried[1].Error != "" {
		t.Errorf("server object: %+v", s)
	}
	if strings.Contains(out+errs, pw) {
		t.Error("the password appears in the output")
	}

	// A name DNS does not know: one line on standard error, exit 2.
	code, out, errs = sipdbg(t, nil, "probe", "options", "sip:alice@nowhere.t2.test", "--dns", dns, "--password-env", "SIPDBG_DNS_PW")
	if code != probeNoAnswer || !strings.Contains(errs, `DNS: no SRV or A record for "nowhere.t2.test"`) || !strings.Contains(out, "Server: none found (NAPTR nowhere.t2.test → none (NXDOMAIN)") {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}
	for _, bad := range []string{"127.0.0.1", "x:y", ":53"} {
		if code, _, errs := sipdbg(t, nil, "probe", "options", "sip:alice@t.test", "--dns", bad); code != probeUsage || !strings.Contains(errs, "--dns is HOST:PORT") {
			t.Errorf("--dns %s: exit %d %q", bad, code, errs)
		}
	}
}
