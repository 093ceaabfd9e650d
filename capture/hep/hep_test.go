package hep

import (
	"bytes"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

type v3Case struct {
	name string
	in   []byte
	want Packet
}

func v3Cases() []v3Case {
	v6 := []chunkSpec{
		ch(chunkFamily, u8(10)), ch(chunkProto, u8(6)),
		ch(chunkSrcIP6, ip("2001:db8::1")), ch(chunkDstIP6, ip("2001:db8::2")),
		ch(chunkSrcPort, u16(5061)), ch(chunkDstPort, u16(5062)),
		ch(chunkPayloadType, u8(1)), ch(chunkPayload, []byte(invite)),
	}
	unknown := []chunkSpec{
		{vendor: 0x0008, typ: chunkPayload, val: []byte("vendor payload, not ours"), length: -1},
		ch(99, []byte("future chunk")),
		ch(chunkKeepAlive, u16(5)),
	}
	return []v3Case{
		{"ipv4 udp", sipPacket(invite), Packet{
			Version: 3, Proto: 17, PayloadType: 1, CaptureID: 2001,
			Src:     netip.MustParseAddrPort("192.168.1.1:5060"),
			Dst:     netip.MustParseAddrPort("192.168.1.2:5080"),
			Time:    time.Unix(1481455196, 100000).UTC(),
			Payload: []byte(invite),
		}},
		{"ipv6 tcp no time", hep3(v6...), Packet{
			Version: 3, Proto: 6, PayloadType: 1,
			Src:     netip.MustParseAddrPort("[2001:db8::1]:5061"),
			Dst:     netip.MustParseAddrPort("[2001:db8::2]:5062"),
			Payload: []byte(invite),
		}},
		{"strings and vlan", sipPacket("x",
			ch(chunkAuthKey, []byte("myHep\x00")), ch(chunkCorrelation, []byte("abc@host")),
			ch(chunkAgentName, []byte("agent-1")), ch(chunkVLAN, u16(42))), Packet{
			Version: 3, Proto: 17, PayloadType: 1, CaptureID: 2001,
			Src:     netip.MustParseAddrPort("192.168.1.1:5060"),
			Dst:     netip.MustParseAddrPort("192.168.1.2:5080"),
			Time:    time.Unix(1481455196, 100000).UTC(),
			AuthKey: "myHep", CorrelationID: "abc@host", AgentName: "agent-1", VLAN: 42,
			Payload: []byte("x"),
		}},
		{"unknown chunks skipped", hep3(append(unknown, ch(chunkPayload, []byte("p")))...), Packet{
			Version: 3, Payload: []byte("p"),
		}},
		{"empty payload", hep3(ch(chunkPayload, nil)), Packet{Version: 3, Payload: []byte{}}},
		{"no payload", hep3(), Packet{Version: 3}},
	}
}

func TestDecodeV3(t *testing.T) {
	for _, tt := range v3Cases() {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := Decode(tt.in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if n != len(tt.in) {
				t.Errorf("n = %d, want %d", n, len(tt.in))
			}
			comparePacket(t, got, tt.want)
		})
	}
}

func comparePacket(t *testing.T, got, want Packet) {
	t.Helper()
	gp, wp := got.Payload, want.Payload
	got.Payload, want.Payload = nil, nil
	if !got.Time.Equal(want.Time) || got.Time.IsZero() != want.Time.IsZero() {
		t.Errorf("time = %v, want %v", got.Time, want.Time)
	}
	got.Time, want.Time = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("packet\n got %+v\nwant %+v", got, want)
	}
	if !bytes.Equal(gp, wp) || (gp == nil) != (wp == nil) {
		t.Errorf("payload = %q, want %q", gp, wp)
	}
}

func TestDecodeV3Compressed(t *testing.T) {
	tests := []struct {
		name string
		comp []byte
	}{
		{"zlib", zlibBytes([]byte(invite))},
		{"gzip", gzipBytes([]byte(invite))},
		{"raw deflate", flateBytes([]byte(invite))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := hep3(append(sipChunks(), ch(chunkCompressed, tt.comp))...)
			p, _, err := Decode(in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !p.Compressed || string(p.Payload) != invite {
				t.Errorf("Compressed=%v payload=%q", p.Compressed, p.Payload)
			}
		})
	}
}

type errCase struct {
	name string
	in   []byte
	kind error
	msg  string
}

func v3ErrorCases() []errCase {
	good := sipPacket(invite)
	lie := append([]byte(nil), good...)
	lie[5] -= 10 // total length says the packet ends inside the payload chunk
	bomb := zlibBytes(make([]byte, MaxPayload+1))
	return []errCase{
		{"short magic", []byte("HEP"), ErrTruncated, "hep3: have 3 bytes, packet needs 6"},
		{"no length", []byte("HEP3\x00"), ErrTruncated, "packet needs 6"},
		{"total below header", []byte("HEP3\x00\x05"), ErrMalformed, "total length 5 below"},
		{"total past buffer", good[:len(good)-1], ErrTruncated, "packet needs"},
		{"length field lies", lie, ErrMalformed, "chunk type 15 length"},
		{"cut inside chunk", good[:20], ErrTruncated, "hep3: have 20 bytes, packet needs"},
		{"zero-length chunk", hep3(chunkSpec{typ: chunkProto, val: u8(17), length: 0}), ErrMalformed,
			"hep3: chunk type 2 length 0 below the 6-byte chunk header"},
		{"chunk past end", hep3(chunkSpec{typ: chunkPayload, val: []byte("abc"), length: 9000}), ErrMalformed,
			"hep3: chunk type 15 length 9000 at offset 6 past end of packet (15 bytes)"},
		{"wrong u16 size", hep3(ch(chunkSrcPort, []byte{1, 2, 3})), ErrMalformed,
			"hep3: chunk type 7 value is 3 bytes, want 2"},
		{"wrong ip size", hep3(ch(chunkSrcIP6, ip("10.0.0.1"))), ErrMalformed, "want 16"},
		{"bad compressed", hep3(ch(chunkCompressed, []byte("not compressed at all"))), ErrMalformed,
			"compressed payload (chunk 16)"},
		{"decompression bomb", hep3(ch(chunkCompressed, bomb)), ErrTooLarge, "exceeds 1048576 bytes"},
		{"trailing bytes", fixTotal(append(hep3(ch(chunkProto, u8(6))), 1, 2, 3)), ErrMalformed,
			"3 bytes left at offset 13"},
		{"not hep", []byte("GET / HTTP/1.1\r\n"), ErrNotHEP, "hep: not a HEP packet (first byte 71)"},
		{"empty", nil, ErrTruncated, "hep3: have 0 bytes"},
	}
}

