package hep

import (
	"errors"
	"testing"
)

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, n, err := Decode(data)
		need := Need(data)
		if err != nil {
			checkFuzzError(t, data, n, need, err)
			return
		}
		if n <= 0 || n > len(data) {
			t.Fatalf("n = %d for %d bytes", n, len(data))
		}
		if len(p.Payload) > MaxPayload {
			t.Fatalf("payload %d bytes", len(p.Payload))
		}
		switch p.Version {
		case 3:
			if need != n || !Is(data) {
				t.Fatalf("v3: n=%d Need=%d Is=%v", n, need, Is(data))
			}
		case 1, 2:
			if n != len(data) || need != -1 || p.PayloadType != TypeSIP {
				t.Fatalf("v%d: n=%d/%d Need=%d", p.Version, n, len(data), need)
			}
		default:
			t.Fatalf("version %d", p.Version)
		}
	})
}

func checkFuzzError(t *testing.T, data []byte, n, need int, err error) {
	var e *Error
	if !errors.As(err, &e) || err.Error() == "" {
		t.Fatalf("error %T %v", err, err)
	}
	if n != 0 {
		t.Fatalf("n = %d on error", n)
	}
	kinds := 0
	for _, k := range []error{ErrNotHEP, ErrTruncated, ErrMalformed, ErrTooLarge} {
		if errors.Is(err, k) {
			kinds++
		}
	}
	if kinds != 1 {
		t.Fatalf("error %v matches %d kinds", err, kinds)
	}
	if hasMagic(data) && need > len(data) && !errors.Is(err, ErrTruncated) {
		t.Fatalf("Need=%d > %d bytes but err %v", need, len(data), err)
	}
	if need > 0 && need <= len(data) && errors.Is(err, ErrTruncated) {
		t.Fatalf("Need=%d <= %d bytes but truncated: %v", need, len(data), err)
	}
	if _, ok := v2HeaderLen(data); ok && !hasMagic(data) {
		t.Fatalf("valid v1/v2 header but err %v", err)
	}
}

// fuzzSeeds are valid and broken packets; the same set is committed under
// testdata/fuzz/FuzzDecode.
func fuzzSeeds() [][]byte {
	lie := sipPacket(invite)
	lie[5] -= 10
	return [][]byte{
		sipPacket(invite),
		sipPacket("SIP/2.0 200 OK\r\n\r\n", ch(chunkAuthKey, []byte("myHep")), ch(chunkCorrelation, []byte("cid")),
			chunkSpec{vendor: 8, typ: 0x80, val: []byte("vendor"), length: -1}),
		hep3(append(sipChunks(), ch(chunkCompressed, zlibBytes([]byte(invite))))...),
		hep3(ch(chunkFamily, u8(10)), ch(chunkSrcIP6, ip("2001:db8::1")), ch(chunkDstIP6, ip("2001:db8::2")),
			ch(chunkPayload, []byte(invite))),
		hep2(v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", sport: 5060, dport: 5060,
			sec: 1700000000, capID: 9, payload: invite}),
		hep2(v2Spec{ver: 1, family: 10, proto: 6, src: "::1", dst: "::2", payload: "SIP/2.0 180 Ringing\r\n\r\n"}),
		lie,
		hep3(chunkSpec{typ: chunkPayload, val: []byte("abc"), length: 0}),
		[]byte("HEP3\x00\x05"),
	}
}
