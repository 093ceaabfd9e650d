package capture

import (
	"net/netip"
	"testing"
)

// icmpQuote finds the UDP datagram an ICMP error quotes (RFC 792: the
// IP header and 8 bytes of the datagram; RFC 4443 §3.1 likewise), and
// nothing in what quotes no UDP or is cut short.
func TestICMPQuote(t *testing.T) {
	v4 := []byte{3, 3, 0, 0, 0, 0, 0, 0, // port unreachable
		0x45, 0, 0, 48, 0, 0, 0, 0, 64, 17, 0, 0, 172, 16, 98, 181, 172, 16, 98, 102, // quoted IPv4, UDP
		0x13, 0xc4, 0x13, 0xc4, 0, 28, 0, 0} // 5060 → 5060
	typ, code, src, dst, ok := icmpQuote(v4, false)
	if !ok || typ != 3 || code != 3 || src != netip.MustParseAddrPort("172.16.98.181:5060") || dst != netip.MustParseAddrPort("172.16.98.102:5060") {
		t.Errorf("v4: %d/%d %v → %v %v", typ, code, src, dst, ok)
	}
	if (ICMP{Type: typ, Code: code}).PortUnreachable() != true {
		t.Error("3/3 is port unreachable")
	}
	v6 := append([]byte{1, 4, 0, 0, 0, 0, 0, 0, 0x60, 0, 0, 0, 0, 8, 17, 64}, make([]byte, 32)...)
	v6[8+8+15], v6[8+24+15] = 1, 2 // ::1 → ::2
	v6 = append(v6, 0x13, 0xc4, 0x13, 0xc5, 0, 8, 0, 0)
	if _, _, src, dst, ok := icmpQuote(v6, true); !ok || src != netip.MustParseAddrPort("[::1]:5060") || dst != netip.MustParseAddrPort("[::2]:5061") {
		t.Errorf("v6: %v → %v %v", src, dst, ok)
	}
	tcp := append([]byte(nil), v4...)
	tcp[8+9] = 6
	for name, b := range map[string][]byte{"TCP quoted": tcp, "cut": v4[:20], "echo": {8, 0, 0, 0, 0, 0, 0, 0}} {
		if _, _, _, _, ok := icmpQuote(b, false); ok {
			t.Errorf("%s: a quote found", name)
		}
	}
}

func FuzzICMPQuote(f *testing.F) {
	f.Add([]byte{3, 3, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 48, 0, 0, 0, 0, 64, 17, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0x13, 0xc4, 0x13, 0xc4}, false)
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		icmpQuote(b, v6)
	})
}
