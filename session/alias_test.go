package session

import (
	"net/netip"
	"strings"
	"testing"
)

func mustAliases(t *testing.T, kv ...string) Aliases {
	t.Helper()
	var a Aliases
	for i := 0; i+1 < len(kv); i += 2 {
		if err := a.Add(kv[i], kv[i+1]); err != nil {
			t.Fatalf("Add(%q, %q): %v", kv[i], kv[i+1], err)
		}
	}
	return a
}

// The lookup rule: the entry with the port beats the address's; an
// address named only with another port has no alias; IPv6 keys are
// compared as addresses, not text; an IPv4-mapped address is its IPv4.
func TestAliasLookup(t *testing.T) {
	a := mustAliases(t,
		"192.0.2.10", "edge",
		"192.0.2.10:5060", "edge-sip",
		"192.0.2.20:5080", "sbc",
		"[2001:DB8::1]:5060", "core",
		"2001:db8:0:0::2", "core",
		"::ffff:198.51.100.7", "mapped-key",
	)
	for _, c := range []struct {
		addr, want string
		ok         bool
	}{
		{"192.0.2.10:5060", "edge-sip", true},
		{"192.0.2.10:5061", "edge", true},
		{"192.0.2.20:5080", "sbc", true},
		{"192.0.2.20:5060", "", false},
		{"192.0.2.11:5060", "", false},
		{"[2001:db8::1]:5060", "core", true},
		{"[2001:db8::1]:5070", "", false},
		{"[2001:db8::2]:1234", "core", true},
		{"[::ffff:192.0.2.10]:5060", "edge-sip", true},
		{"[::ffff:192.0.2.10]:9", "edge", true},
		{"198.51.100.7:5060", "mapped-key", true},
	} {
		got, ok := a.Name(netip.MustParseAddrPort(c.addr))
		if got != c.want || ok != c.ok {
			t.Errorf("Name(%s) = %q, %v; want %q, %v", c.addr, got, ok, c.want, c.ok)
		}
	}
	if got := a.Label(netip.MustParseAddrPort("192.0.2.99:5060")); got != "192.0.2.99:5060" {
		t.Errorf("Label of an address without alias = %q, want the address", got)
	}
	if a.Len() != 6 {
		t.Errorf("Len = %d, want 6", a.Len())
	}
	var none Aliases
	if n, ok := none.Name(netip.MustParseAddrPort("192.0.2.10:5060")); ok || n != "" {
		t.Errorf("the zero Aliases names %q", n)
	}
}

func TestAliasAddRefuses(t *testing.T) {
	for _, c := range []struct{ key, name, want string }{
		{"edge.example.com", "edge", "no IP address"},
		{"192.0.2.10:", "edge", "no IP address"},
		{"2001:db8::1:5060", "core", ""}, // a valid IPv6 address: taken (see below)
		{"192.0.2.300", "edge", "no IP address"},
		{"192.0.2.0/24", "net", "no IP address"},
		{"192.0.2.10:0", "edge", "port 0"},
		{"fe80::1%eth0", "link", "zone"},
		{"192.0.2.10", "", "empty"},
		{"192.0.2.10", "  ", "empty"},
		{"192.0.2.10", "ed\x1b[31mge", "control character"},
		{"192.0.2.10", "a\tb", "control character"},
	} {
		var a Aliases
		err := a.Add(c.key, c.name)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Add(%q, %q): %v", c.key, c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Add(%q, %q) = %v, want an error about %q", c.key, c.name, err, c.want)
		}
	}
	a := mustAliases(t, "2001:db8::1", "core", "[2001:db8::1]:5060", "core-sip")
	if err := a.Add("2001:DB8:0::1", "other"); err == nil || !strings.Contains(err.Error(), `"core"`) {
		t.Errorf("the same address written otherwise: %v, want it named already", err)
	}
	if err := a.Add("[2001:db8::1]:5060", "other"); err == nil {
		t.Error("the same address and port twice: no error")
	}
	if err := a.Add("::ffff:2001:db8::1", "x"); err == nil {
		t.Error("a bad address: no error")
	}
}

func TestStoreAliases(t *testing.T) {
	s := NewStore()
	if s.Aliases().Len() != 0 {
		t.Fatal("a new store names endpoints")
	}
	s.SetAliases(mustAliases(t, "192.0.2.10", "edge"))
	if n, _ := s.Aliases().Name(netip.MustParseAddrPort("192.0.2.10:5060")); n != "edge" {
		t.Errorf("the store's alias = %q", n)
	}
}
