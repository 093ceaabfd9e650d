package tlsrec

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

// event is what one side wrote, in the order the two sides wrote it.
type event struct {
	side int // 0 client, 1 server
	b    []byte
}

type wire struct {
	mu sync.Mutex
	ev []event
}

// recConn records what its side writes before writing it: the peer
// cannot answer bytes it has not read, so the order is causal.
type recConn struct {
	net.Conn
	side int
	w    *wire
}

func (r recConn) Write(b []byte) (int, error) {
	r.w.mu.Lock()
	r.w.ev = append(r.w.ev, event{r.side, bytes.Clone(b)})
	r.w.mu.Unlock()
	return r.Conn.Write(b)
}

var certs = sync.OnceValues(func() (tls.Certificate, error) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"sip.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rk.PublicKey, rk)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: rk}, err
})

// session is a recorded TLS connection: its wire bytes, the key log the
// client wrote and what each side sent as application data.
type session struct {
	ev     []event
	keylog []byte
	sent   [2][]byte
}

// exchange runs a crypto/tls client and server over a pipe: the client
// writes each of req (one Write each), the server reads them all and
// writes each of resp.
func exchange(t testing.TB, version, suite uint16, req, resp [][]byte) session {
	t.Helper()
	cert, err := certs()
	if err != nil {
		t.Fatal(err)
	}
	a, b := net.Pipe()
	w := &wire{}
	var kl bytes.Buffer
	ccfg := &tls.Config{InsecureSkipVerify: true, KeyLogWriter: &kl, MinVersion: version, MaxVersion: version, ServerName: "sip.test"}
	if suite != 0 {
		ccfg.CipherSuites = []uint16{suite}
	}
	cli := tls.Client(recConn{a, 0, w}, ccfg)
	srv := tls.Server(recConn{b, 1, w}, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: version, MaxVersion: version, CipherSuites: ccfg.CipherSuites})
	var s session
	for _, m := range req {
		s.sent[0] = append(s.sent[0], m...)
	}
	for _, m := range resp {
		s.sent[1] = append(s.sent[1], m...)
	}
	errc := make(chan error, 1)
	go func() {
		defer srv.Close()
		if _, err := io.ReadFull(srv, make([]byte, len(s.sent[0]))); err != nil {
			errc <- err
			return
		}
		for _, m := range resp {
			if _, err := srv.Write(m); err != nil {
				errc <- err
				return
			}
		}
		_, err := io.Copy(io.Discard, srv) // until the client's close_notify
		errc <- err
	}()
	for _, m := range req {
		if _, err := cli.Write(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.ReadFull(cli, make([]byte, len(s.sent[1]))); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	s.ev = w.ev
	w.mu.Unlock()
	s.keylog = kl.Bytes()
	return s
}

// decrypt feeds a recorded session to a Conn and returns what each side's
// plaintext was.
func decrypt(t testing.TB, s session, keys *Keylog) (*Conn, [2][]byte) {
	var got [2][]byte
	c := NewConn(keys, func(side int, p []byte) { got[side] = append(got[side], p...) })
	for _, e := range s.ev {
		c.Feed(e.side, e.b)
	}
	return c, got
}

func mustKeylog(t testing.TB, b []byte) *Keylog {
	k, errs := ParseKeylog(bytes.NewReader(b))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return k
}
