package bpffilter

import (
	"strings"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Compile returns the classic BPF program for the tcpdump-style filter
// expr on packets of the given link type: Ethernet (1), Linux SLL (113),
// Linux SLL2 (276), or raw IP (101 and 12, DLT_RAW; 228, IPv4; 229, IPv6).
// The program returns snaplen for a matching packet and 0 otherwise. An
// empty (or blank) expr matches everything, whatever the link type.
// Errors are *Error values locating the offending part of expr.
func Compile(expr string, linkType layers.LinkType, snaplen uint32) ([]bpf.Instruction, error) {
	if snaplen == 0 {
		return nil, errorf(0, "snap length must be positive")
	}
	n, err := parse(expr)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return []bpf.Instruction{bpf.RetConstant{Val: snaplen}}, nil
	}
	l, ok := linkFor(linkType)
	if !ok {
		return nil, errorf(len(expr)-len(strings.TrimLeft(expr, " \t\r\n")),
			"unsupported link type %d (%s)", int(linkType), linkType)
	}
	c, err := lowerer{link: l}.lower(n)
	if err != nil {
		return nil, err
	}
	prog, err := program(c, snaplen)
	if err != nil {
		return nil, err
	}
	if _, err := bpf.Assemble(prog); err != nil {
		return nil, errorf(0, "internal error: %v", err)
	}
	return prog, nil
}

// Match runs prog on pkt with golang.org/x/net/bpf's virtual machine and
// reports whether the packet is accepted (a non-zero return value). Like
// the kernel, the VM rejects a packet on a load past its end.
func Match(prog []bpf.Instruction, pkt []byte) (bool, error) {
	vm, err := bpf.NewVM(prog)
	if err != nil {
		return false, err
	}
	n, err := vm.Run(pkt)
	return n > 0, err
}
