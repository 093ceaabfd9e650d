package config

import (
	"net/netip"
	"testing"
)

func TestParseAliases(t *testing.T) {
	const file = `
theme = "mono"

[aliases]
"192.0.2.10" = "edge"
"192.0.2.10:5060" = "edge-sip"
"[2001:db8::1]:5060" = "core"
"2001:db8::2" = "core"   # two addresses, one name: one ladder column

[list]
columns = ["#"]
`
	cfg, warnings, err := Parse("c.toml", []byte(file))
	if err != nil || len(warnings) != 0 {
		t.Fatalf("%v %v", err, warnings)
	}
	for addr, want := range map[string]string{
		"192.0.2.10:5060":    "edge-sip",
		"192.0.2.10:5070":    "edge",
		"[2001:db8::1]:5060": "core",
		"[2001:db8::2]:5080": "core",
		"[2001:db8::1]:5070": "",
	} {
		if got, _ := cfg.Aliases.Name(netip.MustParseAddrPort(addr)); got != want {
			t.Errorf("%s: alias %q, want %q", addr, got, want)
		}
	}
	if cfg.Aliases.Len() != 4 || len(cfg.Columns) != 1 {
		t.Errorf("%d aliases, %d columns: the table after [aliases] is its own", cfg.Aliases.Len(), len(cfg.Columns))
	}
	// An inline table and dotted keys are the same setting.
	for _, text := range []string{
		`aliases = { "192.0.2.10" = "edge", "[2001:db8::1]:5060" = "core" }`,
		"aliases.\"192.0.2.10\" = \"edge\"\naliases.\"[2001:db8::1]:5060\" = \"core\"\n",
	} {
		cfg, _, err := Parse("c.toml", []byte(text))
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if n, _ := cfg.Aliases.Name(netip.MustParseAddrPort("[2001:db8::1]:5060")); n != "core" || cfg.Aliases.Len() != 2 {
			t.Errorf("%s: %d aliases, core is %q", text, cfg.Aliases.Len(), n)
		}
	}
	// No table: none.
	if cfg, _, _ := Parse("c.toml", nil); cfg.Aliases.Len() != 0 {
		t.Error("aliases without a file")
	}
}

// A bare IPv6 address ending in a SIP port is taken (it is an address)
// with a warning at its line: it was likely meant with the port.
func TestParseAliasesWarnPort(t *testing.T) {
	_, warnings, err := Parse("c.toml", []byte("[aliases]\n\n\"2001:db8::1:5060\" = \"core\"\n"))
	want := `c.toml:3: warning: aliases: "2001:db8::1:5060" is read as an IPv6 address; with a port it is written "[2001:db8::1]:5060"`
	if err != nil || len(warnings) != 1 || warnings[0] != want {
		t.Errorf("%v\n got %q\nwant %q", err, warnings, want)
	}
}

func TestParseAliasErrors(t *testing.T) {
	cases := []parseError{
		{"[aliases]\n\"edge.example.com\" = \"edge\"\n", `c.toml:2: aliases: "edge.example.com" is no IP address or IP:PORT`},
		{"[aliases]\n\"192.0.2.10\" = \"edge\"\n\n\"192.0.2.300\" = \"x\"\n", `c.toml:4: aliases: "192.0.2.300" is no IP address`},
		{"[aliases]\n\"2001:db8::1:5060:1:2:3:4:5\" = \"x\"\n", `c.toml:2: aliases: "2001:db8::1:5060:1:2:3:4:5" is no IP address`},
		{"[aliases]\n\"192.0.2.10:0\" = \"x\"\n", `c.toml:2: aliases: "192.0.2.10:0": port 0`},
		{"[aliases]\n\"fe80::1%eth0\" = \"x\"\n", `c.toml:2: aliases: "fe80::1%eth0": an address with a zone`},
		{"[aliases]\n\"192.0.2.10\" = \"\"\n", `c.toml:2: aliases: the alias of "192.0.2.10" is empty`},
		{"[aliases]\n\"192.0.2.10\" = \"a\\u001b[2Jb\"\n", `c.toml:2: aliases: the alias "a\x1b[2Jb" has a control character in it`},
		{"[aliases]\n\"192.0.2.10\" = 5\n", `c.toml:2: the alias of "192.0.2.10" must be a string`},
		{"[aliases]\n\"2001:db8::1\" = \"a\"\n\"2001:DB8::1\" = \"b\"\n", `c.toml:3: aliases: 2001:db8::1 is named already ("a")`},
		{"[aliases]\n192.0.2.10 = \"edge\"\n", `c.toml:2: aliases: quote the address: "192.0.2.10" = "NAME"`},
		{"aliases = \"edge\"\n", "c.toml:1: aliases must be a table ([aliases])"},
		{"aliases = {\n\"x\" = \"edge\" }\n", `c.toml:2: aliases: "x" is no IP address`},
		{"[aliases.\"192.0.2.10\"]\nname = \"edge\"\n", `c.toml:1: unknown table "aliases.192.0.2.10"`},
		{"[[aliases]]\n", `c.toml:1: unknown table "aliases"`},
	}
	checkParseErrors(t, cases)
}
