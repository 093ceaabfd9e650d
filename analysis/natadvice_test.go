package analysis

import (
	"strings"
	"testing"
)

// A REGISTER with a private Contact gets the server's own setting when
// the 200's Server header names a known product, and the generic advice
// otherwise (a product unknown, or no Server header).
func TestNATAdviceNamesTheServer(t *testing.T) {
	cases := []struct{ server, want, not string }{
		{"Server: Asterisk PBX 18.10.0", "force_rport=yes and rewrite_contact=yes", ""},
		{"Server: kamailio (5.6.3 (x86_64/linux))", "fix_nated_register()", ""},
		{"Server: FreeSWITCH-mod_sofia/1.10.9", "apply-nat-acl", ""},
		{"Server: OpenSIPS (3.4.0 (x86_64/linux))", "fix_nated_contact()", "nat_uac_test(\"19\")"},
		{"Server: Acme SBC 9", "", "The server is"},
		{"", "", "The server is"},
	}
	for _, c := range cases {
		e := newExchange(t)
		e.add(0, uac, proxy, "REGISTER sip:example.com SIP/2.0|Contact: <sip:alice@192.168.1.20:5060>", "1 REGISTER")
		ok := "SIP/2.0 200 OK"
		if c.server != "" {
			ok += "|" + c.server
		}
		e.add(0.01, proxy, uac, ok, "1 REGISTER")
		f := has(e.findings(), CodeNATPrivateContact)
		if f == nil {
			t.Fatalf("%q: no nat-private-contact", c.server)
		}
		if c.want != "" && !strings.Contains(f.Explanation, c.want) {
			t.Errorf("%q: the advice lacks %q: %s", c.server, c.want, f.Explanation)
		}
		if c.not != "" && strings.Contains(f.Explanation, c.not) {
			t.Errorf("%q: the advice says %q: %s", c.server, c.not, f.Explanation)
		}
	}
}
