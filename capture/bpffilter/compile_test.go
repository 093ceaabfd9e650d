package bpffilter

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

const snap = 262144

// matchCase is one filter verdict on a hand-made packet.
type matchCase struct {
	lt   layers.LinkType
	pkt  []byte
	expr string
	want bool
}

// ipCases covers IPv4 and IPv6 semantics on Ethernet.
func ipCases() []matchCase {
	eth := layers.LinkTypeEthernet
	u4 := ether(0x0800, ipv4Pkt(17, 5, 0, udpHdr(5060, 1234)))
	opt := ether(0x0800, ipv4Pkt(17, 7, 0, udpHdr(1234, 5060)))
	frag := ether(0x0800, ipv4Pkt(17, 5, 100, udpHdr(5060, 5060)))
	first := ether(0x0800, ipv4Pkt(17, 5, 0x2000, udpHdr(5060, 5060)))
	tcp := ether(0x0800, ipv4Pkt(6, 5, 0, append(udpHdr(80, 40000), make([]byte, 12)...)))
	sctp := ether(0x0800, ipv4Pkt(132, 5, 0, append(udpHdr(5060, 5060), make([]byte, 4)...)))
	icmp := ether(0x0800, ipv4Pkt(1, 5, 0, make([]byte, 8)))
	u6 := ether(0x86dd, ipv6Pkt(17, udpHdr(5060, 1)))
	f6 := ether(0x86dd, ipv6Pkt(44, append(fragHdr(17, 0), udpHdr(5060, 1)...)))
	hbh6 := ether(0x86dd, ipv6Pkt(0, append([]byte{17, 0, 0, 0, 0, 0, 0, 0}, udpHdr(5060, 1)...)))
	return []matchCase{
		{eth, u4, "udp port 5060", true}, {eth, u4, "src port 5060", true},
		{eth, u4, "dst port 5060", false}, {eth, u4, "tcp port 5060", false},
		{eth, u4, "ip and udp", true}, {eth, u4, "ip6 or tcp", false},
		{eth, opt, "udp dst port 5060", true}, {eth, opt, "port 1234 and port 5060", true},
		{eth, frag, "udp", true}, {eth, frag, "port 5060", false}, {eth, frag, "not port 5060", true},
		{eth, first, "src and dst port 5060", true},
		{eth, tcp, "tcp port 80", true}, {eth, tcp, "udp port 80", false}, {eth, tcp, "tcp portrange 1-79", false},
		{eth, sctp, "sctp port 5060", true}, {eth, sctp, "sctp", true}, {eth, sctp, "tcp or udp", false},
		{eth, icmp, "icmp", true}, {eth, icmp, "icmp6", false}, {eth, icmp, "port 0", false},
		{eth, u4, "portrange 5000-5100", true}, {eth, u4, "portrange 5061-6000", false},
		{eth, u4, "src portrange 5060-5060", true}, {eth, u4, "dst portrange 5060-5060", false},
		{eth, u4, "net 10.0.0.0/8", true}, {eth, u4, "src net 10.0.0.2/32", false},
		{eth, u4, "dst net 10.0.0.2/32", true}, {eth, u4, "net 10.0.0.0 mask 255.255.255.252", true},
		{eth, u4, "host 10.0.0.1 and dst host 10.0.0.2", true}, {eth, u4, "src and dst host 10.0.0.1", false},
		{eth, u4, "net 0.0.0.0/0", true}, {eth, u4, "not net 10", false},
		{eth, u6, "ip6 and udp port 5060", true}, {eth, u6, "ip", false},
		{eth, u6, "net 2001:db8::/32", true}, {eth, u6, "ip6 dst net 2001:db8::2/128", true},
		{eth, u6, "net 2001:db9::/32", false}, {eth, u6, "host 2001:db8::1", true},
		{eth, u6, "dst host 2001:db8::1", false}, {eth, u6, "host 10.0.0.1", false},
		{eth, f6, "udp", true}, {eth, f6, "ip6 and udp", true},
		// libpcap does not walk IPv6 extension headers for ports, nor for
		// protocols beyond a Fragment header right after the fixed header.
		{eth, f6, "udp port 5060", false}, {eth, hbh6, "udp", false},
	}
}

