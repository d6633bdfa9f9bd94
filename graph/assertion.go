package graph

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Certificate is the client certificate Plume proves its identity with
// when Entra ID is configured for certificate credentials instead of a
// client secret.
type Certificate struct {
	// Cert is the certificate registered on the app registration.
	Cert *x509.Certificate
	// Key is its RSA private key.
	Key *rsa.PrivateKey
}

// ErrCertificate reports an unusable client certificate or key.
var ErrCertificate = errors.New("graph: client certificate")

// ParseCertificate reads a PEM certificate and its PEM RSA private key
// (PKCS #1 or PKCS #8), e.g. the files an administrator registered in Entra ID.
func ParseCertificate(certPEM, keyPEM []byte) (*Certificate, error) {
	var cert *x509.Certificate
	for b, rest := pem.Decode(certPEM); b != nil; b, rest = pem.Decode(rest) {
		if b.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrCertificate, err)
			}
			cert = c
			break
		}
	}
	if cert == nil {
		return nil, fmt.Errorf("%w: no PEM CERTIFICATE block", ErrCertificate)
	}
	var key *rsa.PrivateKey
	for b, rest := pem.Decode(keyPEM); b != nil; b, rest = pem.Decode(rest) {
		switch b.Type {
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrCertificate, err)
			}
			key = k
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrCertificate, err)
			}
			rk, ok := k.(*rsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("%w: the key is not RSA (Entra ID client assertions are RS256/PS256)", ErrCertificate)
			}
			key = rk
		}
		if key != nil {
			break
		}
	}
	if key == nil {
		return nil, fmt.Errorf("%w: no PEM private key block", ErrCertificate)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || pub.N.Cmp(key.N) != 0 {
		return nil, fmt.Errorf("%w: the private key does not match the certificate", ErrCertificate)
	}
	return &Certificate{Cert: cert, Key: key}, nil
}

// Thumbprint returns the certificate's SHA-1 thumbprint in hex (what the
// Entra ID portal shows) for logs and documentation.
func (c *Certificate) Thumbprint() string {
	h := sha1.Sum(c.Cert.Raw)
	return hex.EncodeToString(h[:])
}

// assertionLifetime is how long a signed client assertion is valid.
const assertionLifetime = 10 * time.Minute

// clientAssertion signs the JWT that authenticates Plume to the token
// endpoint (RFC 7523): issuer and subject are the client id, the audience is
// the token endpoint, and the x5t headers name the certificate.
func (c *Certificate) clientAssertion(clientID, tokenEndpoint string, now time.Time) (string, error) {
	s1 := sha1.Sum(c.Cert.Raw)
	s256 := sha256.Sum256(c.Cert.Raw)
	opts := (&jose.SignerOptions{}).WithType("JWT").
		WithHeader("x5t", base64.RawURLEncoding.EncodeToString(s1[:])).
		WithHeader("x5t#S256", base64.RawURLEncoding.EncodeToString(s256[:]))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: c.Key}, opts)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	claims := jwt.Claims{
		Issuer:    clientID,
		Subject:   clientID,
		Audience:  jwt.Audience{tokenEndpoint},
		ID:        hex.EncodeToString(id),
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		Expiry:    jwt.NewNumericDate(now.Add(assertionLifetime)),
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrCertificate, err)
	}
	return tok, nil
}
