package tlsrec

import (
	"bytes"
	"crypto/tls"
	"strings"
	"testing"
)

// sipExchange is a REGISTER challenged and answered, as SIP over TLS
// carries it (RFC 3261 §26.2, RFC 5630).
func sipExchange() (req, resp [][]byte) {
	reg := "REGISTER sips:edge.test SIP/2.0\r\nVia: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: %d REGISTER\r\nContent-Length: 0\r\n\r\n"
	return [][]byte{[]byte(strings.Replace(reg, "%d", "1", 1)), []byte(strings.Replace(reg, "%d", "2", 1))},
		[][]byte{[]byte("SIP/2.0 401 Unauthorized\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"),
			[]byte("SIP/2.0 200 OK\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n")}
}

// TestDecryptSuites runs crypto/tls for every suite it offers with an
// RSA certificate and checks that each side's plaintext is what it wrote.
func TestDecryptSuites(t *testing.T) {
	cases := []struct {
		name    string
		version uint16
		suite   uint16
	}{
		{"1.3 default", tls.VersionTLS13, 0},
		{"1.2 ECDHE-RSA AES-128-GCM", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
		{"1.2 ECDHE-RSA AES-256-GCM", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
		{"1.2 ECDHE-RSA ChaCha20", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 ECDHE-RSA AES-128-CBC-SHA", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA},
		{"1.2 ECDHE-RSA AES-256-CBC-SHA", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA},
		{"1.2 ECDHE-RSA AES-128-CBC-SHA256", tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256},
		{"1.2 RSA AES-128-GCM", tls.VersionTLS12, tls.TLS_RSA_WITH_AES_128_GCM_SHA256},
		{"1.2 RSA AES-256-GCM", tls.VersionTLS12, tls.TLS_RSA_WITH_AES_256_GCM_SHA384},
		{"1.2 RSA AES-128-CBC-SHA", tls.VersionTLS12, tls.TLS_RSA_WITH_AES_128_CBC_SHA},
		{"1.2 RSA AES-256-CBC-SHA", tls.VersionTLS12, tls.TLS_RSA_WITH_AES_256_CBC_SHA},
		{"1.2 RSA AES-128-CBC-SHA256", tls.VersionTLS12, tls.TLS_RSA_WITH_AES_128_CBC_SHA256},
	}
	req, resp := sipExchange()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := exchange(t, tc.version, tc.suite, req, resp)
			c, got := decrypt(t, s, mustKeylog(t, s.keylog))
			if c.State() != Decrypting {
				t.Fatalf("state %d: %s", c.State(), c.Status())
			}
			for side := range 2 {
				if !bytes.Equal(got[side], s.sent[side]) {
					t.Errorf("side %d: got %q, want %q", side, got[side], s.sent[side])
				}
			}
			t.Log(c.Status())
		})
	}
}
