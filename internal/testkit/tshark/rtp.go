// Package tshark runs tshark, the reference the media statistics are
// held to, and reads what it prints. Test code only.
//
// It imports nothing of the module.
package tshark

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// RTPStream is one line of `tshark -q -z rtp,streams` (Wireshark 4.0).
type RTPStream struct {
	Src, Dst              string // "ip port", as tshark prints them
	SSRC                  uint32
	Payload               string // "g711U", "g711A, CN", …
	Packets, Lost         int
	MaxDelta              float64 // ms
	MeanJitter, MaxJitter float64 // ms
}

var streamLine = regexp.MustCompile(`^\s*\d+\.\d+\s+\d+\.\d+\s`)

// RTPStreams returns the RTP streams tshark finds in file (from the SDP
// it saw, as tshark does by default). A file tshark cannot read gives
// none.
func RTPStreams(file string) ([]RTPStream, error) {
	out, err := exec.Command("tshark", "-r", file, "-q", "-z", "rtp,streams").Output()
	if err != nil && len(out) == 0 {
		return nil, nil
	}
	var list []RTPStream
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if !streamLine.MatchString(sc.Text()) {
			continue
		}
		s, err := ParseLine(sc.Text())
		if err != nil {
			return list, fmt.Errorf("%s: %v in %q", file, err, sc.Text())
		}
		list = append(list, s)
	}
	return list, nil
}

// ParseLine reads "start end src sport dst dport ssrc payload… pkts lost
// (pct) minΔ meanΔ maxΔ minJ meanJ maxJ [X]"; the payload names may hold
// spaces ("g711A, CN"), so the numbers are read from the right.
func ParseLine(line string) (RTPStream, error) {
	f := strings.Fields(line)
	if len(f) > 0 && f[len(f)-1] == "X" {
		f = f[:len(f)-1]
	}
	if len(f) < 17 {
		return RTPStream{}, fmt.Errorf("%d fields", len(f))
	}
	n := len(f)
	ssrc, err := strconv.ParseUint(strings.TrimPrefix(f[6], "0x"), 16, 32)
	if err != nil {
		return RTPStream{}, err
	}
	s := RTPStream{Src: f[2] + " " + f[3], Dst: f[4] + " " + f[5], SSRC: uint32(ssrc), Payload: strings.Join(f[7:n-9], " ")}
	s.Packets, _ = strconv.Atoi(f[n-9])
	s.Lost, _ = strconv.Atoi(f[n-8])
	s.MaxDelta, _ = strconv.ParseFloat(f[n-4], 64)
	s.MeanJitter, _ = strconv.ParseFloat(f[n-2], 64)
	s.MaxJitter, _ = strconv.ParseFloat(f[n-1], 64)
	return s, nil
}
