package bpffilter

import (
	"errors"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// FuzzCompile: no expression makes Compile panic; every error is an *Error
// inside the expression; every program assembles, fits the kernel's limit
// and runs on sample packets without a VM error.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{"udp port 5060", "vlan and (tcp or udp) portrange 1-2",
		"not net 10/8 or host ::1", "port 1 or (2 and not 3)", "src and dst 1.2.3.4"} {
		f.Add(s)
	}
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL,
		layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6}
	pkts := [][]byte{nil,
		ether(0x0800, ipv4Pkt(17, 6, 0, udpHdr(5060, 5060))),
		ether(0x86dd, ipv6Pkt(44, append(fragHdr(6, 0), udpHdr(1, 2)...)), 0x8100, 5),
		sll(0x0806, arpPkt()), ipv4Pkt(132, 5, 0, udpHdr(1, 2))}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, lt := range links {
			prog, err := Compile(expr, lt, 65535)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Pos < 0 || e.Pos > len(expr) {
					t.Fatalf("Compile(%q, %v): bad error %#v", expr, lt, err)
				}
				continue
			}
			checkProgram(t, expr, prog, pkts)
		}
	})
}

// checkProgram asserts that prog is a valid classic BPF program.
func checkProgram(t *testing.T, expr string, prog []bpf.Instruction, pkts [][]byte) {
	t.Helper()
	if _, err := bpf.Assemble(prog); err != nil {
		t.Fatalf("Compile(%q): program does not assemble: %v", expr, err)
	}
	if len(prog) == 0 || len(prog) > maxInstructions {
		t.Fatalf("Compile(%q): %d instructions", expr, len(prog))
	}
	for _, p := range pkts {
		if _, err := Match(prog, p); err != nil {
			t.Fatalf("Compile(%q): Match: %v", expr, err)
		}
	}
}
