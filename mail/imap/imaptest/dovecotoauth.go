package imaptest

// The OAuth2 side of StartDovecot: Dovecot 2.3 checks XOAUTH2 and
// OAUTHBEARER tokens with its oauth2 passdb, which asks an RFC 7662 token
// introspection endpoint. Each instance gets its own endpoint, a real HTTP
// server on 127.0.0.1, which vouches for exactly opts.Token as opts.User.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Dovecot authenticates to the introspection endpoint with HTTP Basic, as
// an OAuth2 resource server does; the endpoint refuses other callers.
const (
	introspectClient = "plume-dovecot"
	introspectSecret = "introspect-secret"
)

// Introspection is one token introspection request Dovecot made to the
// endpoint of StartDovecot. The SASL mechanism and the login name are not
// part of the request: only the token is.
type Introspection struct {
	Token string
	At    time.Time
	// Active is what the endpoint answered: the token was opts.Token.
	Active bool
}

// Introspections returns the token introspection requests Dovecot made so
// far (Dovecot only: nil for mem). A PLAIN or master login makes none; a
// bearer login makes exactly one.
func (s *Server) Introspections() []Introspection {
	if s.introspections == nil {
		return nil
	}
	return s.introspections()
}

// introspector is the endpoint: it answers {"active": true, "username":
// USER} for the one valid token and {"active": false} for any other
// (RFC 7662 section 2.2), and 401 to a caller without the client secret.
type introspector struct {
	user, token string
	now         func() time.Time

	mu  sync.Mutex
	log []Introspection
}

var _ http.Handler = (*introspector)(nil)

// startIntrospector starts the endpoint on 127.0.0.1:0. Its Close is
// registered with t now, so that it runs after the Dovecot instance
// started later has stopped (cleanups run last first).
func startIntrospector(t testing.TB, user, token string) (*introspector, *httptest.Server) {
	t.Helper()
	in := &introspector{user: user, token: token, now: time.Now}
	hs := httptest.NewServer(in)
	t.Cleanup(hs.Close)
	return in, hs
}

// ServeHTTP implements the introspection endpoint for introspection_mode =
// post: a form-encoded POST with the token in "token".
func (in *introspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, secret, ok := r.BasicAuth(); !ok || id != introspectClient || secret != introspectSecret {
		w.Header().Set("WWW-Authenticate", `Basic realm="introspection"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/introspect" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	token := r.PostFormValue("token")
	active := token != "" && token == in.token
	in.mu.Lock()
	in.log = append(in.log, Introspection{Token: token, At: in.now(), Active: active})
	in.mu.Unlock()
	resp := map[string]any{"active": false}
	if active {
		resp = map[string]any{"active": true, "username": in.user, "token_type": "Bearer", "scope": "mail"}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// seen returns a copy of the requests received so far.
func (in *introspector) seen() []Introspection {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Introspection(nil), in.log...)
}

// dovecotOAuth2Config is DIR/dovecot-oauth2.conf.ext, the args file of the
// oauth2 passdb, for the endpoint at baseURL ("http://127.0.0.1:PORT").
// No tokeninfo_url: Dovecot goes straight to introspection. The token is
// valid when the answer has active = true and username equals the login
// name (both lowercased by username_format).
func dovecotOAuth2Config(baseURL string) string {
	u, _ := url.Parse(baseURL)
	u.User = url.UserPassword(introspectClient, introspectSecret)
	u.Path = "/introspect"
	return strings.NewReplacer("URL", u.String()).Replace(`# OAuth2 passdb of plume's private Dovecot (mail/imaptest).
introspection_mode = post
introspection_url = URL
force_introspection = yes
username_attribute = username
username_format = %Lu
active_attribute = active
active_value = true
timeout_msecs = 5000
`)
}
