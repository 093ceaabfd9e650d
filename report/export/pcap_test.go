package export

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

// The datagrams are merged among the messages in time order, each
// written as it comes; an error from the media stops the file.
func TestWriteWithMergesByTime(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a, b := netip.MustParseAddrPort("10.0.0.1:5060"), netip.MustParseAddrPort("10.0.0.2:5060")
	ra, rb := netip.MustParseAddrPort("10.0.0.1:4000"), netip.MustParseAddrPort("10.0.0.2:5000")
	msgs := []Msg{{Time: t0, Src: a, Dst: b, Data: []byte("INVITE")}, {Time: t0.Add(3 * time.Second), Src: a, Dst: b, Data: []byte("BYE")}}
	rtp := []Datagram{{Time: t0.Add(time.Second), Src: ra, Dst: rb, Data: []byte{0x80, 0, 0, 1}}, {Time: t0.Add(2 * time.Second), Src: rb, Dst: ra, Data: []byte{0x80, 0, 0, 2}}}
	var buf bytes.Buffer
	err := WriteWith(&buf, msgs, func(emit func(Datagram) error) error {
		for _, d := range rtp {
			if err := emit(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var times []time.Duration
	for {
		_, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		times = append(times, ci.Timestamp.Sub(t0))
	}
	want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}
	if len(times) != len(want) {
		t.Fatalf("frames at %v, want %v", times, want)
	}
	for i := range want {
		if times[i] != want[i] {
			t.Fatalf("frames at %v, want %v", times, want)
		}
	}
	stop := errors.New("the capture changed")
	if err := WriteWith(&bytes.Buffer{}, msgs, func(func(Datagram) error) error { return stop }); err != stop {
		t.Errorf("media's error: %v", err)
	}
}
