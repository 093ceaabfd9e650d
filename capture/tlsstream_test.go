package capture

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/internal/testkit/tlstest"
)

var tlsCli, tlsSrv = pcaptest.Addr("10.0.0.1:40001"), pcaptest.Addr("10.0.0.2:5061")

// registerOverTLS is a REGISTER challenged, answered and accepted (RFC
// 3261 §22), each message written on its own.
func registerOverTLS() (req, resp [][]byte) {
	r1 := pcaptest.Request("REGISTER", "reg-tls", "z9hG4bK-1", 1, "")
	r2 := pcaptest.Request("REGISTER", "reg-tls", "z9hG4bK-2", 2, "")
	r2 = bytes.Replace(r2, []byte("\r\n\r\n"), []byte("\r\nAuthorization: Digest username=\"alice\", realm=\"edge.test\", nonce=\"n1\", uri=\"sip:edge.test\", response=\"00000000000000000000000000000000\"\r\n\r\n"), 1)
	return [][]byte{r1, r2}, [][]byte{
		pcaptest.Response(401, "Unauthorized", "REGISTER", "reg-tls", "z9hG4bK-1", 1, "t1"),
		pcaptest.Response(200, "OK", "REGISTER", "reg-tls", "z9hG4bK-2", 2, "t2"),
	}
}

func decodeTLS(t testing.TB, keys *tlsrec.Keylog, frames [][]byte) (*collect, Stats) {
	t.Helper()
	c := &collect{}
	d := NewDecoder(c)
	d.SetKeylog(keys)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range frames {
		d.Decode(Frame{Num: i + 1, Time: at.Add(time.Duration(i) * time.Millisecond), Link: layers.LinkTypeEthernet, Data: f})
	}
	d.Flush()
	return c, d.Stats()
}

func keylogOf(t testing.TB, b []byte) *tlsrec.Keylog {
	k, errs := tlsrec.ParseKeylog(bytes.NewReader(b))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return k
}

// TestTLSDecrypted: SIP over TLS 1.3 and 1.2 comes out as the messages
// written, over TLS, from the side that wrote them, with segments that
// cut records.
func TestTLSDecrypted(t *testing.T) {
	req, resp := registerOverTLS()
	for _, v := range []struct {
		version, suite uint16
	}{{tls.VersionTLS13, 0}, {tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, {tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}} {
		s := tlstest.Exchange(t, v.version, v.suite, req, resp)
		c, _ := decodeTLS(t, keylogOf(t, s.Keylog), s.Frames(tlsCli, tlsSrv, 100))
		want := [][]byte{req[0], resp[0], req[1], resp[1]}
		if len(c.msgs) != 4 || len(c.bad) != 0 {
			t.Fatalf("%x: %d messages, undecodable %+v", v.version, len(c.msgs), c.bad)
		}
		for i, m := range c.msgs {
			if !bytes.Equal(m.Data, want[i]) || m.Transport != TLS || (m.Src == tlsCli) != (i%2 == 0) {
				t.Errorf("%x message %d: %v %v→%v %q", v.version, i, m.Transport, m.Src, m.Dst, m.Data[:20])
			}
		}
	}
}

// TestTLSNoKey: without the key, the connection is named with the
// client random whose key is missing, once.
func TestTLSNoKey(t *testing.T) {
	req, resp := registerOverTLS()
	s := tlstest.Exchange(t, tls.VersionTLS13, 0, req, resp)
	for _, keys := range []*tlsrec.Keylog{nil, tlsrec.NewKeylog()} {
		c, st := decodeTLS(t, keys, s.Frames(tlsCli, tlsSrv, 1400))
		cr := strings.Fields(string(s.Keylog))[1][:16]
		if len(c.msgs) != 0 || len(c.bad) != 1 || !strings.HasSuffix(c.bad[0].Reason, "TLS-encrypted, no key for client random "+cr+"…") || st.StreamsNotSIP != 2 {
			t.Errorf("messages %d, undecodable %+v, not SIP %d", len(c.msgs), c.bad, st.StreamsNotSIP)
		}
	}
}

// TestTLSCorrupt: a flipped bit in the server's last response stops that
// direction with one record naming its frame; what came before is there.
func TestTLSCorrupt(t *testing.T) {
	req, resp := registerOverTLS()
	s := tlstest.Exchange(t, tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, req, resp)
	frames := s.Frames(tlsCli, tlsSrv, 1400)
	last := 0
	for i, f := range frames {
		if bytes.Contains(f[14+12:14+16], tlsSrv.Addr().AsSlice()) && len(f) > 14+20+20+100 {
			last = i
		}
	}
	frames[last] = bytes.Clone(frames[last])
	frames[last][len(frames[last])-3] ^= 0x40
	c, _ := decodeTLS(t, keylogOf(t, s.Keylog), frames)
	if len(c.msgs) != 3 || len(c.bad) != 1 || c.bad[0].Packet != last+1 || !strings.Contains(c.bad[0].Reason, "decryption stopped: server direction: bad MAC at record ") {
		t.Errorf("messages %d, undecodable %+v (frame %d)", len(c.msgs), c.bad, last+1)
	}
}

// wsFrame is a final text frame (RFC 6455 §5.2), masked when a client
// sends it.
func wsFrame(p []byte, masked bool) []byte {
	b := []byte{0x81}
	m := byte(0)
	if masked {
		m = 0x80
	}
	switch {
	case len(p) < 126:
		b = append(b, m|byte(len(p)))
	default:
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(len(p)))
	}
	if !masked {
		return append(b, p...)
	}
	key := []byte{1, 2, 3, 4}
	b = append(b, key...)
	for i, c := range p {
		b = append(b, c^key[i%4])
	}
	return b
}

// TestWSSDecrypted: SIP over WebSocket over TLS (RFC 7118) comes out as
// WSS.
func TestWSSDecrypted(t *testing.T) {
	req, resp := registerOverTLS()
	up := []byte("GET / HTTP/1.1\r\nHost: edge.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n")
	ok := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
	wreq := [][]byte{append(up, wsFrame(req[0], true)...), wsFrame(req[1], true)}
	wresp := [][]byte{append(ok, wsFrame(resp[0], false)...), wsFrame(resp[1], false)}
	s := tlstest.Exchange(t, tls.VersionTLS13, 0, wreq, wresp)
	c, _ := decodeTLS(t, keylogOf(t, s.Keylog), s.Frames(tlsCli, pcaptest.Addr("10.0.0.2:443"), 1400))
	if len(c.msgs) != 4 || len(c.bad) != 0 {
		t.Fatalf("%d messages, undecodable %+v", len(c.msgs), c.bad)
	}
	for i, m := range c.msgs {
		if m.Transport != WSS {
			t.Errorf("message %d over %v", i, m.Transport)
		}
	}
}

// TestTLSNotSIP: decrypted HTTP is not SIP, counted as such, and nothing
// is recorded for it off the SIP ports.
func TestTLSNotSIP(t *testing.T) {
	s := tlstest.Exchange(t, tls.VersionTLS13, 0, [][]byte{[]byte("POST /x HTTP/1.1\r\nHost: a\r\n\r\n")}, [][]byte{[]byte("HTTP/1.1 200 OK\r\n\r\n")})
	c, st := decodeTLS(t, keylogOf(t, s.Keylog), s.Frames(tlsCli, pcaptest.Addr("10.0.0.2:443"), 1400))
	if len(c.msgs) != 0 || len(c.bad) != 0 || st.StreamsNotSIP != 2 {
		t.Errorf("messages %d, undecodable %+v, not SIP %d", len(c.msgs), c.bad, st.StreamsNotSIP)
	}
}
