package hep

import (
	"bytes"
	"testing"
)

// The key goes, every other chunk stays, and the packet still decodes
// with the same message and addresses.
func TestStripAuthKey(t *testing.T) {
	with := sipPacket("OPTIONS sip:a@b SIP/2.0\r\n\r\n", ch(chunkAuthKey, []byte("myHepSecret")), ch(chunkCaptureID, u32(2001)))
	got := StripAuthKey(with)
	if bytes.Contains(got, []byte("myHepSecret")) {
		t.Fatal("the auth key is still in the packet")
	}
	a, _, err := Decode(with)
	if err != nil {
		t.Fatal(err)
	}
	b, n, err := Decode(got)
	if err != nil || n != len(got) {
		t.Fatalf("the stripped packet does not decode: %v (%d of %d bytes)", err, n, len(got))
	}
	if !bytes.Equal(a.Payload, b.Payload) || a.Src != b.Src || a.Dst != b.Dst || a.CaptureID != b.CaptureID || b.AuthKey != "" {
		t.Errorf("stripped packet differs: %+v vs %+v", b, a)
	}
	without := sipPacket("OPTIONS sip:a@b SIP/2.0\r\n\r\n")
	if got := StripAuthKey(without); &got[0] != &without[0] {
		t.Error("a packet without a key is copied")
	}
	for _, bad := range [][]byte{nil, []byte("HEP3"), []byte("HEP3\x00\x07\x00"), append([]byte(nil), with[:len(with)-3]...)} {
		out := StripAuthKey(bad)
		if bytes.Contains(out, []byte("myHepSecret")) {
			t.Errorf("%q: the key survives a damaged packet", bad)
		}
	}
}

func FuzzStripAuthKey(f *testing.F) {
	f.Add(sipPacket("OPTIONS sip:a@b SIP/2.0\r\n\r\n", ch(chunkAuthKey, []byte("myHepSecret"))))
	f.Add([]byte("HEP3\x00\x0c\x00\x00\x00\x0e\x00\x06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out := StripAuthKey(b)
		if p, _, err := Decode(out); err == nil && p.AuthKey != "" {
			t.Fatalf("the stripped packet still carries the key %q", p.AuthKey)
		}
		if !bytes.Equal(out, b) && totalLen(out) != len(out) {
			t.Fatalf("a rebuilt packet's length field says %d, it has %d bytes", totalLen(out), len(out))
		}
	})
}
