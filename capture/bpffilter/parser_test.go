package bpffilter

import (
	"errors"
	"strings"
	"testing"
)

// parseCase is an expression and its parse tree.
type parseCase struct{ expr, want string }

// precedenceCases: not > and = or, left to right (pcap-filter(7)), and
// qualifier repetition.
func precedenceCases() []parseCase {
	return []parseCase{
		{"udp", "udp"},
		{"udp or tcp and port 5060", "(and (or udp tcp) port 5060)"},
		{"udp and tcp or ip6", "(or (and udp tcp) ip6)"},
		{"not udp and tcp", "(and (not udp) tcp)"},
		{"! tcp || udp && ip6", "(and (or (not tcp) udp) ip6)"},
		{"not not udp", "(not (not udp))"},
		{"udp and (tcp or not ip)", "(and udp (or tcp (not ip)))"},
		{"((udp))", "udp"},
		{"(udp or tcp) and port 5060", "(and (or udp tcp) port 5060)"},
		{"port 5060 or 5061", "(or port 5060 port 5061)"},
		{"tcp dst port 1 or 2 and 3", "(and (or tcp dst port 1 tcp dst port 2) tcp dst port 3)"},
		{"port 5060 and not 5061", "(and port 5060 (not port 5061))"},
		{"port 1 or !2", "(or port 1 (not port 2))"},
		{"port (5060 or 5061)", "(or port 5060 port 5061)"},
		{"port 1 and (not 2)", "(and port 1 (not port 2))"},
		{"port 1 or (udp) or 2", "(or (or port 1 udp) port 2)"},
	}
}

