package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/mail"
)

// selfSigned makes a certificate and key as an administrator would register
// them on the app registration, returned as PEM.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte, cert *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "plume"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	pk8, _ := x509.MarshalPKCS8PrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk8}), cert
}

func TestCertificateCredentials(t *testing.T) {
	fg, _, ids := fixture(t)
	certPEM, keyPEM, cert := selfSigned(t)
	fg.ClientCertificate = cert
	c, err := graph.ParseCertificate(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Thumbprint()) != 40 {
		t.Errorf("thumbprint %q: want 40 hex digits", c.Thumbprint())
	}
	src, err := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, Certificate: c})
	if err != nil {
		t.Fatal(err)
	}
	th, err := src.Thread(context.Background(), alice, ids[0], "")
	if err != nil {
		t.Fatalf("on-behalf-of with a client assertion: %v", err)
	}
	if len(th.Messages) != 3 {
		t.Errorf("got %d messages", len(th.Messages))
	}

	// A certificate the endpoint does not know is refused.
	otherCert, otherKey, _ := selfSigned(t)
	other, err := graph.ParseCertificate(otherCert, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	src2, _ := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, Certificate: other})
	if _, err := src2.Thread(context.Background(), alice, ids[0], ""); !errors.Is(err, graph.ErrTokenExchange) || !errors.Is(err, mail.ErrAuth) {
		t.Errorf("unknown certificate: %v, want ErrTokenExchange and mail.ErrAuth", err)
	}
	// The secret alone no longer passes when a certificate is required.
	src3, _ := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, ClientSecret: fg.ClientSecret})
	if _, err := src3.Thread(context.Background(), alice, ids[0], ""); !errors.Is(err, mail.ErrAuth) {
		t.Errorf("secret when a certificate is required: %v, want mail.ErrAuth", err)
	}
}

var parseCertificateErrors = []struct {
	name      string
	cert, key func(t *testing.T) []byte
}{
	{"no certificate", func(*testing.T) []byte { return []byte("not PEM") }, func(t *testing.T) []byte { _, k, _ := selfSigned(t); return k }},
	{"no key", func(t *testing.T) []byte { c, _, _ := selfSigned(t); return c }, func(*testing.T) []byte { return nil }},
	{"key of another certificate", func(t *testing.T) []byte { c, _, _ := selfSigned(t); return c }, func(t *testing.T) []byte { _, k, _ := selfSigned(t); return k }},
}

func TestParseCertificateErrors(t *testing.T) {
	for _, tc := range parseCertificateErrors {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := graph.ParseCertificate(tc.cert(t), tc.key(t)); !errors.Is(err, graph.ErrCertificate) {
				t.Errorf("err = %v, want ErrCertificate", err)
			}
		})
	}
}

// FuzzParseCertificate: any bytes as certificate or key give a certificate
// or ErrCertificate, never a panic.
func FuzzParseCertificate(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), []byte("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte(""), []byte("-----BEGIN RSA PRIVATE KEY-----\n\n-----END RSA PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, cert, key []byte) {
		c, err := graph.ParseCertificate(cert, key)
		if err == nil && (c.Cert == nil || c.Key == nil) {
			t.Fatal("no error but an incomplete certificate")
		}
		if err != nil && !errors.Is(err, graph.ErrCertificate) {
			t.Fatalf("error %v does not wrap ErrCertificate", err)
		}
	})
}
