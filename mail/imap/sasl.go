package imap

// SASL clients that send a user's bearer token: XOAUTH2 (Google, Exchange
// Online, which offers only this one) and RFC 7628 OAUTHBEARER. go-sasl has
// an OAUTHBEARER client, but it aborts on the server's error challenge
// without answering it, which leaves the IMAP command hanging; both
// mechanisms here answer the challenge as their specifications require and
// keep the server's reason for the error message.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

// ErrOAuth is the reason a server gave for refusing a bearer token.
var ErrOAuth = errors.New("mail: bearer token refused")

// OAuthError is the JSON error a server sends as a SASL challenge when it
// refuses a bearer token (XOAUTH2 and OAUTHBEARER share the format).
type OAuthError struct {
	Status  string `json:"status"`
	Schemes string `json:"schemes,omitempty"`
	Scope   string `json:"scope,omitempty"`
}

// Error implements error without the token or any other secret.
func (e *OAuthError) Error() string {
	s := "mail: bearer token refused (status " + e.Status
	if e.Scope != "" {
		s += ", scope " + e.Scope
	}
	return s + ")"
}

// Unwrap lets errors.Is(err, ErrOAuth) match.
func (e *OAuthError) Unwrap() error { return ErrOAuth }

// ParseOAuthChallenge decodes a server's error challenge. Unreadable input
// still yields an error value that wraps ErrOAuth.
func ParseOAuthChallenge(challenge []byte) *OAuthError {
	var e OAuthError
	if err := json.Unmarshal(challenge, &e); err != nil || e.Status == "" {
		return &OAuthError{Status: "unknown"}
	}
	e.Status = saslClip(e.Status, 64)
	e.Schemes = saslClip(e.Schemes, 64)
	e.Scope = saslClip(e.Scope, 256)
	if e.Status == "" {
		e.Status = "unknown"
	}
	return &e
}

func saslClip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// XOAuth2Response returns the XOAUTH2 initial client response for user and
// token: "user=USER^Aauth=Bearer TOKEN^A^A".
func XOAuth2Response(user, token string) []byte {
	return []byte("user=" + user + "\x01auth=Bearer " + token + "\x01\x01")
}

// OAuthBearerResponse returns the RFC 7628 initial client response
// ("n,a=USER,^Aauth=Bearer TOKEN^A^A").
func OAuthBearerResponse(user, token string) []byte {
	authzid := ""
	if user != "" {
		// RFC 5801 saslname: "," and "=" are escaped.
		authzid = "a=" + strings.NewReplacer("=", "=3D", ",", "=2C").Replace(user)
	}
	return []byte("n," + authzid + ",\x01auth=Bearer " + token + "\x01\x01")
}

// oauthClient is a sasl.Client for XOAUTH2 or OAUTHBEARER.
type oauthClient struct {
	mech    string
	initial []byte
	// failure is the server's reason, set when it sent an error challenge.
	failure *OAuthError
}

var _ sasl.Client = (*oauthClient)(nil)

func newXOAuth2Client(user, token string) *oauthClient {
	return &oauthClient{mech: MechXOAuth2, initial: XOAuth2Response(user, token)}
}

func newOAuthBearerClient(user, token string) *oauthClient {
	return &oauthClient{mech: MechOAuthBearer, initial: OAuthBearerResponse(user, token)}
}

// Start implements sasl.Client.
func (c *oauthClient) Start() (string, []byte, error) {
	return c.mech, c.initial, nil
}

// Next implements sasl.Client: any challenge after the initial response is
// an error report, answered with an empty response (XOAUTH2) or %x01
// (OAUTHBEARER) so that the server ends the exchange with NO.
func (c *oauthClient) Next(challenge []byte) ([]byte, error) {
	if c.failure != nil {
		return nil, fmt.Errorf("%w: unexpected second challenge", c.failure)
	}
	c.failure = ParseOAuthChallenge(challenge)
	if c.mech == MechOAuthBearer {
		return []byte{0x01}, nil
	}
	return []byte{}, nil
}
