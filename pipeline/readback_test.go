package pipeline_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// loadFile loads a capture as the TUI and the report do.
func loadFile(t *testing.T, path string) *session.Store {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.LoadConcurrent(r, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// streamName is how tshark's rtp,streams names a stream.
func streamName(st *session.Stream) string {
	return fmt.Sprintf("%s:%d>%s:%d %#08x", st.Src.Addr(), st.Src.Port(), st.Dst.Addr(), st.Dst.Port(), st.SSRC)
}

// readBackCounts reads every stream of path back and counts each's
// packets, checking that each packet is of its stream and in its frames.
func readBackCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	s := loadFile(t, path)
	streams := s.Streams()
	got := map[string]int{}
	last := 0
	err := pipeline.ReadBack(path, streams, func(p *pipeline.RTPPacket) error {
		st := streams[p.Stream]
		if p.Src != st.Src || p.Dst != st.Dst || p.Header.SSRC != st.SSRC || p.Frame < st.FirstPacket || p.Frame > st.LastPacket {
			return fmt.Errorf("frame %d (%s>%s %#08x) is not of stream %s", p.Frame, p.Src, p.Dst, p.Header.SSRC, streamName(st))
		}
		if p.Frame <= last || len(p.Payload) != p.Header.Size || len(p.Data) < 12+len(p.Payload) {
			return fmt.Errorf("frame %d after %d, payload %d bytes of %d, data %d", p.Frame, last, len(p.Payload), p.Header.Size, len(p.Data))
		}
		last = p.Frame
		got[streamName(st)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// The counts are tshark's (`tshark -q -z rtp,streams`, 4.x): a pcap with
// one PCMU and one PCMA stream, and a pcapng with four PCMU streams.
func TestReadBackCountsAsTshark(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	for _, c := range []struct {
		file string
		want map[string]int
	}{
		{"sipnab__sip-rtp-g711.pcap", map[string]int{
			"10.0.2.15:28102>10.0.2.20:6000 0x343ffa34": 414,
			"10.0.2.15:27942>10.0.2.20:6000 0x343da99b": 425,
		}},
		{"sip_captures__test_voip.pcap.pcapng", map[string]int{
			"192.168.87.86:15886>192.168.87.49:4000 0x2898e2a4": 334,
			"192.168.87.32:2234>192.168.87.86:13660 0x167c2562": 355,
			"192.168.87.86:13660>192.168.87.32:2234 0x08390b7f": 345,
			"192.168.87.49:4000>192.168.87.86:15886 0x530a1d36": 362,
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			got := readBackCounts(t, filepath.Join(dir, c.file))
			for k, n := range c.want {
				if got[k] != n {
					t.Errorf("stream %s: %d packets read back, tshark counts %d", k, got[k], n)
				}
			}
		})
	}
}

// Against tshark itself, when it is installed. (Not voip1b: after an
// ICMP port unreachable tshark stops reading a stream as RTP, and counts
// 1 packet of 32.)
func TestReadBackAgreesWithTshark(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed: skipping the comparison with it")
	}
	for _, file := range []string{"sipnab__sip-rtp-g711.pcap", "sipnab__SIP_CALL_RTP_G711", "sip_captures__sip-2phones-B2BUA-Asterisk.pcapng"} {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join(dir, file)
			want := TsharkStreams(t, path)
			if len(want) == 0 {
				t.Fatalf("tshark finds no RTP in %s", file)
			}
			got := readBackCounts(t, path)
			for k, n := range want {
				if got[k] != n {
					t.Errorf("stream %s: %d packets read back, tshark counts %d", k, got[k], n)
				}
			}
		})
	}
}

// TsharkStreams runs `tshark -q -z rtp,streams` on path: packets per
// stream, named as streamName does.
func TsharkStreams(t *testing.T, path string) map[string]int {
	t.Helper()
	out, err := exec.Command("tshark", "-r", path, "-q", "-z", "rtp,streams").Output()
	if err != nil {
		t.Fatalf("tshark on %s: %v", path, err)
	}
	want := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// start end src sport dst dport ssrc payload… pkts
		if len(f) < 9 || !strings.HasPrefix(f[6], "0x") {
			continue
		}
		ssrc, err1 := strconv.ParseUint(f[6][2:], 16, 32)
		var n int
		var err2 error
		for i := 8; i < len(f); i++ { // the payload name may have spaces
			if n, err2 = strconv.Atoi(f[i]); err2 == nil {
				break
			}
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("tshark line %q", sc.Text())
		}
		want[fmt.Sprintf("%s:%s>%s:%s %#08x", f[2], f[3], f[4], f[5], ssrc)] += n
	}
	return want
}

// It stops after the streams' last frame: it reads no further than it
// needs.
func TestReadBackStopsAfterTheLastStream(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	s := loadFile(t, path)
	st := s.Streams()[0]
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	copyFrames(t, path, cut, st.LastPacket)
	n := 0
	if err := pipeline.ReadBack(cut, []*session.Stream{st}, func(*pipeline.RTPPacket) error { n++; return nil }); err != nil {
		t.Fatalf("a file cut right after the stream: %v", err)
	}
	if n != st.Stats().Packets {
		t.Errorf("%d packets, want %d", n, st.Stats().Packets)
	}
	// A callback's error stops it and comes back as is.
	stop := errors.New("enough")
	if err := pipeline.ReadBack(path, []*session.Stream{st}, func(*pipeline.RTPPacket) error { return stop }); err != stop {
		t.Errorf("the callback's error: got %v", err)
	}
}

// A file that is not the one loaded is refused in one line that names it.
func TestReadBackRefusesAnotherFile(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	s := loadFile(t, path)
	tmp := t.TempDir()
	short := filepath.Join(tmp, "short.pcap")
	copyFrames(t, path, short, s.Streams()[0].LastPacket-10)
	other := filepath.Join(testenv.SharedPcaps(t), "sip_captures__test_voip.pcap.pcapng")
	for _, c := range []struct{ path, want string }{
		{short, "short.pcap: has changed since it was loaded: it ends at frame"},
		{other, "has changed since it was loaded: frames"},
		{filepath.Join(tmp, "gone.pcap"), "gone.pcap: no such file"},
		{"-", "standard input cannot be read again"},
	} {
		err := pipeline.ReadBack(c.path, s.Streams(), func(*pipeline.RTPPacket) error { return nil })
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", c.path, err, c.want)
		}
	}
	if err := pipeline.ReadBack(filepath.Join(tmp, "gone.pcap"), nil, nil); err != nil {
		t.Errorf("no stream: nothing to read, got %v", err)
	}
}

