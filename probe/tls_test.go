package probe

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo"

	"github.com/sipdbg/sipdbg/analysis"
)

// selfSigned makes a certificate for name, its own CA, written as PEM.
func selfSigned(t *testing.T, name string) (tls.Certificate, string) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, ca
}

// TestProbeTLS registers over TLS with an in-process registrar: trusted
// with --ca, refused in words without it, allowed with --insecure.
func TestProbeTLS(t *testing.T) {
	cert, ca := selfSigned(t, "test.realm")
	a := &authServer{challenge: `qop="auth"`, password: "s3cret"}
	ua, _ := sipgo.NewUA()
	srv, _ := sipgo.NewServer(ua)
	srv.OnRegister(a.handle)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTLS(l)
	t.Cleanup(func() { l.Close(); ua.Close() })
	cfg := Config{Method: "REGISTER", Target: "sip:alice@test.realm", Server: l.Addr().String(), Transport: "tls",
		Timeout: 5 * time.Second, Expires: 60, Credentials: []analysis.Credential{{Realm: "*", User: "alice", Secret: analysis.Password("s3cret")}}}
	for _, c := range []struct {
		name     string
		ca       string
		insecure bool
		outcome  string
		reason   string
	}{
		{"trusted CA", ca, false, OutcomeOK, "200"},
		{"unknown authority", "", false, OutcomeError, "unknown authority"},
		{"insecure", "", true, OutcomeOK, "200"},
	} {
		cfg.CAFile, cfg.Insecure = c.ca, c.insecure
		res := Run(context.Background(), cfg, nil)
		if res.Outcome != c.outcome || !strings.Contains(res.Reason, c.reason) {
			t.Errorf("%s: %s: %s", c.name, res.Outcome, res.Reason)
		}
	}
	// --keylog: the connection's secrets, in the NSS key log format,
	// for a capture of the probe to be read decrypted.
	var keys strings.Builder
	cfg.CAFile, cfg.Insecure, cfg.KeyLog = ca, false, &keys
	if res := Run(context.Background(), cfg, nil); res.Outcome != OutcomeOK {
		t.Fatalf("with a key log: %s: %s", res.Outcome, res.Reason)
	}
	if !strings.Contains(keys.String(), "CLIENT_TRAFFIC_SECRET_0 ") && !strings.Contains(keys.String(), "CLIENT_RANDOM ") {
		t.Errorf("no TLS secret in the key log: %q", keys.String())
	}
}
