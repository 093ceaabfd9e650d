package ws

import (
	"errors"
	"testing"
)

// FuzzFeed feeds the input whole, split at a fuzzer-chosen point, and
// (when short) byte by byte: the results must agree, and nothing may
// panic. IsHandshake and LooksLikeFrame run on the same input.
func FuzzFeed(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint16) {
		whole := run([][]byte{data})
		k := int(split) % (len(data) + 1)
		if got := run([][]byte{data[:k], data[k:]}); !same(got, whole) {
			t.Fatalf("split at %d: %+v, whole %+v", k, got, whole)
		}
		if len(data) <= 512 {
			if got := run(chunk(data, 1)); !same(got, whole) {
				t.Fatalf("byte by byte: %+v, whole %+v", got, whole)
			}
		}
		var e *Error
		if whole.err != nil && (!errors.As(whole.err, &e) || whole.err.Error() == "") {
			t.Fatalf("error %T %v", whole.err, whole.err)
		}
		for _, m := range whole.msgs {
			if len(m) > MaxMessage {
				t.Fatalf("message of %d bytes", len(m))
			}
		}
		ws, decided := IsHandshake(data)
		if w2, d2 := IsHandshake(data[:k]); d2 && (!decided || w2 != ws) {
			t.Fatalf("IsHandshake on prefix %d: %v, whole %v/%v", k, w2, ws, decided)
		}
		LooksLikeFrame(data)
	})
}

func fuzzSeeds() [][]byte {
	return [][]byte{
		maskedText(sipInvite),
		cat(text(sipOK), text(sipOK)),
		cat([]byte(upgradeRequest), maskedText(sipInvite)),
		cat([]byte(upgradeResponse), text(sipOK)),
		cat(build(frameSpec{op: opText, notFin: true, masked: true, key: testKey, payload: "INVITE sip:a"}),
			build(frameSpec{op: opPing, payload: "hb"}),
			build(frameSpec{op: opCont, masked: true, key: testKey, payload: "@b SIP/2.0\r\n\r\n"}),
			build(frameSpec{op: opClose})),
		build(frameSpec{op: opBinary, width: 64, payload: sipOK}),
		build(frameSpec{op: 0x3, payload: "x"}),
		build(frameSpec{op: opText, rawLen: 1 << 63}),
	}
}
