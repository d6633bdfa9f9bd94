// Package addin is Plume's HTTP API for the Outlook and Thunderbird panels.
//
// # Requests
//
// Every API route lives under /api/v1 and answers JSON, or a Server-Sent
// Events stream when the client sends "Accept: text/event-stream". A request
// names a message by a reference (IMAP Message-ID, Graph id or the raw MIME
// itself); the server fetches the caller's own thread, checks protection
// markings, pseudonymises personal data, asks the assistant, restores and
// guards the answer, and writes one audit record.
//
// # Errors
//
// Errors are RFC 9457 application/problem+json documents with a stable code
// and a French and an English sentence. Causes go to the log, never to the
// client, and mail content never goes to the log.
//
// # Security
//
// Each API route requires a bearer token: a JWT verified against configured
// OIDC issuers (discovery and JWKS through go-oidc), a static development
// token, or — in demo mode only — nothing, from a loopback address. Requests
// are rate-limited per user, bodies are size-capped, CORS is limited to the
// configured add-in origins and security headers are always set.
//
// # Example
//
//	cfg, err := config.Load("plume.yaml", env)
//	srv, err := addin.New(addin.Options{Config: cfg, Source: imapSource, Assistant: assistant})
//	http.ListenAndServe(cfg.Server.Listen, srv.Routes())
package addin