// linkCases covers ARP, VLAN tags, other link types and truncation.
func linkCases() []matchCase {
	eth := layers.LinkTypeEthernet
	u4ip := ipv4Pkt(17, 5, 0, udpHdr(5060, 1234))
	u6ip := ipv6Pkt(17, udpHdr(5060, 1))
	arp := ether(0x0806, arpPkt())
	tagged := ether(0x0800, u4ip, 0x8100, 100)
	qinq := ether(0x0800, u4ip, 0x88a8, 300, 0x8100, 100)
	return []matchCase{
		{eth, arp, "host 10.0.0.1", true}, {eth, arp, "src host 10.0.0.1", true},
		{eth, arp, "dst host 10.0.0.1", false}, {eth, arp, "ip host 10.0.0.1", false},
		{eth, arp, "arp dst host 10.0.0.2", true}, {eth, arp, "rarp host 10.0.0.2", false},
		{eth, arp, "arp", true}, {eth, arp, "net 10.0.0.0/24", true},
		{eth, tagged, "vlan", true}, {eth, tagged, "vlan 100", true}, {eth, tagged, "vlan 101", false},
		{eth, tagged, "udp", false}, {eth, tagged, "vlan and udp port 5060", true},
		{eth, tagged, "vlan and vlan", false}, {eth, tagged, "not vlan", false},
		{eth, qinq, "vlan 300 and vlan 100 and udp", true}, {eth, qinq, "vlan 100", false},
		{eth, ether(0x0800, u4ip), "vlan or udp", false},
		{layers.LinkTypeLinuxSLL, sll(0x0800, u4ip), "udp port 5060", true},
		{layers.LinkTypeLinuxSLL, sll(0x0800, u4ip), "ip6", false},
		{layers.LinkTypeLinuxSLL, sll(0x0806, arpPkt()), "host 10.0.0.2", true},
		{layers.LinkTypeLinuxSLL2, sll2(0x86dd, u6ip), "ip6 and src port 5060", true},
		{layers.LinkTypeLinuxSLL2, sll2(0x86dd, u6ip), "ip", false},
		{layers.LinkTypeRaw, u4ip, "ip and udp port 5060", true}, {layers.LinkTypeRaw, u4ip, "ip6", false},
		{layers.LinkTypeRaw, u6ip, "ip6 and udp port 5060", true}, {layers.LinkTypeRaw, u6ip, "arp", false},
		{linkTypeDLTRaw, u6ip, "host 2001:db8::2", true},
		{layers.LinkTypeIPv4, u4ip, "udp", true}, {layers.LinkTypeIPv4, u4ip, "ip6", false},
		{layers.LinkTypeIPv6, u6ip, "ip6", true}, {layers.LinkTypeIPv6, u6ip, "udp port 5060", true},
		// A load past the end rejects the packet outright, even under
		// `not`, as in the kernel and libpcap.
		{eth, ether(0x0800, u4ip)[:35], "port 5060", false},
		{eth, ether(0x0800, u4ip)[:35], "not port 5060", false},
		{eth, nil, "", true},
	}
}

// TestMatch checks verdicts on hand-made packets.
func TestMatch(t *testing.T) {
	for _, c := range append(ipCases(), linkCases()...) {
		prog, err := Compile(c.expr, c.lt, snap)
		if err != nil {
			t.Errorf("Compile(%q, %v): %v", c.expr, c.lt, err)
			continue
		}
		got, err := Match(prog, c.pkt)
		if err != nil || got != c.want {
			t.Errorf("Match(%q on %v, %d bytes) = %v, %v; want %v", c.expr, c.lt, len(c.pkt), got, err, c.want)
		}
	}
}

