package mail

import (
	"crypto/sha256"
	"encoding/hex"
)

// Caller is the verified identity a request runs for. The IMAP login is
// always derived from it, never from request input.
type Caller struct {
	// ID is the verified principal: the token's issuer and its stable
	// subject ("https://idp/realms/x|8f3c…"), "static|USER" or "demo|USER".
	// Two principals never share an ID, even when their User strings are
	// equal (two issuers, or a static token beside an issuer).
	ID string
	// User is the mailbox login name (e.g. "jdupont" or "jdupont@pref.gouv.fr").
	User string
	// Email is the user's address; OAUTHBEARER and XOAUTH2 send it when set,
	// User otherwise.
	Email string
	// Token is the user's bearer token, for OAUTHBEARER and XOAUTH2.
	Token string
}

// Key is what per-caller state (pooled connections, rate limits) is kept
// under: the principal and the mailbox it reads. Two principals with the
// same User string get different keys.
func (c Caller) Key() string { return c.ID + "\x00" + c.User }

// TokenKey is Key plus a hash of the bearer token, for state that the
// token itself opened (a connection authenticated with OAUTHBEARER or
// XOAUTH2 is never lent to a request carrying another token).
func (c Caller) TokenKey() string {
	sum := sha256.Sum256([]byte(c.Token))
	return c.Key() + "\x00" + hex.EncodeToString(sum[:8])
}
