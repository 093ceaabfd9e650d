package bpffilter

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// randomPrims are the building blocks of random filters; the last ones
// end with a bare ID that repeats the previous qualifiers.
func randomPrims() []string {
	return []string{"udp", "tcp", "ip", "ip6", "icmp", "arp", "sctp",
		"port 5060", "udp port 5060", "src port 5060", "dst port 80", "tcp portrange 5060-5070",
		"host 192.168.1.2", "src net 192.168.0.0/16", "dst host 127.0.0.1", "net 10.0.0.0/8",
		"host fd17:625c:f037:2:a00:27ff:feb9:3519", "ip6 net fd17::/16", "vlan", "vlan 100",
		"port 5060 or 5061", "src host 192.168.1.2 or 192.168.1.105", "udp port 5060 and not 5061"}
}

// randomExpr builds a random filter of bounded depth from randomPrims,
// operators, negation, parentheses and trailing abbreviated IDs.
func randomExpr(r *rand.Rand, depth int) string {
	prims := randomPrims()
	if depth == 0 {
		return prims[r.IntN(len(prims))]
	}
	switch r.IntN(6) {
	case 0:
		return []string{"not ", "!"}[r.IntN(2)] + randomExpr(r, depth-1)
	case 1:
		return "(" + randomExpr(r, depth-1) + ")"
	case 2:
		return randomExpr(r, depth-1) + []string{" or ", " and "}[r.IntN(2)] + []string{"5080", "10.0.0.1", "not 80"}[r.IntN(3)]
	case 3:
		return prims[r.IntN(len(prims))]
	}
	ops := []string{" and ", " or ", " && ", " || "}
	return randomExpr(r, depth-1) + ops[r.IntN(len(ops))] + randomExpr(r, depth-1)
}

// TestDifferentialRandom compares random filters with tcpdump, including
// whether both accept them: this checks precedence, qualifier repetition
// and the VLAN offset shift beyond the fixed list.
func TestDifferentialRandom(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	all := loadCaptures(t, testenv.SharedPcaps(t))
	all = append(all, synthCaptures(t, t.TempDir(), all)...)
	var caps []capture
	for _, c := range all {
		switch c.name {
		case "vlan-of-sngrep__aaa.pcap", "sngrep__ipv6frag.pcap", "heplify__sip_ipv6_udp.pcap":
			caps = append(caps, c)
		}
	}
	n := 300
	if testing.Short() || raceDetector {
		n = 40
	}
	r := rand.New(rand.NewPCG(2024, 5060))
	agreedErr, stricter := 0, 0
	for i := 0; i < n; i++ {
		expr := randomExpr(r, 3)
		for _, c := range caps {
			both, err := compareWithTcpdump(tcpdump, c, expr)
			if stricterThanLibpcap(expr, c) {
				stricter++
				continue
			}
			if err != nil {
				t.Errorf("%s: %q: %v", c.name, expr, err)
			}
			if both && !strings.Contains(expr, "vlan") {
				agreedErr++
			}
		}
	}
	t.Logf("compared %d random filters on %d captures; %d non-vlan pairs rejected by both; "+
		"%d pairs skipped (bare numbers as addresses, refused on purpose)", n, len(caps), agreedErr, stricter)
}

// stricterThanLibpcap reports whether Compile refuses expr on purpose
// where libpcap accepts it: a bare number used as a host address (libpcap
// reads `host 80` as 0.0.0.80) or as a network above 255 (libpcap builds
// a meaningless mask for `net 5080`). Such pairs are not compared.
func stricterThanLibpcap(expr string, c capture) bool {
	_, err := Compile(expr, c.linkType, snap)
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, m := range []string{"host needs a full IPv4 address", "invalid IPv4 network", "invalid IPv4 address"} {
		if strings.HasPrefix(e.Msg, m) {
			return true
		}
	}
	return false
}