// TestCompileErrors checks errors that depend on the link type or the
// program rather than on the syntax.
func TestCompileErrors(t *testing.T) {
	cases := []struct {
		expr string
		lt   layers.LinkType
		snap uint32
		pos  int
		msg  string
	}{
		{"  udp", layers.LinkTypeNull, snap, 2, "unsupported link type 0"},
		{"vlan", layers.LinkTypeLinuxSLL, snap, 0, "vlan is not supported on link type Linux cooked v1"},
		{"udp and vlan 5", layers.LinkTypeRaw, snap, 8, "vlan is not supported on link type Raw IP"},
		{"vlan", layers.LinkTypeLinuxSLL2, snap, 0, "Linux cooked v2"},
		{"udp", layers.LinkTypeEthernet, 0, 0, "snap length must be positive"},
		{"udp port " + portList(400), layers.LinkTypeEthernet, snap, 0, "filter too large"},
	}
	for _, c := range cases {
		_, err := Compile(c.expr, c.lt, c.snap)
		var e *Error
		if !errors.As(err, &e) || e.Pos != c.pos || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("Compile(%.40q, %v) error = %v, want %q at %d", c.expr, c.lt, err, c.msg, c.pos)
		}
	}
}

// portList is "1 or 2 or ... or n".
func portList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprint(i + 1)
	}
	return strings.Join(parts, " or ")
}

// TestEmptyMatchesAll: an empty filter is `ret #snaplen` on any link type.
func TestEmptyMatchesAll(t *testing.T) {
	for _, lt := range []layers.LinkType{layers.LinkTypeNull, layers.LinkTypeEthernet} {
		prog, err := Compile(" ", lt, 1500)
		want := []bpf.Instruction{bpf.RetConstant{Val: 1500}}
		if err != nil || fmt.Sprint(prog) != fmt.Sprint(want) {
			t.Errorf("Compile(\" \", %v) = %v, %v; want %v", lt, prog, err, want)
		}
	}
}

// TestProgramShape pins the code for simple filters.
func TestProgramShape(t *testing.T) {
	cases := []struct {
		expr string
		lt   layers.LinkType
		want []bpf.Instruction
	}{
		{"ip", layers.LinkTypeEthernet, []bpf.Instruction{
			bpf.LoadAbsolute{Off: 12, Size: 2},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x800, SkipFalse: 1},
			bpf.RetConstant{Val: snap}, bpf.RetConstant{}}},
		{"ip", layers.LinkTypeIPv4, []bpf.Instruction{bpf.RetConstant{Val: snap}}},
		{"ip6 or arp", layers.LinkTypeIPv4, []bpf.Instruction{bpf.RetConstant{}}},
		{"not ip6", layers.LinkTypeIPv4, []bpf.Instruction{bpf.RetConstant{Val: snap}}},
	}
	for _, c := range cases {
		prog, err := Compile(c.expr, c.lt, snap)
		if err != nil || fmt.Sprint(prog) != fmt.Sprint(c.want) {
			t.Errorf("Compile(%q, %v) = %v, %v; want %v", c.expr, c.lt, prog, err, c.want)
		}
	}
}

// TestFarJumps: a program longer than 256 instructions needs `ja`
// trampolines, since conditional jumps reach at most 255 ahead.
func TestFarJumps(t *testing.T) {
	prog, err := Compile("udp port "+portList(60), layers.LinkTypeEthernet, snap)
	if err != nil {
		t.Fatal(err)
	}
	ja := 0
	for _, ins := range prog {
		if _, ok := ins.(bpf.Jump); ok {
			ja++
		}
	}
	if len(prog) < 300 || ja == 0 {
		t.Fatalf("program has %d instructions and %d ja; want > 300 and some ja", len(prog), ja)
	}
	for _, c := range []struct {
		port uint16
		want bool
	}{{1, true}, {30, true}, {60, true}, {61, false}, {0, false}} {
		for _, pkt := range [][]byte{
			ether(0x0800, ipv4Pkt(17, 5, 0, udpHdr(9999, c.port))),
			ether(0x86dd, ipv6Pkt(17, udpHdr(c.port, 9999))),
		} {
			if got, err := Match(prog, pkt); err != nil || got != c.want {
				t.Errorf("port %d: Match = %v, %v; want %v", c.port, got, err, c.want)
			}
		}
	}
}

// TestMatchBadProgram: Match reports programs the VM refuses.
func TestMatchBadProgram(t *testing.T) {
	if _, err := Match([]bpf.Instruction{bpf.LoadConstant{Val: 1}}, nil); err == nil {
		t.Error("Match accepted a program without a return")
	}
}