func TestDecodeV3Errors(t *testing.T) {
	for _, tt := range v3ErrorCases() {
		t.Run(tt.name, func(t *testing.T) {
			_, n, err := Decode(tt.in)
			if err == nil {
				t.Fatalf("Decode succeeded, want %v", tt.kind)
			}
			if n != 0 {
				t.Errorf("n = %d on error", n)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want kind %v", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// fixTotal rewrites the total length to cover the whole slice.
func fixTotal(b []byte) []byte {
	b[4], b[5] = byte(len(b)>>8), byte(len(b))
	return b
}

func TestDecodeV2(t *testing.T) {
	tests := []struct {
		name string
		spec v2Spec
		want Packet
	}{
		{"v2 ipv4", v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2",
			sport: 5060, dport: 5070, sec: 1700000000, usec: 250, capID: 0x1234, payload: invite},
			Packet{Version: 2, Proto: 17, PayloadType: 1, CaptureID: 0x1234,
				Src:  netip.MustParseAddrPort("10.0.0.1:5060"),
				Dst:  netip.MustParseAddrPort("10.0.0.2:5070"),
				Time: time.Unix(1700000000, 250000).UTC(), Payload: []byte(invite)}},
		{"v2 ipv6", v2Spec{ver: 2, family: 10, proto: 6, src: "2001:db8::a", dst: "2001:db8::b",
			sport: 5061, dport: 5061, sec: 1, capID: 7, payload: "SIP/2.0 200 OK\r\n\r\n"},
			Packet{Version: 2, Proto: 6, PayloadType: 1, CaptureID: 7,
				Src:  netip.MustParseAddrPort("[2001:db8::a]:5061"),
				Dst:  netip.MustParseAddrPort("[2001:db8::b]:5061"),
				Time: time.Unix(1, 0).UTC(), Payload: []byte("SIP/2.0 200 OK\r\n\r\n")}},
		{"v1 ipv4 sctp", v2Spec{ver: 1, family: 2, proto: 132, src: "10.0.0.1", dst: "10.0.0.2",
			sport: 1, dport: 2, payload: "OPTIONS sip:x SIP/2.0\r\n"},
			Packet{Version: 1, Proto: 132, PayloadType: 1,
				Src:     netip.MustParseAddrPort("10.0.0.1:1"),
				Dst:     netip.MustParseAddrPort("10.0.0.2:2"),
				Payload: []byte("OPTIONS sip:x SIP/2.0\r\n")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := hep2(tt.spec)
			got, n, err := Decode(in)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if n != len(in) {
				t.Errorf("n = %d, want %d", n, len(in))
			}
			comparePacket(t, got, tt.want)
			if !Is(in) {
				t.Errorf("Is = false")
			}
		})
	}
}

func TestDecodeV2Errors(t *testing.T) {
	base := v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", payload: invite}
	mod := func(f func(*v2Spec)) []byte { s := base; f(&s); return hep2(s) }
	tests := []struct {
		name string
		in   []byte
		kind error
		msg  string
	}{
		{"bad family", mod(func(s *v2Spec) { s.family = 7; s.hl = 16 }), ErrNotHEP, "hep2: address family 7"},
		{"header length", mod(func(s *v2Spec) { s.hl = 28 }), ErrNotHEP, "header length 28 does not match"},
		{"v6 with v4 length", mod(func(s *v2Spec) { s.family = 10; s.src, s.dst = "::1", "::2"; s.hl = 16 }),
			ErrNotHEP, "want 40"},
		{"protocol", mod(func(s *v2Spec) { s.proto = 99 }), ErrNotHEP, "IP protocol 99"},
		{"short fixed", []byte{2, 16, 2}, ErrTruncated, "hep2: have 3 bytes, packet needs 8"},
		{"short time", hep2(base)[:20], ErrTruncated, "packet needs 28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode(tt.in)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tt.kind, tt.msg)
			}
		})
	}
}

func TestBackToBack(t *testing.T) {
	a := sipPacket(invite)
	b := sipPacket("SIP/2.0 100 Trying\r\n\r\n", ch(chunkCorrelation, []byte("c")))
	stream := append(append([]byte(nil), a...), b...)
	var got []string
	for len(stream) > 0 {
		if need := Need(stream); need <= 0 || need > len(stream) {
			t.Fatalf("Need = %d with %d bytes", need, len(stream))
		}
		p, n, err := Decode(stream)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(p.Payload))
		stream = stream[n:]
	}
	if len(got) != 2 || got[0] != invite || got[1] != "SIP/2.0 100 Trying\r\n\r\n" {
		t.Errorf("payloads = %q", got)
	}
}
