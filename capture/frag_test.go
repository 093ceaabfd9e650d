package capture

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

// fragments4 splits the IPv4 packet ip into fragments of at most size
// payload bytes (a multiple of 8), as a router would (RFC 791).
func fragments4(ip []byte, size int) [][]byte {
	hdr, payload := ip[:20], ip[20:]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		h := append([]byte(nil), hdr...)
		binary.BigEndian.PutUint16(h[2:], uint16(20+end-off))
		binary.BigEndian.PutUint16(h[4:], 0x1234)
		flags := uint16(off / 8)
		if end < len(payload) {
			flags |= 0x2000
		}
		binary.BigEndian.PutUint16(h[6:], flags)
		out = append(out, cat(h, payload[off:end]))
	}
	return out
}

// fragments6 splits the IPv6 packet ip (no extension headers) with
// Fragment headers (RFC 8200 §4.5).
func fragments6(ip []byte, size int) [][]byte {
	hdr, payload, next := ip[:40], ip[40:], ip[6]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		h := append([]byte(nil), hdr...)
		h[6] = 44
		binary.BigEndian.PutUint16(h[4:], uint16(8+end-off))
		fh := make([]byte, 8)
		fh[0] = next
		m := uint16(off)
		if end < len(payload) {
			m |= 1
		}
		binary.BigEndian.PutUint16(fh[2:], m)
		binary.BigEndian.PutUint32(fh[4:], 0xabcdef)
		out = append(out, cat(h, fh, payload[off:end]))
	}
	return out
}

func bigInvite(callID string) []byte {
	return pcaptest.Request("INVITE", callID, "z9hG4bK-"+callID, 1, strings.Repeat("a=x-padding:0123456789abcdef\r\n", 120))
}

func TestIPv4Fragments(t *testing.T) {
	frags := fragments4(ipPacket(pcaptest.UDP(alice, bob, bigInvite("f4"))), 1480)
	if len(frags) < 3 {
		t.Fatalf("only %d fragments", len(frags))
	}
	// Out of order, with one fragment twice: reassembly must not care.
	order := [][]byte{frags[1], frags[0], frags[1]}
	order = append(order, frags[2:]...)
	got, st := decodeFrames(t, layers.LinkTypeRaw, order...)
	if len(got.msgs) != 1 || len(got.bad) != 0 {
		t.Fatalf("messages %d, undecodable %+v", len(got.msgs), got.bad)
	}
	if string(got.msgs[0].Data) != string(bigInvite("f4")) {
		t.Errorf("reassembled message differs")
	}
	if got.msgs[0].Packet != len(order) || st.Reassembled != 1 {
		t.Errorf("packet %d (want %d), reassembled %d", got.msgs[0].Packet, len(order), st.Reassembled)
	}
}

func TestIPv6Fragments(t *testing.T) {
	a, b := pcaptest.Addr("[2001:db8::1]:5060"), pcaptest.Addr("[2001:db8::2]:5060")
	frags := fragments6(ipPacket(pcaptest.UDP(a, b, bigInvite("f6"))), 1232)
	if len(frags) != 4 {
		t.Fatalf("%d fragments, want 4", len(frags))
	}
	got, st := decodeFrames(t, layers.LinkTypeRaw, frags[3], frags[0], frags[2], frags[1])
	if len(got.msgs) != 1 || string(got.msgs[0].Data) != string(bigInvite("f6")) {
		t.Fatalf("messages %d, undecodable %+v", len(got.msgs), got.bad)
	}
	if got.msgs[0].Src != a || st.Fragments != 4 {
		t.Errorf("src %v fragments %d", got.msgs[0].Src, st.Fragments)
	}
}

func TestFragmentBufferIsCopied(t *testing.T) {
	// The decoder's frame buffer is reused by the file reader: a fragment
	// kept by the defragmenter must not change when the buffer does.
	frags := fragments4(ipPacket(pcaptest.UDP(alice, bob, bigInvite("cp"))), 1480)
	c := &collect{}
	d := NewDecoder(c)
	buf := make([]byte, 4096)
	for i, f := range frags {
		n := copy(buf, f)
		d.Decode(Frame{Num: i + 1, Link: layers.LinkTypeRaw, Data: buf[:n]})
		for j := range buf {
			buf[j] = 0xee
		}
	}
	if len(c.msgs) != 1 || string(c.msgs[0].Data) != string(bigInvite("cp")) {
		t.Fatalf("reassembly used a reused buffer: %d messages", len(c.msgs))
	}
}
