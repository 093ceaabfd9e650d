// Package tlstest records TLS connections made in process with
// crypto/tls (a self-signed certificate, the client's key log) and
// writes them as TCP frames, for the tests of SIP over TLS decryption.
//
// A test kit: only tests import it; it imports the standard library and
// internal/testkit/pcaptest.
package tlstest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

// Event is what one side wrote (0 the client, 1 the server), in the
// order the two sides wrote.
type Event struct {
	Side int
	B    []byte
}

// Session is a recorded connection.
type Session struct {
	Events []Event
	Keylog []byte    // the client's key log (NSS format)
	Sent   [2][]byte // the application data each side wrote
}

type wire struct {
	mu sync.Mutex
	ev []Event
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
	r.w.ev = append(r.w.ev, Event{r.side, bytes.Clone(b)})
	r.w.mu.Unlock()
	return r.Conn.Write(b)
}

var cert = sync.OnceValues(func() (tls.Certificate, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"sip.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}, err
})

// Exchange runs a crypto/tls client and server over a pipe at one
// version (and, for TLS 1.2, one suite; 0 for Go's choice): the client
// writes each of req and reads the response of the same index, which the
// server writes once it has read the request. req and resp are as long.
func Exchange(t testing.TB, version, suite uint16, req, resp [][]byte) Session {
	t.Helper()
	c, err := cert()
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
	srv := tls.Server(recConn{b, 1, w}, &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: version, MaxVersion: version, CipherSuites: ccfg.CipherSuites})
	var s Session
	s.Sent[0], s.Sent[1] = bytes.Join(req, nil), bytes.Join(resp, nil)
	errc := make(chan error, 1)
	go func() {
		defer srv.Close()
		for i, m := range resp {
			if _, err := io.ReadFull(srv, make([]byte, len(req[i]))); err != nil {
				errc <- err
				return
			}
			if _, err := srv.Write(m); err != nil {
				errc <- err
				return
			}
		}
		_, err := io.Copy(io.Discard, srv) // until the client's close_notify
		errc <- err
	}()
	for i, m := range req {
		if _, err := cli.Write(m); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(cli, make([]byte, len(resp[i]))); err != nil {
			t.Fatal(err)
		}
	}
	cli.Close()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	s.Events, s.Keylog = w.ev, kl.Bytes()
	w.mu.Unlock()
	return s
}

// Frames writes the session as the Ethernet frames of one TCP
// connection from cli to srv: the handshake, each write cut into
// segments of at most mss bytes, and the FINs.
func (s Session) Frames(cli, srv netip.AddrPort, mss int) [][]byte {
	isn := [2]uint32{1000, 50000}
	ends := [2]netip.AddrPort{cli, srv}
	frames := [][]byte{
		pcaptest.TCP(cli, srv, isn[0], pcaptest.SYN, nil),
		pcaptest.TCP(srv, cli, isn[1], pcaptest.SYN|pcaptest.ACK, nil),
	}
	next := [2]uint32{isn[0] + 1, isn[1] + 1}
	for _, e := range s.Events {
		for b := e.B; len(b) > 0; {
			n := min(mss, len(b))
			frames = append(frames, pcaptest.TCP(ends[e.Side], ends[e.Side^1], next[e.Side], pcaptest.ACK|pcaptest.PSH, b[:n]))
			next[e.Side] += uint32(n)
			b = b[n:]
		}
	}
	return append(frames,
		pcaptest.TCP(cli, srv, next[0], pcaptest.FIN|pcaptest.ACK, nil),
		pcaptest.TCP(srv, cli, next[1], pcaptest.FIN|pcaptest.ACK, nil))
}

// Pcap writes frames as a pcap file (Ethernet).
func Pcap(frames [][]byte) []byte {
	c := pcaptest.New(1)
	for _, f := range frames {
		c.Add(f)
	}
	return c.Bytes()
}
