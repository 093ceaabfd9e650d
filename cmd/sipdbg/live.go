package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/bpffilter"
)

// stringList is a repeatable flag (-i eth0 -i eth1).
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// liveFlags are the live sources: interfaces, a HEP listener, and where
// to keep what they capture.
type liveFlags struct {
	ifaces     stringList
	hep        string
	hepPWEnv   string // the environment variable holding the HEP password
	write      string
	writeLimit int64    // MB
	memory     byteSize // budget of the live session
}

const hepPWUsage = "accept only HEP packets carrying this variable's value as their auth key (HEP3 chunk 14, heplify -hp); the others are refused and counted"

const memoryUsage = "memory budget of a live session: past it the oldest completed calls are dropped from memory (they stay in --write files); 0: no limit"

func (l liveFlags) any() bool { return len(l.ifaces) > 0 || l.hep != "" }

// open starts every source the flags name, merged, recorded when asked.
// The filter applies to the interfaces.
func (l liveFlags) open(filter string) (capture.Source, error) {
	var srcs []capture.Source
	closeAll := func() {
		for _, s := range srcs {
			s.Close()
		}
	}
	for _, iface := range l.ifaces {
		prog, err := compileFilter(filter)
		if err != nil {
			return nil, err
		}
		live, err := openLive(iface, prog)
		if err != nil {
			closeAll()
			return nil, err
		}
		srcs = append(srcs, live)
	}
	if l.hep != "" {
		pw := ""
		if l.hepPWEnv != "" {
			if pw = os.Getenv(l.hepPWEnv); pw == "" {
				closeAll()
				return nil, fmt.Errorf("--hep-password-env: $%s is empty or not set", l.hepPWEnv)
			}
		}
		h, err := capture.ListenHEPAuth(l.hep, pw)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("HEP listener on %s: %v", l.hep, err)
		}
		srcs = append(srcs, h)
	}
	src := capture.Merge(srcs...)
	if l.write != "" {
		rec, err := capture.Record(src, l.write, l.writeLimit<<20)
		if err != nil {
			closeAll()
			return nil, err
		}
		src = rec
	}
	return src, nil
}

// compileFilter turns a tcpdump-style filter into a kernel BPF program
// for live frames.
func compileFilter(expr string) ([]bpf.Instruction, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	prog, err := bpffilter.Compile(expr, capture.LiveLinkType, 262144)
	if err != nil {
		return nil, fmt.Errorf("capture filter %q: %v", expr, err)
	}
	return prog, nil
}
