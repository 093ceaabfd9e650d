package tlsrec

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"strings"
	"testing"
)

// TestRecordBoundaries: two messages in one record, and a message of
// 40 000 bytes that crypto/tls cuts into several records, each sent as
// the pipe delivers it and also fed a byte at a time.
func TestRecordBoundaries(t *testing.T) {
	big := "MESSAGE sip:b@x SIP/2.0\r\nContent-Length: 40000\r\n\r\n" + strings.Repeat("x", 40000)
	two := "OPTIONS sip:a SIP/2.0\r\n\r\nOPTIONS sip:b SIP/2.0\r\n\r\n"
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		s := exchange(t, v, 0, [][]byte{[]byte(two), []byte(big)}, [][]byte{[]byte(big), []byte(two)})
		_, got := decrypt(t, s, mustKeylog(t, s.keylog))
		for side := range 2 {
			if !bytes.Equal(got[side], s.sent[side]) {
				t.Errorf("version %x side %d: %d bytes, want %d", v, side, len(got[side]), len(s.sent[side]))
			}
		}
		var bytewise session
		for _, e := range s.ev {
			for i := range e.b {
				bytewise.ev = append(bytewise.ev, event{e.side, e.b[i : i+1]})
			}
		}
		if _, got := decrypt(t, bytewise, mustKeylog(t, s.keylog)); !bytes.Equal(got[0], s.sent[0]) || !bytes.Equal(got[1], s.sent[1]) {
			t.Errorf("version %x fed a byte at a time: %d and %d bytes", v, len(got[0]), len(got[1]))
		}
	}
}

// TestExpandLabelRFC8448 checks the key schedule against RFC 8448 §3:
// the server handshake traffic secret's write key and IV.
func TestExpandLabelRFC8448(t *testing.T) {
	secret, _ := hex.DecodeString("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38")
	key, _ := expandLabel(sha256New, secret, "key", nil, 16)
	iv, _ := expandLabel(sha256New, secret, "iv", nil, 12)
	if hex.EncodeToString(key) != "3fce516009c21727d0f2e4e86ee403bc" || hex.EncodeToString(iv) != "5d313eb2671276ee13000b30" {
		t.Errorf("key %x iv %x", key, iv)
	}
	// RFC 8446 §7.2: the next secret is HKDF-Expand-Label(secret,
	// "traffic upd", "", 32), whose HkdfLabel is written out by hand here.
	want, _ := hkdf.Expand(sha256.New, secret, "\x00\x20\x11tls13 traffic upd\x00", 32)
	if got, _ := nextSecret(sha256New, secret); !bytes.Equal(got, want) {
		t.Errorf("next secret %x, want %x", got, want)
	}
}

// seal13 protects a TLS 1.3 record as a sender would (RFC 8446 §5.2).
func seal13(t *testing.T, s suite, secret []byte, seq uint64, typ byte, content []byte) []byte {
	a, err := keys13(s, secret)
	if err != nil {
		t.Fatal(err)
	}
	inner := append(append(bytes.Clone(content), typ), 0, 0, 0) // and some padding
	n := len(inner) + a.aead.Overhead()
	hdr := []byte{23, 3, 3, byte(n >> 8), byte(n)}
	nonce := a.iv
	xorSeq(nonce[:], seq)
	return a.aead.Seal(hdr, nonce[:], inner, hdr)
}

// TestKeyUpdate: crypto/tls has no way to send a KeyUpdate, so after a
// real TLS 1.3 exchange the client's next records are sealed here: a
// KeyUpdate (RFC 8446 §4.6.3) under its traffic secret_0, then data
// under the updated secret, then a second update.
func TestKeyUpdate(t *testing.T) {
	req, resp := sipExchange()
	s := exchange(t, tls.VersionTLS13, 0, req, resp)
	keys := mustKeylog(t, s.keylog)
	c, got := decrypt(t, s, keys)
	if c.State() != Decrypting {
		t.Fatal(c.Status())
	}
	cs := c.suite
	sec := keys.Lookup(c.cr).Client0
	seq := c.h[0].seq
	more := &bytes.Buffer{}
	c.out = func(side int, p []byte) { more.Write(p) }
	for i, msg := range []string{"after first update", "after second update"} {
		c.Feed(0, seal13(t, cs, sec, seq, 22, []byte{24, 0, 0, 1, 0})) // update_not_requested
		var err error
		if sec, err = nextSecret(cs.hash, sec); err != nil {
			t.Fatal(err)
		}
		c.Feed(0, seal13(t, cs, sec, 0, 23, []byte(msg)))
		seq = 1
		if !strings.HasSuffix(more.String(), msg) {
			t.Fatalf("update %d: got %q (%s)", i+1, more.String(), c.Status())
		}
	}
	_ = got
}

// TestFailures: a flipped bit, a missing key and an unknown suite give
// one-line statuses and stop only what they must.
func TestFailures(t *testing.T) {
	req, resp := sipExchange()
	s := exchange(t, tls.VersionTLS13, 0, req, resp)
	keys := mustKeylog(t, s.keylog)

	if c, _ := decrypt(t, s, NewKeylog()); c.State() != NoKey || !strings.HasPrefix(c.Status(), "no key for client random ") {
		t.Errorf("no key: %d %s", c.State(), c.Status())
	}
	bad := session{ev: append([]event(nil), s.ev...)}
	last := bad.ev[len(bad.ev)-1]
	for i := len(bad.ev) - 1; i >= 0; i-- {
		if bad.ev[i].side == 1 && len(bad.ev[i].b) > 40 {
			last = event{1, bytes.Clone(bad.ev[i].b)}
			last.b[len(last.b)-1] ^= 1
			bad.ev[i] = last
			break
		}
	}
	c, got := decrypt(t, bad, keys)
	if c.State() != Failed || !strings.Contains(c.Status(), "server direction: bad MAC at record ") {
		t.Errorf("flipped bit: %s", c.Status())
	}
	if !bytes.Equal(got[0], s.sent[0]) {
		t.Errorf("the client direction stopped too: %q", got[0])
	}
	garbage := NewConn(keys, nil)
	garbage.Feed(0, []byte("GET / HTTP/1.1\r\n\r\n"))
	if garbage.Status() != "client direction: not a TLS record at record 1" && !strings.Contains(garbage.Status(), "not a TLS record at record 1") {
		t.Errorf("garbage: %s", garbage.Status())
	}
}

func TestUnknownSuite(t *testing.T) {
	c := NewConn(NewKeylog(), nil)
	ch := append([]byte{1, 0, 0, 36, 3, 3}, make([]byte, 34)...)
	sh := append([]byte{2, 0, 0, 38, 3, 3}, make([]byte, 32)...)
	sh = append(sh, 0, 0x00, 0x0a, 0) // no session id, TLS_RSA_WITH_3DES_EDE_CBC_SHA, null compression
	c.Feed(0, append([]byte{22, 3, 1, 0, byte(len(ch))}, ch...))
	c.Feed(1, append([]byte{22, 3, 3, 0, byte(len(sh))}, sh...))
	if c.Status() != "server direction: unknown cipher suite 0x000a" {
		t.Errorf("status %q", c.Status())
	}
}
