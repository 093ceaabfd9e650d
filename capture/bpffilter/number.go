package bpffilter

import "strings"

// parseNumber parses a number as libpcap's scanner does: decimal, 0x-prefixed
// hexadecimal, or 0-prefixed octal, at most 32 bits.
func parseNumber(t token) (uint32, error) {
	s, base := t.text, uint64(10)
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) > 1 && s[0] == '0':
		s, base = s[1:], 8
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d, ok := digitValue(s[i])
		if !ok || d >= base {
			return 0, errorf(t.pos, "invalid number %q", t.text)
		}
		v = v*base + d
		if v > 0xffffffff {
			return 0, errorf(t.pos, "number %q does not fit in 32 bits", t.text)
		}
	}
	return uint32(v), nil
}

// digitValue is the value of a hexadecimal digit.
func digitValue(c byte) (uint64, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0'), true
	case c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// parsePort parses a port number (0-65535; RFC 768, RFC 9293 and RFC 9260
// ports are 16 bits).
func parsePort(t token) (uint16, error) {
	v, err := parseNumber(t)
	if err != nil {
		return 0, err
	}
	if v > 65535 {
		return 0, errorf(t.pos, "illegal port number %d > 65535", v)
	}
	return uint16(v), nil
}

// parsePortRange parses `N-M`; like libpcap it accepts the bounds in either
// order, and a single port N as N-N.
func parsePortRange(t token) (uint16, uint16, error) {
	a, b, ok := strings.Cut(t.text, "-")
	if !ok {
		p, err := parsePort(t)
		return p, p, err
	}
	if a == "" || b == "" || strings.Contains(b, "-") {
		return 0, 0, errorf(t.pos, "invalid port range %q (want N-M)", t.text)
	}
	lo, err := parsePort(token{text: a, pos: t.pos})
	if err != nil {
		return 0, 0, err
	}
	hi, err := parsePort(token{text: b, pos: t.pos + len(a) + 1})
	if err != nil {
		return 0, 0, err
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return lo, hi, nil
}
