package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// tlsConfig verifies the server's certificate against the system roots
// and --ca, unless --insecure. The server name is the target's domain,
// as RFC 5922 §7 has the client check it.
func tlsConfig(cfg Config, serverName string) (*tls.Config, error) {
	conf := &tls.Config{ServerName: serverName, InsecureSkipVerify: cfg.Insecure, MinVersion: tls.VersionTLS12, KeyLogWriter: cfg.KeyLog}
	if cfg.CAFile == "" {
		return conf, nil
	}
	pem, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("--ca: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca %s: no PEM certificate in it", cfg.CAFile)
	}
	conf.RootCAs = pool
	return conf, nil
}

// tlsProblem names a TLS failure in words, "" when err is not one.
func tlsProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown):
		return "the server's certificate is signed by an unknown authority (give its CA with --ca FILE, or --insecure to skip the check)"
	case errors.As(err, &host):
		return "the server's certificate is not for this name: " + host.Error()
	case errors.As(err, &invalid):
		return "the server's certificate is not valid: " + invalid.Error()
	case errors.As(err, &record):
		return "the server did not answer with TLS (a plain SIP port?)"
	case errors.As(err, &verify):
		return "certificate verification failed: " + verify.Error()
	}
	return ""
}
