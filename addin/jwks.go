package addin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// jwksRefetchEvery bounds how often a token signed with a key id the
// issuer's key set does not hold may make Plume fetch that key set again.
// Without it every forged token with a fresh "kid" costs one JWKS request
// to the identity provider.
const jwksRefetchEvery = time.Minute

// limitedKeySet verifies signatures with a remote key set, letting an
// unknown key id through to it (which refetches the keys) at most once per
// jwksRefetchEvery; key ids that verified once are known.
type limitedKeySet struct {
	keys oidc.KeySet
	now  func() time.Time

	mu        sync.Mutex
	known     map[string]bool
	primed    bool      // the first load of the key set has been asked
	lastFetch time.Time // the last refetch an unknown key id caused
}

var _ oidc.KeySet = (*limitedKeySet)(nil)

func newLimitedKeySet(keys oidc.KeySet, now func() time.Time) *limitedKeySet {
	return &limitedKeySet{keys: keys, now: now, known: map[string]bool{}}
}

// VerifySignature checks jwt's signature and returns its payload.
func (k *limitedKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	kid := keyID(jwt)
	k.mu.Lock()
	switch {
	case k.known[kid]:
	case !k.primed:
		k.primed = true // the first load is not a refetch
	case !k.lastFetch.IsZero() && k.now().Sub(k.lastFetch) < jwksRefetchEvery:
		k.mu.Unlock()
		return nil, fmt.Errorf("%w: unknown signing key %q (key set fetched less than %s ago)", ErrBadToken, kid, jwksRefetchEvery)
	default:
		k.lastFetch = k.now()
	}
	k.mu.Unlock()
	payload, err := k.keys.VerifySignature(ctx, jwt)
	if err == nil {
		k.mu.Lock()
		if len(k.known) < 64 {
			k.known[kid] = true
		}
		k.mu.Unlock()
	}
	return payload, err
}

// keyID is the "kid" of a compact JWS header, "" when absent or unreadable.
func keyID(jwt string) string {
	head, _, _ := strings.Cut(jwt, ".")
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		KID string `json:"kid"`
	}
	_ = json.Unmarshal(b, &h)
	return h.KID
}
