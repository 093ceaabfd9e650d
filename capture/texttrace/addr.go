package texttrace

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/sipdbg/sipdbg/capture"
)

// parseHostPort reads "1.2.3.4:5060", "[2001:db8::1]:5060" or, as some
// loggers print IPv6, "2001:db8::1:5060" (the port after the last colon).
// A host name is not an address: ok is false then.
func parseHostPort(b []byte) (netip.AddrPort, bool) {
	if ap, err := netip.ParseAddrPort(string(b)); err == nil {
		return ap, true
	}
	i := bytes.LastIndexByte(b, ':')
	if i < 1 {
		return netip.AddrPort{}, false
	}
	port, ok := atoi(b[i+1:])
	if !ok || port > 65535 {
		return netip.AddrPort{}, false
	}
	a, ok := parseIP(b[:i])
	if !ok {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a, uint16(port)), true
}

// parseIP reads an IP address, IPv6 with or without brackets.
func parseIP(b []byte) (netip.Addr, bool) {
	s := string(b)
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// parseTransport maps a transport name as loggers print it ("UDP",
// "tls", pjsip's "UDP6") to capture's constants.
func parseTransport(b []byte) (capture.Transport, bool) {
	s := strings.TrimSuffix(strings.ToUpper(string(b)), "6")
	switch s {
	case "UDP":
		return capture.UDP, true
	case "TCP":
		return capture.TCP, true
	case "TLS":
		return capture.TLS, true
	case "SCTP":
		return capture.SCTP, true
	case "WS":
		return capture.WS, true
	case "WSS":
		return capture.WSS, true
	}
	return 0, false
}
