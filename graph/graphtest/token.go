package graphtest

// This file is the fake on-behalf-of token endpoint and the JSON writers.

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request", "malformed form")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || f.Get("requested_token_use") != "on_behalf_of" {
		tokenError(w, "unsupported_grant_type", "AADSTS70003: the app requested an unsupported grant type")
		return
	}
	if f.Get("client_id") != s.ClientID || !s.clientAuthenticated(r, f) {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
		return
	}
	if !strings.Contains(f.Get("scope"), "Mail.Read") {
		tokenError(w, "invalid_scope", "AADSTS70011: the provided scope is not valid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, ok := s.assertions[f.Get("assertion")]
	if !ok {
		tokenError(w, "invalid_grant", "AADSTS50013: Assertion failed signature validation.")
		return
	}
	s.exchanges++
	h := sha256.Sum256([]byte(fmt.Sprint(user, s.exchanges)))
	tok := "graph-" + hex.EncodeToString(h[:12])
	s.graphTokens[tok] = user
	writeJSON(w, map[string]any{"token_type": "Bearer", "scope": f.Get("scope"), "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}

func tokenError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]any{"error": code, "error_description": desc})
}

func graphError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": message,
		"innerError": map[string]any{"date": "2026-11-27T08:00:00", "request-id": "00000000-0000-0000-0000-000000000000"}}})
}

func writeJSON(w http.ResponseWriter, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	}
	json.NewEncoder(w).Encode(v)
}

// clientAuthenticated checks the client secret, or, when ClientCertificate
// is set, the RS256 client assertion signed with its key (RFC 7523): issuer
// and subject the client id, audience this token endpoint, not expired, and
// the x5t header naming the certificate.
func (s *Server) clientAuthenticated(r *http.Request, f url.Values) bool {
	if s.ClientCertificate == nil {
		return f.Get("client_secret") == s.ClientSecret && s.ClientSecret != ""
	}
	if f.Get("client_secret") != "" || f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return false
	}
	tok, err := jwt.ParseSigned(f.Get("client_assertion"), []jose.SignatureAlgorithm{jose.RS256, jose.PS256})
	if err != nil || len(tok.Headers) != 1 {
		return false
	}
	sum := sha1.Sum(s.ClientCertificate.Raw)
	if tok.Headers[0].ExtraHeaders["x5t"] != base64.RawURLEncoding.EncodeToString(sum[:]) {
		return false
	}
	var c jwt.Claims
	if err := tok.Claims(s.ClientCertificate.PublicKey, &c); err != nil {
		return false
	}
	err = c.ValidateWithLeeway(jwt.Expected{Issuer: s.ClientID, Subject: s.ClientID,
		AnyAudience: jwt.Audience{s.URL + r.URL.Path}, Time: time.Now()}, time.Minute)
	return err == nil && c.ID != ""
}
