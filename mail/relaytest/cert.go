package relaytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CertFiles is a self-signed certificate for 127.0.0.1 and localhost, kept
// in memory for the stand-in and written as PEM for a client told to
// trust it (serve --smtp-relay-ca).
type CertFiles struct {
	cert tls.Certificate
	// CAFile is the certificate as a PEM file.
	CAFile string
	// Pool trusts the certificate, for clients in the test's own process.
	Pool *x509.CertPool
}

// SelfSigned makes a certificate valid for an hour and writes it to a
// temp folder of the test.
func SelfSigned(t testing.TB) *CertFiles {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &CertFiles{cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, CAFile: path, Pool: pool}
}

// Certificate is the certificate with its key, for a server's tls.Config.
func (c *CertFiles) Certificate() tls.Certificate { return c.cert }

// ServerConfig is the stand-in's side.
func (c *CertFiles) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.cert}, MinVersion: tls.VersionTLS12}
}
