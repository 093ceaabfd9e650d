package capture

import (
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"
)

// withAuthKey appends a HEP3 auth key chunk (vendor 0, type 14) to a
// HEP3 packet and fixes its total length.
func withAuthKey(p []byte, key string) []byte {
	c := make([]byte, 6, 6+len(key))
	binary.BigEndian.PutUint16(c[2:], 14)
	binary.BigEndian.PutUint16(c[4:], uint16(6+len(key)))
	out := append(append(append([]byte(nil), p...), c...), key...)
	binary.BigEndian.PutUint16(out[4:], uint16(len(out)))
	return out
}

// With a password the listener passes only the packets that carry it,
// and counts the others: a wrong key, and none.
func TestHEPListenerPassword(t *testing.T) {
	p := hepPackets(t)
	l, err := ListenHEPAuth("127.0.0.1:0", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, _ := net.Dial("udp", l.Addr())
	u.Write(withAuthKey(p[0], "wrong"))
	u.Write(p[1])
	u.Write(withAuthKey(p[2], "s3cret"))
	u.Close()
	var got []Frame
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && (len(got) < 1 || l.Refused() < 2); {
		f, err := l.Next()
		if errors.Is(err, ErrIdle) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	if len(got) != 1 || l.Refused() != 2 || Refused(Merge(l)) != 2 {
		t.Fatalf("%d packets passed, %d refused; want 1 and 2", len(got), l.Refused())
	}
	c := &collect{}
	NewDecoder(c).Decode(got[0])
	if len(c.msgs) != 1 {
		t.Fatalf("the packet with the key does not decode: %v", c.bad)
	}
}
