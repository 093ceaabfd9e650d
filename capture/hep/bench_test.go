package hep

import (
	"strings"
	"testing"
)

// benchPacket is a typical 600-byte HEP3 packet: the chunks captagent
// and heplify send plus a SIP request, padded to size.
func benchPacket(extra ...chunkSpec) []byte {
	body := invite + strings.Repeat("X-Pad: 0123456789abcdef0123456789abcdef\r\n", 20)
	n := len(sipPacket("", extra...))
	return sipPacket(body[:600-n], extra...)
}

func BenchmarkDecodeV3(b *testing.B) {
	pkt := benchPacket()
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeV3AuthKey(b *testing.B) {
	pkt := benchPacket(ch(chunkAuthKey, []byte("myHep")))
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeV3Compressed(b *testing.B) {
	pkt := hep3(append(sipChunks(), ch(chunkCompressed, zlibBytes([]byte(invite))))...)
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeV2(b *testing.B) {
	pkt := hep2(v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", payload: invite})
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIsV2(b *testing.B) {
	pkt := hep2(v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", payload: invite})
	b.ReportAllocs()
	for b.Loop() {
		if !Is(pkt) {
			b.Fatal("Is")
		}
	}
}

// TestNoAllocs guards the common path: decoding allocates only for the
// string fields a packet carries.
func TestNoAllocs(t *testing.T) {
	v3 := benchPacket()
	v2 := hep2(v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", payload: invite})
	checks := map[string]func(){
		"Decode v3": func() { Decode(v3) },
		"Decode v2": func() { Decode(v2) },
		"Is v2":     func() { Is(v2) },
		"Need":      func() { Need(v3) },
	}
	for name, fn := range checks {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s: %v allocs per call", name, n)
		}
	}
}
