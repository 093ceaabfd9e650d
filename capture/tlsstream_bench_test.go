package capture

import (
	"crypto/tls"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/internal/testkit/tlstest"
)

type countSink struct{ msgs, bad int }

func (c *countSink) Message(*Payload)          { c.msgs++ }
func (c *countSink) Undecodable(u Undecodable) { c.bad++ }

// BenchmarkTLSLoad decodes 500 INVITE/200 exchanges on one connection,
// over TLS (decrypted with its key log) and over plain TCP: decryption
// should add at most 2× to the load time (issue 20).
func BenchmarkTLSLoad(b *testing.B) {
	var req, resp [][]byte
	for i := range 500 {
		id := "bench-" + strconv.Itoa(i)
		req = append(req, pcaptest.Request("INVITE", id, "z9hG4bK-"+id, 1, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"))
		resp = append(resp, pcaptest.Response(200, "OK", "INVITE", id, "z9hG4bK-"+id, 1, "t"))
	}
	var plain tlstest.Session
	for i := range req {
		plain.Events = append(plain.Events, tlstest.Event{Side: 0, B: req[i]}, tlstest.Event{Side: 1, B: resp[i]})
	}
	cases := []struct {
		name           string
		version, suite uint16
	}{{"TCP", 0, 0}, {"TLS1.3-AES128GCM", tls.VersionTLS13, 0},
		{"TLS1.2-AES256GCM", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
		{"TLS1.2-ChaCha20", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{"TLS1.2-AES128CBCSHA", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}}
	for _, c := range cases {
		frames, keys := plain.Frames(tlsCli, tlsSrv, 1400), (*tlsrec.Keylog)(nil)
		if c.version != 0 {
			s := tlstest.Exchange(b, c.version, c.suite, req, resp)
			frames, keys = s.Frames(tlsCli, tlsSrv, 1400), keylogOf(b, s.Keylog)
		}
		size := 0
		for _, f := range frames {
			size += len(f)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				sink := &countSink{}
				d := NewDecoder(sink)
				d.SetKeylog(keys)
				for i, f := range frames {
					d.Decode(Frame{Num: i + 1, Time: at, Link: layers.LinkTypeEthernet, Data: f})
				}
				d.Flush()
				if sink.msgs != 1000 || sink.bad != 0 {
					b.Fatalf("%d messages, %d undecodable", sink.msgs, sink.bad)
				}
			}
		})
	}
}