// valueCases: qualifiers, directions and value normalisation.
func valueCases() []parseCase {
	return []parseCase{
		{"host 10.0.0.1 or 10.0.0.2", "(or host 10.0.0.1 host 10.0.0.2)"},
		{"src 10.0.0.1", "src host 10.0.0.1"},
		{"dst 2001:db8::1", "dst host 2001:db8::1"},
		{"src or dst port 5", "port 5"},
		{"dst and src 1.2.3.4", "src and dst host 1.2.3.4"},
		{"src && dst port 5", "src and dst port 5"},
		{"udp src port 5060", "udp src port 5060"},
		{"tcp portrange 5070-5060", "tcp portrange 5060-5070"},
		{"portrange 5060", "portrange 5060-5060"},
		{"port 0x13c4", "port 5060"},
		{"port 010", "port 8"},
		{"net 10.0.0.0/8", "net 10.0.0.0 mask 255.0.0.0"},
		{"net 10/8", "net 10.0.0.0 mask 255.0.0.0"},
		{"net 10.0.0.0 / 8", "net 10.0.0.0 mask 255.0.0.0"},
		{"net 172.16", "net 172.16.0.0 mask 255.255.0.0"},
		{"net 10.0.0.0 mask 255.0.0.0", "net 10.0.0.0 mask 255.0.0.0"},
		{"src and dst net 192.168.1", "src and dst net 192.168.1.0 mask 255.255.255.0"},
		{"net 0.0.0.0/0", "net 0.0.0.0 mask 0.0.0.0"},
		{"ip6 net 2001:db8::/32", "ip6 net 2001:db8:: mask ffff:ffff::"},
		{"net 2001:db8::1", "net 2001:db8::1 mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"ip6 host ::1", "ip6 host ::1"},
		{"arp host 10.0.0.1", "arp host 10.0.0.1"},
		{"vlan", "vlan"},
		{"vlan and udp", "(and vlan vlan+1:udp)"},
		{"vlan 100 and vlan 200 and ip", "(and (and vlan 100 vlan+1:vlan 200) vlan+2:ip)"},
		{"udp or vlan or port 1", "(or (or udp vlan) vlan+1:port 1)"},
		{"port 1 and vlan or port 2", "(or (and port 1 vlan) vlan+1:port 2)"},
		{"  udp\tand\nip  ", "(and udp ip)"},
	}
}

// TestParse checks the parse tree.
func TestParse(t *testing.T) {
	for _, c := range append(precedenceCases(), valueCases()...) {
		n, err := parse(c.expr)
		if err != nil {
			t.Errorf("parse(%q): %v", c.expr, err)
			continue
		}
		if got := n.String(); got != c.want {
			t.Errorf("parse(%q) = %s, want %s", c.expr, got, c.want)
		}
	}
}

// TestParseEmpty: a blank expression parses to nothing (match all).
func TestParseEmpty(t *testing.T) {
	for _, expr := range []string{"", " ", "\t\n"} {
		if n, err := parse(expr); n != nil || err != nil {
			t.Errorf("parse(%q) = %v, %v; want nil, nil", expr, n, err)
		}
	}
}

// errorCase is an expression and the position and message of its error.
type errorCase struct {
	expr string
	pos  int
	msg  string
}

// syntaxErrorCases: unsupported keywords and characters, bad structure.
func syntaxErrorCases() []errorCase {
	return []errorCase{
		{"greater 100", 0, `unsupported keyword "greater"`},
		{"udp and greater 100", 8, `unsupported keyword "greater"`},
		{"len > 100", 0, `unsupported keyword "len"`},
		{"ether host 00:11:22:33:44:55", 0, `unsupported keyword "ether"`},
		{"ip proto 17", 3, `unsupported keyword "proto"`},
		{"udp[8] = 0", 3, `unsupported character '['`},
		{"udp port 5060 & 1", 14, `unsupported character '&'`},
		{"host 1.2.3.4 and é", 17, `unsupported character 'é'`},
		{"port greater", 5, "port names are not supported"},
		{"udp port sip", 9, "port names are not supported"},
		{"host foo.example", 5, "host names are not supported"},
		{"net corp", 4, "network names are not supported"},
		{"port udp", 5, `expected an address or number, found "udp"`},
		{"10.0.0.1", 0, "missing qualifier"},
		{"udp or 5061", 7, "missing qualifier"},
		{"(port 1) or 2", 12, "missing qualifier"},
		{"port 1 and vlan or 2", 19, "missing qualifier"},
		{"port 5060 5061", 10, `unexpected value "5061"`},
		{"udp and", 7, "unexpected end of expression"},
		{"not", 3, "unexpected end of expression"},
		{"port", 4, "expected an address or number, found end of expression"},
		{"(udp", 0, `unbalanced "("`},
		{"port (1 or 2", 5, `unbalanced "("`},
		{"udp)", 3, `unbalanced ")"`},
		{"udp and and tcp", 8, `unexpected "and"`},
	}
}

// valueErrorCases: values out of range, qualifiers that do not apply.
func valueErrorCases() []errorCase {
	return []errorCase{
		{"port 70000", 5, "illegal port number 70000 > 65535"},
		{"portrange 1-70000", 12, "illegal port number 70000 > 65535"},
		{"portrange 5-", 10, "invalid port range"},
		{"portrange 5-6-7", 10, "invalid port range"},
		{"portrange -5", 10, `invalid value "-5"`},
		{"port 08", 5, `invalid number "08"`},
		{"port 99999999999", 5, "does not fit in 32 bits"},
		{"tcp host 1.2.3.4", 9, `qualifier "tcp" cannot be applied to a host or net`},
		{"ip6 port 5", 9, `qualifier "ip6" cannot be applied to a port`},
		{"icmp portrange 1-2", 15, `qualifier "icmp" cannot be applied to a port`},
		{"ip host ::1", 8, `qualifier "ip" applied to an IPv6 address`},
		{"ip6 host 1.2.3.4", 9, `qualifier "ip6" applied to an IPv4 address`},
		{"host 10.1", 5, "host needs a full IPv4 address"},
		{"host 1.2.3.4.5", 5, "invalid IPv4 address"},
		{"host 1.2.3.256", 5, "invalid IPv4 address"},
		{"host 1:2:3", 5, "invalid IPv6 address"},
		{"host fe80::1%eth0", 12, `unsupported character '%'`},
		{"host 1.2.3.4/32", 12, "mask syntax is for networks only"},
		{"port 1 mask 2", 7, "mask syntax is for networks only"},
		{"net 10.1.0.0/8", 4, `non-network bits set in "10.1.0.0/8"`},
		{"net 1.2.3.4 mask 255.255.255.0", 4, "non-network bits set"},
		{"net 10.0.0.0/33", 13, "mask length must be <= 32"},
		{"net ::1/129", 8, "mask length must be <= 128"},
		{"net 2001:db8::1/32", 4, "non-network bits set"},
		{"net ::1 mask ffff::", 8, `"mask" is for IPv4 networks only`},
		{"net 10.0.0.0/", 13, "expected a prefix length"},
		{"net 10.0.0.0 mask", 17, "invalid netmask end of expression"},
		{"vlan 4096", 5, "VLAN ID 4096 greater than maximum 4095"},
		{"vlan 0x", 5, "invalid number"},
		{strings.Repeat("(", 300) + "udp" + strings.Repeat(")", 300), 256, "nested too deeply"},
		{strings.Repeat("not ", 300) + "udp", 1024, "nested too deeply"},
	}
}

// TestParseErrors checks the position and message of syntax errors and of
// unsupported parts of the tcpdump language.
func TestParseErrors(t *testing.T) {
	for _, c := range append(syntaxErrorCases(), valueErrorCases()...) {
		_, err := parse(c.expr)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("parse(%q) error = %v, want *Error", c.expr, err)
			continue
		}
		if e.Pos != c.pos || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("parse(%q) = %q at %d, want %q at %d", c.expr, e.Msg, e.Pos, c.msg, c.pos)
		}
	}
}

// TestErrorString checks the documented error format.
func TestErrorString(t *testing.T) {
	_, err := parse("udp and greater 100")
	want := `filter: unsupported keyword "greater" at 8`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