// copyFrames writes the first n frames of src to dst.
func copyFrames(t *testing.T, src, dst string, n int) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r, err := pcapgo.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w := pcapgo.NewWriter(out)
	if err := w.WriteFileHeader(65536, r.LinkType()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			t.Fatal(err)
		}
		ci.CaptureLength = len(data)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ci.Timestamp, CaptureLength: len(data), Length: ci.Length}, data); err != nil {
			t.Fatal(err)
		}
	}
}

// A batch applies its messages and RTP packets in capture order: each
// stream goes to the same call as in a load in one goroutine, whatever
// the batches' boundaries. (In this capture two calls name the same
// address, 10.0.2.20:6000, one after the other.)
func TestConcurrentLoadLinksStreamsAsLoad(t *testing.T) {
	path := filepath.Join(testenv.SharedPcaps(t), "sipnab__sip-rtp-g711.pcap")
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := session.NewStore()
	if err := pipeline.Load(r, want); err != nil {
		t.Fatal(err)
	}
	r.Close()
	for run := 0; run < 10; run++ {
		got := loadFile(t, path)
		if len(got.Streams()) != len(want.Streams()) {
			t.Fatalf("%d streams, want %d", len(got.Streams()), len(want.Streams()))
		}
		for i, st := range got.Streams() {
			if w := want.Streams()[i]; st.Call != w.Call || st.SSRC != w.SSRC {
				t.Fatalf("run %d: stream %#08x in call %d, Load puts it in call %d", run, st.SSRC, st.Call, w.Call)
			}
		}
	}
}
