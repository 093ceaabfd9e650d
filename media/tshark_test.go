package media

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// pcapDir holds the shared captures: ../../shared/pcaps from the media
// directory of a worktree or clone beside shared/.
const pcapDir = "../../shared/pcaps"

// accepted lists the streams where tshark and Stats disagree for a
// reason understood and accepted, keyed "file ssrc src:port". Every
// other stream must match on every field.
var accepted = map[string]excuse{
	// The first packet of this fuzzed flow has V=2, P, X and CC=10 with
	// 0xaa everywhere: its extension length (0xaaaa words) runs past the
	// datagram. tshark shows it as a malformed RTP packet and counts it;
	// ParseRTP rejects it as not RTP.
	"nDPI__fuzz-2006-06-26-2594.pcap 0xAAAAAAAA 192.168.1.2:30000": {why: "malformed packet not counted"},

	// A re-INVITE moves the call to T.38; tshark decodes every later
	// datagram of the 4-tuple as UDPTL/T.38 (2004 frames), but they are
	// RTP packets of the same SSRC, which Stats counts: 3848 packets,
	// no loss. tshark's 6 "lost" are the 6 T.38-decoded frames amid its
	// 1838 RTP ones.
	"heplify__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap 0x0EAF0EAF 10.35.60.100:15580": {why: "tshark decodes the rest of the stream as T.38"},

	// A proxy relays the SDP, and its copy (from another address)
	// replaces tshark's RTP conversation setup: tshark decodes the first
	// 3 (4, 1) packets as RTP and the rest of the flow (399, 357, 31
	// datagrams) as plain UDP. Stats counts the whole stream.
	"sip_captures__sip-flow-private-2.pcapng 0x19CFF233 172.16.98.1:8000": {why: "tshark stops decoding RTP after 3 packets", prefix: true},
	"sip_captures__sip-flow-private-3.pcapng 0x998E0300 172.16.98.1:8000": {why: "tshark stops decoding RTP after 4 packets", prefix: true},
	"sip_captures__voip1b.pcapng 0x3ADF0949 172.16.98.181:4006":           {why: "tshark stops decoding RTP after 1 packet", prefix: true},
}

// excuse is why a stream may differ from tshark. With prefix, tshark
// decoded only the stream's first packets as RTP, and Stats over those
// alone must still match.
type excuse struct {
	why    string
	prefix bool
}

// tsStream is one line of tshark -z rtp,streams (Wireshark 4.0 layout).
type tsStream struct {
	src, dst              string // "ip port"
	ssrc                  uint32
	payload               string
	pkts, lost            int
	maxDelta, meanJ, maxJ float64
	stats                 *Stats
	packets               []Packet
}

func (s *tsStream) key() string { return s.src + " " + s.dst + " " + strconv.Itoa(int(s.ssrc)) }

func TestTsharkAgrees(t *testing.T) {
	if _, err := os.Stat(pcapDir); err != nil {
		t.Skipf("no shared captures at %s: %v", pcapDir, err)
	}
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not on PATH")
	}
	files, _ := filepath.Glob(filepath.Join(pcapDir, "*"))
	files = slices.DeleteFunc(files, func(f string) bool {
		return strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".json")
	})
	found := tsharkAll(t, files)
	var captures, compared, equal, excused int
	for i, f := range files {
		streams := found[i]
		if len(streams) == 0 {
			continue
		}
		captures++
		if err := feed(f, streams); err != nil {
			t.Errorf("%s: %v (tshark found %d streams)", filepath.Base(f), err, len(streams))
			continue
		}
		for _, s := range streams {
			compared++
			switch compareStream(t, filepath.Base(f), s) {
			case same:
				equal++
			case excusedDiff:
				excused++
			}
		}
	}
	t.Logf("compared %d streams of %d captures: %d equal to tshark, %d with an accepted difference",
		compared, captures, equal, excused)
}

// tsharkAll runs tshark over the files two at a time (tshark is most
// of this test's time).
func tsharkAll(t *testing.T, files []string) [][]*tsStream {
	found := make([][]*tsStream, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			found[i] = tsharkStreams(t, f)
		}()
	}
	wg.Wait()
	return found
}

var streamLine = regexp.MustCompile(`^\s*\d+\.\d+\s+\d+\.\d+\s`)

