// Package graph reads mail threads from Microsoft Graph (Exchange Online,
// Microsoft 365) and returns the same [mail.Thread] as the IMAP source, so the
// Outlook task pane works where Plume has no IMAP access.
//
// # Client
//
// The client is a trimmed Kiota client: request builders and parsable models
// for the few endpoints Plume reads, on kiota-abstractions-go,
// kiota-http-go and kiota-serialization-json-go (msgraph-sdk-go is far too
// heavy to build here). It only reads: Plume never sends, moves or deletes
// mail.
//
//   - GET /me/messages/{id} with $select (uniqueBody, body, headers, …)
//   - GET /me/messages?$filter=conversationId eq '…' (no $orderby: Graph
//     answers InefficientFilter for that pair; sorted locally, nextLink followed)
//   - GET /me/messages/{id}/attachments and /attachments/{id}
//   - GET /me/messages/{id}/$value (MIME)
//
// # Authentication
//
// The panel's token for Plume is exchanged on-behalf-of for a Graph token of
// the same user (Mail.Read), cached per user until it expires. Requests go to
// /me: the mailbox read is always the caller's own.
//
// # Throttling
//
// 429 and 503 answers are retried honouring Retry-After (kiota's retry
// handler) within a bounded total wait; at most four requests per mailbox
// run at once, as Graph allows.
//
// # Example
//
//	src, err := graph.New(graph.Options{TenantID: "…", ClientID: "…", ClientSecret: "…"})
//	t, err := src.Thread(ctx, caller, graphMessageID, conversationID)
package graph

import (
	"errors"
	"net/http"
	"time"
)

// Sentinel errors of package graph; failures also wrap the mail package's
// errors (mail.ErrNotFound, mail.ErrAuth, mail.ErrUnavailable, mail.ErrTimeout).
var (
	// ErrTokenExchange reports that the on-behalf-of exchange failed.
	ErrTokenExchange = errors.New("graph: on-behalf-of token exchange failed")
	// ErrThrottled reports that Graph kept answering 429/503 past the retry budget.
	ErrThrottled = errors.New("graph: throttled")
	// ErrReferenceAttachment reports a link attachment (OneDrive/SharePoint) Plume cannot read.
	ErrReferenceAttachment = errors.New("graph: reference attachment is a link, not a file")
	errReadOnly            = errors.New("graph: models are read-only")
)

// Options configures a Graph source. The zero value needs TenantID, ClientID
// and a client secret or certificate for on-behalf-of; everything else has a default.
type Options struct {
	// BaseURL is Graph's root; default https://graph.microsoft.com/v1.0.
	BaseURL string
	// Authority is the token authority; default https://login.microsoftonline.com.
	Authority string
	// TenantID is the directory (tenant) id or "organizations"; default "organizations".
	TenantID string
	// ClientID is Plume's app registration id (the API the panel's token is for).
	ClientID string
	// ClientSecret authenticates Plume to the token endpoint.
	ClientSecret string
	// Certificate, when set, authenticates Plume with a signed client
	// assertion instead of ClientSecret (Entra ID certificate credentials).
	Certificate *Certificate
	// Scopes asked on-behalf-of; default "https://graph.microsoft.com/Mail.Read".
	Scopes []string
	// HTTPClient is the base client; default a client with a 30 s timeout.
	// Kiota's middleware (retry, redirect, compression) wraps its transport.
	HTTPClient *http.Client
	// MaxConcurrent is the number of requests per mailbox at once; default 4.
	MaxConcurrent int
	// MaxRetries for 429/503/504; default 3.
	MaxRetries int
	// MaxRetryWait bounds the total time waited on Retry-After; default 30 s.
	MaxRetryWait time.Duration
	// MaxMessages caps a thread (newest kept); default 100.
	MaxMessages int
	// PageSize is $top for the conversation listing; default 50.
	PageSize int
	// Now is the clock for token expiry; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.BaseURL == "" {
		o.BaseURL = "https://graph.microsoft.com/v1.0"
	}
	if o.Authority == "" {
		o.Authority = "https://login.microsoftonline.com"
	}
	if o.TenantID == "" {
		o.TenantID = "organizations"
	}
	if len(o.Scopes) == 0 {
		o.Scopes = []string{"https://graph.microsoft.com/Mail.Read"}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 3
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = 30 * time.Second
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = 100
	}
	if o.PageSize <= 0 {
		o.PageSize = 50
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
