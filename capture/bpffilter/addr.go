package bpffilter

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// netValue parses the value of a net primitive (pcap-filter(7) "net"):
// `A[.B[.C[.D]]]` (a short address implies a /8, /16 or /24 mask),
// `ADDR/LEN`, `A.B.C.D mask M`, or an IPv6 literal with an optional /LEN.
func (p *parser) netValue(t token) (ipMatch, error) {
	if isIPv6Literal(t.text) {
		return p.net6Value(t)
	}
	a, parts, ok := parseIPv4(t.text)
	if !ok {
		return ipMatch{}, errorf(t.pos, "invalid IPv4 network %q", t.text)
	}
	a <<= 32 - 8*parts
	mask := uint32(0xffffffff) << (32 - 8*parts)
	switch p.peek().text {
	case "/":
		p.next()
		bits, lt, err := p.maskLen(32)
		if err != nil {
			return ipMatch{}, err
		}
		return checkHostBits(v4Match(a, prefixMask32(bits)), t, t.text+"/"+lt.text)
	case "mask":
		p.next()
		m := p.next()
		mv, mparts, ok := parseIPv4(m.text)
		if !isValueTok(m) || !ok {
			return ipMatch{}, errorf(m.pos, "invalid netmask %s", describe(m))
		}
		mask = mv << (32 - 8*mparts)
		return checkHostBits(v4Match(a, mask), t, t.text+" mask "+m.text)
	}
	return v4Match(a, mask), nil
}

// net6Value parses an IPv6 network: an address with an optional /LEN.
func (p *parser) net6Value(t token) (ipMatch, error) {
	a, err := parseIPv6(t)
	if err != nil {
		return ipMatch{}, err
	}
	if p.peek().text == "mask" {
		return ipMatch{}, errorf(p.peek().pos, "\"mask\" is for IPv4 networks only (use ADDR/LEN)")
	}
	if p.peek().kind != tokSlash {
		return ipMatch{v6: true, addr: a, mask: onesMask(128, true)}, nil
	}
	p.next()
	bits, lt, err := p.maskLen(128)
	if err != nil {
		return ipMatch{}, err
	}
	m := ipMatch{v6: true, addr: a, mask: onesMask(bits, true)}
	return checkHostBits(m, t, t.text+"/"+lt.text)
}

// maskLen parses the prefix length after a `/`.
func (p *parser) maskLen(max uint32) (uint32, token, error) {
	lt := p.next()
	if !isValueTok(lt) {
		return 0, lt, errorf(lt.pos, "expected a prefix length after \"/\", found %s", describe(lt))
	}
	bits, err := parseNumber(lt)
	if err == nil && bits > max {
		err = errorf(lt.pos, "mask length must be <= %d", max)
	}
	return bits, lt, err
}

// checkHostBits rejects a network whose address has bits outside its mask,
// as libpcap does ("non-network bits set").
func checkHostBits(m ipMatch, t token, text string) (ipMatch, error) {
	for i := range m.addr {
		if m.addr[i]&^m.mask[i] != 0 {
			return ipMatch{}, errorf(t.pos, "non-network bits set in %q", text)
		}
	}
	return m, nil
}

// parseIPv4 parses 1 to 4 dot-separated decimal bytes (libpcap's
// __pcap_atoin) and returns them packed into the low bytes, with their count.
func parseIPv4(s string) (uint32, int, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, 0, false
	}
	var v uint32
	for _, part := range parts {
		if part == "" || len(part) > 3 || strings.Trim(part, "0123456789") != "" {
			return 0, 0, false
		}
		b := uint32(0)
		for i := 0; i < len(part); i++ {
			b = b*10 + uint32(part[i]-'0')
		}
		if b > 255 {
			return 0, 0, false
		}
		v = v<<8 | b
	}
	return v, len(parts), true
}

func isIPv6Literal(s string) bool { return strings.Contains(s, ":") }

// parseIPv6 parses an IPv6 literal (RFC 4291 section 2.2), without zone.
func parseIPv6(t token) ([16]byte, error) {
	a, err := netip.ParseAddr(t.text)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return [16]byte{}, errorf(t.pos, "invalid IPv6 address %q", t.text)
	}
	return a.As16(), nil
}

// v4Match builds an IPv4 address and mask; the address keeps any bits
// outside the mask so that checkHostBits can see them.
func v4Match(a, mask uint32) ipMatch {
	var m ipMatch
	binary.BigEndian.PutUint32(m.addr[:4], a)
	binary.BigEndian.PutUint32(m.mask[:4], mask)
	return m
}

// prefixMask32 is the IPv4 mask of a /bits prefix.
func prefixMask32(bits uint32) uint32 {
	if bits == 0 {
		return 0
	}
	return 0xffffffff << (32 - bits)
}

// onesMask is a /bits prefix mask over 16 (IPv6) or 4 (IPv4) bytes.
func onesMask(bits uint32, v6 bool) [16]byte {
	var m [16]byte
	n := 4
	if v6 {
		n = 16
	}
	for i := 0; i < n && bits > 0; i++ {
		take := min(bits, 8)
		m[i] = byte(0xff << (8 - take))
		bits -= take
	}
	return m
}