func tsharkStreams(t *testing.T, file string) []*tsStream {
	out, err := exec.Command("tshark", "-r", file, "-q", "-z", "rtp,streams").Output()
	if err != nil && len(out) == 0 {
		return nil
	}
	var list []*tsStream
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if !streamLine.MatchString(sc.Text()) {
			continue
		}
		s, err := parseStreamLine(sc.Text())
		if err != nil {
			t.Errorf("%s: %v in %q", file, err, sc.Text())
			continue
		}
		list = append(list, s)
	}
	return list
}

// parseStreamLine reads "start end src sport dst dport ssrc payload...
// pkts lost (pct) minΔ meanΔ maxΔ minJ meanJ maxJ [X]"; the payload
// names may hold spaces ("g711A, CN"), so the numbers are read from the
// right.
func parseStreamLine(line string) (*tsStream, error) {
	f := strings.Fields(line)
	if f[len(f)-1] == "X" {
		f = f[:len(f)-1]
	}
	if len(f) < 17 {
		return nil, fmt.Errorf("%d fields", len(f))
	}
	n := len(f)
	ssrc, err := strconv.ParseUint(strings.TrimPrefix(f[6], "0x"), 16, 32)
	if err != nil {
		return nil, err
	}
	s := &tsStream{src: f[2] + " " + f[3], dst: f[4] + " " + f[5], ssrc: uint32(ssrc)}
	s.payload = strings.Join(f[7:n-9], " ")
	s.pkts, _ = strconv.Atoi(f[n-9])
	s.lost, _ = strconv.Atoi(f[n-8])
	s.maxDelta, _ = strconv.ParseFloat(f[n-4], 64)
	s.meanJ, _ = strconv.ParseFloat(f[n-2], 64)
	s.maxJ, _ = strconv.ParseFloat(f[n-1], 64)
	return s, nil
}

type verdict int

const (
	same verdict = iota
	excusedDiff
	differs
)

func compareStream(t *testing.T, file string, s *tsStream) verdict {
	id := fmt.Sprintf("%s 0x%08X %s", file, s.ssrc, strings.ReplaceAll(s.src, " ", ":"))
	if s.stats == nil {
		t.Errorf("%s: no stats", id)
		return differs
	}
	why, excused := accepted[id]
	if excused && why.prefix && len(s.packets) > s.pkts {
		s.stats = s.stats.prefix(s.packets[:s.pkts])
		excused = false
	}
	sm := s.stats.Summary()
	var diffs []string
	check := func(field string, ok bool, got, want any) {
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s got %v tshark %v", field, got, want))
		}
	}
	maxDelta := float64(sm.MaxDelta) / float64(time.Millisecond)
	check("packets", sm.Packets == s.pkts, sm.Packets, s.pkts)
	check("lost", sm.Lost == s.lost, sm.Lost, s.lost)
	check("maxdelta", math.Abs(maxDelta-s.maxDelta) <= 0.1, maxDelta, s.maxDelta)
	check("maxjitter", within(sm.MaxJitter, s.maxJ), sm.MaxJitter, s.maxJ)
	check("meanjitter", within(sm.MeanJitter, s.meanJ), sm.MeanJitter, s.meanJ)
	switch {
	case len(diffs) == 0 && excused:
		t.Errorf("%s matches tshark now: remove it from accepted", id)
		return same
	case len(diffs) == 0:
		return same
	case excused:
		t.Logf("%s: accepted (%s): %s", id, why.why, strings.Join(diffs, "; "))
		return excusedDiff
	}
	t.Errorf("%s (%s): %s", id, s.payload, strings.Join(diffs, "; "))
	return differs
}

// prefix runs a Stats configured as s over the given packets only.
func (s *Stats) prefix(packets []Packet) *Stats {
	n := NewStats(s.clock)
	n.clocks = s.clocks
	n.eventPT, n.eventHz = s.eventPT, s.eventHz
	for _, p := range packets {
		n.Add(p)
	}
	return n
}

// within is the tolerance on jitter: 0.1 ms or 5 %.
func within(got, want float64) bool {
	d := math.Abs(got - want)
	return d <= 0.1 || d <= 0.05*math.Abs(want)
}
