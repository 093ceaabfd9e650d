package texttrace

import (
	"testing"
	"time"
)

func TestStripPrefix(t *testing.T) {
	ref := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		in, rest string
		kind     prefixKind
		at       string // resolved against ref
	}{
		{"[Nov 28 09:49:26] VERBOSE[1234][C-00000001] res_pjsip_logger.c: <--- x", "<--- x", bracketPrefix, "2026-11-28T09:49:26Z"},
		{"[Nov  8 09:49:26] NOTICE[1] chan_sip.c:1234 x", "x", bracketPrefix, "2026-11-08T09:49:26Z"},
		{"[2026-11-28 10:47:23.429] Via: a", "Via: a", bracketPrefix, "2026-11-28T10:47:23.429Z"},
		{"[Mar 30 13:35:40] ", "", bracketPrefix, "2026-03-30T13:35:40Z"},
		{"Nov 28 09:49:26 pbx asterisk[2101]: REGISTER x", "REGISTER x", syslogPrefix, "2026-11-28T09:49:26Z"},
		{"2026-11-28T09:49:26.5+01:00 host x", "host x", stampPrefix, "2026-11-28T08:49:26.5Z"},
		{"2026-11-28 09:49:26.123456 [NOTICE] sofia.c:1 x", "sofia.c:1 x", stampPrefix, "2026-11-28T09:49:26.123456Z"},
		{"23:59:59 x", "x", stampPrefix, "2026-03-01T23:59:59Z"},
		{"2026/11/28 10:47:23.429793 1.2.3.4:5 -> 1.2.3.4:6", "1.2.3.4:5 -> 1.2.3.4:6", stampPrefix, "2026-11-28T10:47:23.429793Z"},
		{"[not a date] x", "[not a date] x", noPrefix, ""},
		{"Via: SIP/2.0/UDP 1.2.3.4", "Via: SIP/2.0/UDP 1.2.3.4", noPrefix, ""},
		{"2026-13-28 09:49:26 x", "2026-13-28 09:49:26 x", noPrefix, ""},
		{"Foo 28 09:49:26 x", "Foo 28 09:49:26 x", noPrefix, ""},
	}
	for _, c := range cases {
		kind, s, rest := stripPrefix([]byte(c.in))
		if kind != c.kind || string(rest) != c.rest {
			t.Errorf("%q: kind %d rest %q, want %d %q", c.in, kind, rest, c.kind, c.rest)
		}
		if c.at != "" {
			if got := s.resolve(ref).Format(time.RFC3339Nano); got != c.at {
				t.Errorf("%q: %s, want %s", c.in, got, c.at)
			}
		}
	}
}

func TestResolveWithoutDate(t *testing.T) {
	newYear := stamp{kind: monthDayStamp, month: time.January, day: 1, tod: time.Second}
	if got := newYear.resolve(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)); got.Year() != 2027 {
		t.Errorf("Jan 1 after Dec 31 2026: %v", got)
	}
	s := stamp{kind: todStamp, tod: 10 * time.Hour}
	if got := s.resolve(time.Time{}); !got.Equal(time.Date(1970, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("time of day without a date: %v", got)
	}
	if got := (stamp{}).resolve(time.Now()); !got.IsZero() {
		t.Errorf("no stamp: %v", got)
	}
}

func TestAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3.4:5060":       "1.2.3.4:5060",
		"[2001:db8::1]:5061": "[2001:db8::1]:5061",
		"2001:db8::1:5062":   "[2001:db8::1]:5062",
		"pbx.example:5060":   "invalid AddrPort",
		"1.2.3.4:70000":      "invalid AddrPort",
	} {
		if got, _ := parseHostPort([]byte(in)); got.String() != want {
			t.Errorf("parseHostPort(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"<sip:127.0.0.1:5090;lr>":             "127.0.0.1:5090",
		"sip:bob@10.0.0.9":                    "10.0.0.9:5060",
		"sips:bob@[2001:db8::9]":              "[2001:db8::9]:5061",
		"sip:bob@10.0.0.9;transport=tls":      "10.0.0.9:5061",
		`"Bob" <sip:bob@10.0.0.9:5070>;tag=1`: "10.0.0.9:5070",
		"sip:bob@example.com":                 "invalid AddrPort",
		"tel:+123":                            "invalid AddrPort",
	} {
		if got, _ := uriAddr(uriOf([]byte(in))); got.String() != want {
			t.Errorf("uriAddr(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1;rport":                    "10.0.0.5:5062",
		"SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1;rport=5999;received=192.0.2.7": "192.0.2.7:5999",
		"SIP/2.0/TLS [2001:db8::5];branch=z9hG4bK1":                          "[2001:db8::5]:5061",
		"SIP/2.0/UDP phone.example;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.1":    "invalid AddrPort",
	} {
		if got, _ := parseVia([]byte(in)).source(); got.String() != want {
			t.Errorf("via %q: %s, want %s", in, got, want)
		}
	}
}
