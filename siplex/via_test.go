package siplex

import "testing"

// The Via examples of RFC 3261 §20.42 and §18.2.1, RFC 3581 §4.
func TestTopVia(t *testing.T) {
	for _, c := range []struct {
		in                                                string
		proto, transport, sentBy, branch, received, rport string
	}{
		{"SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7",
			"SIP/2.0/UDP", "UDP", "erlang.bell-telephone.com:5060", "z9hG4bK87asdks7", "", ""},
		{"SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207;branch=z9hG4bK77asjd",
			"SIP/2.0/UDP", "UDP", "192.0.2.1:5060", "z9hG4bK77asjd", "192.0.2.207", ""},
		// The compact form, and a second via-parm that must not be read.
		{"SIP/2.0/TCP client.biloxi.example.com:5060;branch=z9hG4bKnashds7;rport=5070;received=192.0.2.101, SIP/2.0/UDP other;branch=z9hG4bKnot",
			"SIP/2.0/TCP", "TCP", "client.biloxi.example.com:5060", "z9hG4bKnashds7", "192.0.2.101", "5070"},
		// §7.3.1 allows white space around "=" and ";" and a tab for LWS.
		{"SIP/2.0/TLS\t[2001:db8::9]:5061 ; branch = \"z9hG4bK-q\" ;rport",
			"SIP/2.0/TLS", "TLS", "[2001:db8::9]:5061", "z9hG4bK-q", "", ""},
		// A comma inside a quoted parameter does not end the via-parm.
		{`SIP/2.0/WSS df7jal23ls0d.invalid;x="a,b";branch=z9hG4bKabc`,
			"SIP/2.0/WSS", "WSS", "df7jal23ls0d.invalid", "z9hG4bKabc", "", ""},
		// sent-by ends at the first blank: "host: port", which §20.42's
		// third example writes, keeps only "host:" (as the indexer has).
		{"SIP/2.0/UDP first.example.com: 4000;ttl=16;maddr=224.2.0.1 ;branch=z9hG4bKa7c6a8dlze.1",
			"SIP/2.0/UDP", "UDP", "first.example.com:", "z9hG4bKa7c6a8dlze.1", "", ""},
		{"SIP/2.0/UDP", "", "", "", "", "", ""}, // no sent-by
	} {
		v := TopVia(c.in)
		got := [...]string{v.Protocol, v.Transport(), v.SentBy, Param(v.Params, "branch"), Param(v.Params, "received"), Param(v.Params, "rport")}
		want := [...]string{c.proto, c.transport, c.sentBy, c.branch, c.received, c.rport}
		if got != want {
			t.Errorf("TopVia(%q)\n got %q\nwant %q", c.in, got, want)
		}
		if b := TopVia([]byte(c.in)); string(b.SentBy) != v.SentBy || string(b.Params) != v.Params {
			t.Errorf("TopVia([]byte %q) differs from the string's", c.in)
		}
	}
}
