// Package graphtest is a fake Microsoft Graph for tests: real HTTP, answers
// shaped like the Graph documentation's examples (message resources with
// uniqueBody and internetMessageHeaders, @odata.nextLink paging, file, item
// and reference attachments, $value MIME), its throttling (429 with
// Retry-After), its InefficientFilter refusal of $orderby combined with a
// conversationId filter, and an on-behalf-of token endpoint.
//
// Mailboxes are filled from raw MIME messages, so the same fixtures can be
// served over IMAP and Graph and compared.
package graphtest

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	_ "github.com/emersion/go-message/charset" // non-UTF-8 fixtures
)

// Server is a fake Graph and token endpoint on 127.0.0.1.
type Server struct {
	*httptest.Server
	mu sync.Mutex
	// users maps an API token (the panel's token for Plume) to a user.
	assertions map[string]string
	// graphTokens maps an issued Graph token to a user.
	graphTokens map[string]string
	boxes       map[string][]*msg
	// Throttle answers the next N Graph requests with 429 Retry-After: 1.
	Throttle int
	// PageSize is the page length when $top is absent or larger; default 2.
	PageSize int
	// ClientID and ClientSecret the token endpoint accepts.
	ClientID, ClientSecret string
	// ClientCertificate, when set, makes the token endpoint require a client
	// assertion signed with this certificate's key instead of the secret.
	ClientCertificate *x509.Certificate
	requests          []string
	exchanges         int
}

type msg struct {
	id, conversationID string
	raw                []byte
	json               map[string]any
	atts               []att
}

type att struct {
	id, kind, name, ctype string
	data                  []byte
	inline                bool
	item                  map[string]any
	sourceURL             string
}

// New starts a fake Graph. Close it with Close.
func New() *Server {
	s := &Server{assertions: map[string]string{}, graphTokens: map[string]string{}, boxes: map[string][]*msg{},
		PageSize: 2, ClientID: "plume-client", ClientSecret: "plume-secret"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// GraphURL is the base URL to configure (…/v1.0).
func (s *Server) GraphURL() string { return s.URL + "/v1.0" }

// AddUser registers a user whose panel token is apiToken.
func (s *Server) AddUser(user, apiToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.assertions[apiToken] = user
}

// Requests returns the Graph requests received ("GET /v1.0/me/messages?…").
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Exchanges counts on-behalf-of token exchanges.
func (s *Server) Exchanges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exchanges
}

// ID returns the Graph id the fake gives a Message-ID.
func ID(messageID string) string {
	h := sha256.Sum256([]byte("msg:" + strings.Trim(messageID, "<>")))
	return "AAMk" + base64.RawURLEncoding.EncodeToString(h[:18])
}

// ConversationID returns the conversation id of a thread root Message-ID.
func ConversationID(rootMessageID string) string {
	h := sha256.Sum256([]byte("conv:" + strings.Trim(rootMessageID, "<>")))
	return "AAQk" + base64.RawURLEncoding.EncodeToString(h[:18])
}

// AddMessage files a raw MIME message in user's mailbox and returns its Graph id.
// Attachments become fileAttachments; message/rfc822 parts become itemAttachments.
func (s *Server) AddMessage(user string, raw []byte) (string, error) {
	m, err := fromMIME(raw)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.boxes[user] = append(s.boxes[user], m)
	return m.id, nil
}

// AddReferenceAttachment adds a OneDrive link attachment to a message.
func (s *Server) AddReferenceAttachment(user, graphID, name, link string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.boxes[user] {
		if m.id == graphID {
			m.atts = append(m.atts, att{id: fmt.Sprintf("ref%d", len(m.atts)+1), kind: "reference", name: name, sourceURL: link})
			m.json["hasAttachments"] = true
		}
	}
}
