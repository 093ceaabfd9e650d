package bpffilter

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// tcpdumpPath returns the tcpdump binary, or skips the test without one
// (it fails instead when $SIPDBG_REQUIRE_SHARED is set).
func tcpdumpPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		if os.Getenv("SIPDBG_REQUIRE_SHARED") != "" {
			t.Fatalf("tcpdump is required for the differential tests: %v", err)
		}
		t.Skipf("tcpdump not found (%v): skipping the comparison with libpcap", err)
	}
	return path
}

// errRejectsAll is libpcap's optimizer proving that a filter can never
// match; for the comparison that is an empty result, not an error.
const errRejectsAll = "expression rejects all packets"

// tcpdumpMatches filters the capture at path with tcpdump (libpcap's
// compiler and optimizer) and returns the indices of the kept packets.
// tcpdump writes them to stdout as pcap (-w -), so it needs no writable
// directory when it drops root privileges.
func tcpdumpMatches(tcpdump string, c capture, expr string) (map[int]bool, error) {
	args := []string{"-n", "-r", c.path, "-w", "-"}
	if expr != "" {
		args = append(args, expr)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tcpdump, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, errRejectsAll) {
			return map[int]bool{}, nil
		}
		return nil, &refusedError{msg: msg}
	}
	_, kept, err := readPackets(stdout.Bytes())
	if err != nil {
		return nil, fmt.Errorf("reading tcpdump's output: %v", err)
	}
	return mapBack(c.packets, kept)
}

// refusedError is tcpdump rejecting a filter (syntax, unsupported link
// type...), as opposed to failing to run.
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return "tcpdump refused the filter: " + e.msg }

// mapBack finds the kept packets, in order, among all packets: tcpdump
// writes a subsequence of its input, so a greedy in-order match by
// content is exact (identical packets always share a verdict).
func mapBack(all, kept [][]byte) (map[int]bool, error) {
	set := map[int]bool{}
	i := 0
	for k, p := range kept {
		for i < len(all) && !bytes.Equal(all[i], p) {
			i++
		}
		if i == len(all) {
			return nil, fmt.Errorf("kept packet %d (%d bytes) not found in the input", k, len(p))
		}
		set[i] = true
		i++
	}
	return set, nil
}
