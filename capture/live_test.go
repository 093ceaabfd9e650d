package capture

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// TestHEPListenerMergeRecord sends the lab's HEP packets to a listener
// over UDP and TCP, reads them merged, records them, and reads the
// recording back: every SIP message arrives with the agent's addresses.
func TestHEPListenerMergeRecord(t *testing.T) {
	packets := hepPackets(t)
	l, err := ListenHEP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "live.pcapng")
	src, err := Record(Merge(l), out, 0)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := net.Dial("udp", l.Addr())
	tc, _ := net.Dial("tcp", l.Addr())
	for i, p := range packets {
		if i%2 == 0 {
			u.Write(p)
		} else {
			tc.Write(p) // back to back on one stream
		}
	}
	u.Close()
	tc.Close()
	c := &collect{}
	d := NewDecoder(c)
	for deadline := time.Now().Add(5 * time.Second); len(c.msgs) < len(packets) && time.Now().Before(deadline); {
		f, err := src.Next()
		if errors.Is(err, ErrIdle) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		d.Decode(f)
	}
	src.Close()
	if len(c.msgs) != len(packets) {
		t.Fatalf("%d messages from %d HEP packets; undecodable %v", len(c.msgs), len(packets), c.bad)
	}
	for _, m := range c.msgs {
		if !m.HEP || m.Src.Port() == 9060 {
			t.Errorf("message from %v is not the agent's inner address", m.Src)
		}
	}
	r, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c2 := &collect{}
	d2 := NewDecoder(c2)
	for {
		f, err := r.Next()
		if err != nil {
			break
		}
		d2.Decode(f)
	}
	if len(c2.msgs) != len(packets) {
		t.Errorf("the recording holds %d messages, want %d", len(c2.msgs), len(packets))
	}
}

// hepPackets takes the HEP payloads out of the lab's hep3.pcap.
func hepPackets(t *testing.T) [][]byte {
	r, err := Open(filepath.Join(testenv.Root(t), "testdata", "captures", "hep3.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]byte
	for {
		f, err := r.Next()
		if err != nil {
			break
		}
		if len(f.Data) > 42 {
			out = append(out, append([]byte(nil), f.Data[42:]...)) // Ethernet + IPv4 + UDP
		}
	}
	if len(out) != 20 {
		t.Fatalf("%d HEP packets in hep3.pcap", len(out))
	}
	return out
}
