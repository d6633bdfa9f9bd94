package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// tokenCache exchanges the caller's token on-behalf-of for a Graph token and
// keeps it per user until shortly before it expires.
type tokenCache struct {
	opts Options
	mu   sync.Mutex
	byID map[string]cachedToken
}

type cachedToken struct {
	token   string
	expires time.Time
	// assertion is a hash of the user token it was obtained with: a new
	// session's token re-validates through the exchange.
	assertion string
}

// expirySkew renews tokens this long before they expire.
const expirySkew = 2 * time.Minute

func newTokenCache(o Options) *tokenCache {
	return &tokenCache{opts: o, byID: map[string]cachedToken{}}
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:8])
}

// token returns a Graph access token for user, exchanging userToken when
// needed. The cache key is the verified user id, never request input.
func (c *tokenCache) token(ctx context.Context, user, userToken string) (string, error) {
	if userToken == "" {
		return "", fmt.Errorf("%w: the caller has no token to exchange", ErrTokenExchange)
	}
	now := c.opts.Now()
	c.mu.Lock()
	ct, ok := c.byID[user]
	c.mu.Unlock()
	if ok && ct.assertion == hashToken(userToken) && now.Add(expirySkew).Before(ct.expires) {
		return ct.token, nil
	}
	tok, exp, err := c.exchange(ctx, userToken)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.byID[user] = cachedToken{token: tok, expires: now.Add(exp), assertion: hashToken(userToken)}
	c.mu.Unlock()
	return tok, nil
}

// exchange runs the OAuth 2.0 on-behalf-of flow against the tenant's token endpoint.
func (c *tokenCache) exchange(ctx context.Context, userToken string) (string, time.Duration, error) {
	o := c.opts
	endpoint := strings.TrimRight(o.Authority, "/") + "/" + url.PathEscape(o.TenantID) + "/oauth2/v2.0/token"
	form := url.Values{
		"grant_type":          {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"client_id":           {o.ClientID},
		"assertion":           {userToken},
		"scope":               {strings.Join(o.Scopes, " ")},
		"requested_token_use": {"on_behalf_of"},
	}
	if o.Certificate != nil {
		ca, err := o.Certificate.clientAssertion(o.ClientID, endpoint, o.Now())
		if err != nil {
			return "", 0, fmt.Errorf("%w: %w", ErrTokenExchange, err)
		}
		form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		form.Set("client_assertion", ca)
	} else {
		form.Set("client_secret", o.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrTokenExchange, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrTokenExchange, unavailable(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrTokenExchange, unavailable(err))
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		return "", 0, fmt.Errorf("%w: token endpoint answered %d with no JSON", ErrTokenExchange, resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		// error codes such as invalid_grant or interaction_required are safe to log.
		return "", 0, fmt.Errorf("%w: %s (status %d): %w", ErrTokenExchange, tr.Error, resp.StatusCode, authFailed)
	}
	if tr.ExpiresIn <= 0 {
		tr.ExpiresIn = 300
	}
	return tr.AccessToken, time.Duration(tr.ExpiresIn) * time.Second, nil
}
