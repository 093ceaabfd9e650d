package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
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

// frames yields fixed frames, then the end.
type frames struct{ fs []Frame }

func (s *frames) Next() (Frame, error) {
	if len(s.fs) == 0 {
		return Frame{}, io.EOF
	}
	f := s.fs[0]
	s.fs = s.fs[1:]
	return f, nil
}
func (s *frames) Close() error             { return nil }
func (s *frames) Name() string             { return "frames" }
func (s *frames) Progress() (int64, int64) { return 0, -1 }

// --write keeps what HEP agents sent without their password, in a file
// only its owner reads; the messages are all there.
func TestRecordDropsTheHEPKey(t *testing.T) {
	var fs []Frame
	for _, p := range hepPackets(t) {
		fs = append(fs, Frame{Time: time.Now(), Link: LinkTypeHEP, Data: withAuthKey(p, "s3cret-hep-key")})
	}
	path := filepath.Join(t.TempDir(), "hep.pcapng")
	src, err := Record(&frames{fs}, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		if _, err := src.Next(); err != nil {
			break
		}
		n++
	}
	src.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("s3cret-hep-key")) {
		t.Error("the HEP auth key is in the --write file")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("the --write file is mode %v, want 0600", st.Mode().Perm())
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var k counter
	dec := NewDecoder(&k)
	for {
		f, err := r.Next()
		if err != nil {
			break
		}
		dec.Decode(f)
	}
	dec.Flush()
	if n == 0 || k.msgs != n {
		t.Errorf("the file holds %d SIP messages of the %d recorded", k.msgs, n)
	}
}

type counter struct{ msgs int }

func (c *counter) Message(*Payload)        { c.msgs++ }
func (c *counter) Undecodable(Undecodable) {}

// A listener keeps at most maxHEPConns TCP connections: past it they are
// closed at once and counted with the drops, never silently kept.
func TestHEPConnectionsAreCapped(t *testing.T) {
	l, err := ListenHEP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range maxHEPConns {
		c, err := net.Dial("tcp", l.Addr())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for deadline := time.Now().Add(30 * time.Second); l.conns.Load() < maxHEPConns && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	extra, err := net.Dial("tcp", l.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	extra.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := extra.Read(make([]byte, 1)); err == nil {
		t.Error("a connection past the cap was kept")
	}
	if l.Drops() < 1 {
		t.Errorf("the connection turned away is not counted: %d", l.Drops())
	}
	if n := l.conns.Load(); n != maxHEPConns {
		t.Errorf("%d connections kept, want %d", n, maxHEPConns)
	}
}

// A HEP flood that the reader cannot keep up with loses datagrams in the
// kernel's socket buffer: the listener counts them (Linux: the drops
// column of /proc/net/udp), as a live interface counts its drops.
func TestHEPFloodDropsAreCounted(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("socket drops are read from /proc/net/udp")
	}
	l, err := ListenHEP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, ok := udpDrops(l.udp.LocalAddr()); !ok {
		t.Fatal("the listener's socket is not in /proc/net/udp")
	}
	u, err := net.Dial("udp", l.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	p := withAuthKey(hepPackets(t)[0], "x") // nobody calls Next: the frames channel fills, then the socket
	for i := 0; i < 100000 && l.Drops() == 0; i++ {
		u.Write(p)
	}
	if l.Drops() == 0 {
		t.Error("100,000 datagrams to an unread listener, and no drop counted")
	}
}
