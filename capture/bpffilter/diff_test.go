package bpffilter

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// diffExprs are the filters compared with tcpdump. The hosts and networks
// occur in the shared captures.
func diffExprs() []string {
	return []string{
		"",
		"port 5060", "udp port 5060", "tcp port 5060", "sctp port 5060",
		"src port 5060", "dst port 5060", "src and dst port 5060",
		"udp src port 5060 or udp dst port 5061",
		"port 5060 or 5061 or 5080",
		"tcp portrange 5060-5070", "portrange 5000-6000", "udp portrange 25000-26000",
		"not port 5060",
		"(udp or tcp) and port 5060", "udp or tcp and port 5060",
		"udp and not port 5060 and not port 5061", "!(tcp || udp)",
		"ip", "ip6", "udp", "tcp", "sctp", "icmp", "icmp6", "arp",
		"ip6 and udp", "ip and udp port 5060",
		"host 192.168.1.2", "host 10.35.60.100 or host 172.16.98.1",
		"src host 192.168.1.105 and dst port 5060", "dst host 127.0.0.1",
		"net 192.168.0.0/16", "net 10.0.0.0 mask 255.0.0.0", "src net 172.16",
		"not net 127.0.0.0/8 and udp",
		"host fd17:625c:f037:2:a00:27ff:feb9:3519", "ip6 src net fd00::/8",
		"net fe80::/10 or icmp6",
		"vlan", "vlan and udp port 5060", "vlan 100 and udp", "vlan and vlan and ip",
		"not vlan and udp", "vlan 200 or port 5060", "vlan 300 and vlan 100 and tcp",
		"arp or icmp",
		"port 5060 and (src net 10.0.0.0/8 or dst net 192.168.0.0/16)",
		// Long enough (> 255 instructions) to need ja trampolines.
		"udp port 5040 or " + strings.Join(portsFrom(5041, 5075), " or "),
	}
}

// portsFrom lists the port numbers lo..hi as strings.
func portsFrom(lo, hi int) []string {
	var out []string
	for p := lo; p <= hi; p++ {
		out = append(out, strconv.Itoa(p))
	}
	return out
}

// shortCaptures are the captures compared in -short mode: one per link
// type and encapsulation.
func shortCaptures(name string) bool {
	switch name {
	case "sngrep__aaa.pcap", "sngrep__ipv6frag.pcap", "heplify__ipip0.pcap",
		"heplify__sip_ipv4_tcp_retrans.pcap", "zeek__sip-long-request-response-paths.pcap",
		"sll2-of-sngrep__ipv6frag.pcap", "vlan-of-sngrep__aaa.pcap", "raw101-of-heplify__sip_ipv6_udp.pcap",
		"ipv6-of-heplify__sip_ipv6_udp.pcap":
		return true
	}
	return false
}

// TestDifferentialTcpdump compiles each filter with Compile and with
// tcpdump (libpcap) and requires both to keep the same packets of every
// capture of a supported link type in the shared corpus, plus captures
// derived from them for SLL2, VLAN tags and raw IP.
func TestDifferentialTcpdump(t *testing.T) {
	tcpdump := tcpdumpPath(t)
	caps := loadCaptures(t, testenv.SharedPcaps(t))
	caps = append(caps, synthCaptures(t, t.TempDir(), caps)...)
	var compared, packets, errorsAgreed atomic.Int64
	t.Cleanup(func() {
		t.Logf("compared %d filter×capture pairs (%d packet verdicts); %d pairs rejected by both",
			compared.Load(), packets.Load(), errorsAgreed.Load())
	})
	subset := testing.Short() || raceDetector
	if subset {
		t.Log("-short or -race: comparing a subset of the captures")
	}
	for _, c := range caps {
		if subset && !shortCaptures(c.name) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, expr := range diffExprs() {
				agreedErr, err := compareWithTcpdump(tcpdump, c, expr)
				if err != nil {
					t.Errorf("%q: %v", expr, err)
				}
				compared.Add(1)
				packets.Add(int64(len(c.packets)))
				if agreedErr {
					errorsAgreed.Add(1)
				}
			}
		})
	}
}

// compareWithTcpdump checks one filter on one capture. It reports whether
// both compilers rejected the filter (e.g. `vlan` on Linux SLL).
func compareWithTcpdump(tcpdump string, c capture, expr string) (bool, error) {
	want, tdErr := tcpdumpMatches(tcpdump, c, expr)
	prog, err := Compile(expr, c.linkType, 262144)
	var refused *refusedError
	switch {
	case tdErr != nil && !errors.As(tdErr, &refused):
		return false, tdErr
	case refused != nil && err != nil:
		return true, nil
	case refused != nil:
		return false, fmt.Errorf("tcpdump refused it (%s) but Compile accepted it", refused.msg)
	case err != nil:
		return false, fmt.Errorf("tcpdump accepted it but Compile failed: %v", err)
	}
	got := map[int]bool{}
	for i, p := range c.packets {
		ok, err := Match(prog, p)
		if err != nil {
			return false, fmt.Errorf("packet %d: %v", i+1, err)
		}
		if ok {
			got[i] = true
		}
	}
	return false, diffSets(got, want)
}

// diffSets describes the frames (numbered from 1, like tcpdump --number)
// on which the two results differ.
func diffSets(got, want map[int]bool) error {
	var onlyGot, onlyWant []int
	for i := range got {
		if !want[i] {
			onlyGot = append(onlyGot, i+1)
		}
	}
	for i := range want {
		if !got[i] {
			onlyWant = append(onlyWant, i+1)
		}
	}
	if len(onlyGot) == 0 && len(onlyWant) == 0 {
		return nil
	}
	sort.Ints(onlyGot)
	sort.Ints(onlyWant)
	return fmt.Errorf("Match kept %d, tcpdump %d; only Match: %v; only tcpdump: %v",
		len(got), len(want), head(onlyGot), head(onlyWant))
}

// head shortens a list of frame numbers for a message.
func head(s []int) []int {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}
