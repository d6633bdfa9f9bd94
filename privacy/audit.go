package privacy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// timeNow is the clock of audit records; tests replace it.
var timeNow = time.Now

// Marking decisions recorded in AuditRecord.Decision.
const (
	DecisionAllowed   = "allowed"   // no marking, or sent to a cleared endpoint
	DecisionRefused   = "refused"   // refused because of a marking
	DecisionEncrypted = "encrypted" // refused because the content is encrypted
)

// AuditRecord is one request as the audit trail keeps it. It has no field
// for content on purpose: no subject, no text, no address, no file name.
type AuditRecord struct {
	// Time is when the request ended; zero means now.
	Time time.Time `json:"time"`
	// User is the caller's identity. The Auditor writes only its salted hash.
	User string `json:"-"`
	// UserHash is filled by the Auditor: hex HMAC-SHA-256 of User keyed by the salt.
	UserHash string `json:"user"`
	// RequestID correlates the record with server logs.
	RequestID string `json:"requestId,omitempty"`
	// Task is what was asked: "summary", "reply", "document", "action:NAME".
	Task string `json:"task"`
	// Source is where the mail came from: "imap", "graph", "raw", "upload".
	Source string `json:"source"`
	// Markings are the labels found (labels only).
	Markings []string `json:"markings,omitempty"`
	// Decision is DecisionAllowed, DecisionRefused or DecisionEncrypted.
	Decision string `json:"decision"`
	// Endpoint and Model name the model the request went to, if any.
	Endpoint string `json:"endpoint,omitempty"`
	Model    string `json:"model,omitempty"`
	// TokensIn and TokensOut count prompt and completion tokens.
	TokensIn  int `json:"tokensIn"`
	TokensOut int `json:"tokensOut"`
	// Pseudonymized counts replaced items by kind (Session.Counts).
	Pseudonymized map[string]int `json:"pseudonymized,omitempty"`
	// HiddenDropped counts hidden HTML elements dropped from the mail.
	HiddenDropped int `json:"hiddenDropped"`
	// Injections counts suspected injected instructions (InjectionCues).
	Injections int `json:"injections,omitempty"`
	// GuardRemoved counts items the output guard removed.
	GuardRemoved int `json:"guardRemoved"`
	// Cached is true when the answer came from the cache.
	Cached bool `json:"cached,omitempty"`
	// Outcome is "ok" or a problem code such as "refused_marking".
	Outcome string `json:"outcome"`
	// DurationMS is how long the request took, in milliseconds.
	DurationMS int64 `json:"durationMs,omitempty"`
}

// Auditor writes audit records as JSON lines. It is safe for concurrent use.
type Auditor struct {
	mu   sync.Mutex
	w    io.Writer
	salt []byte
}

// NewAuditor returns an Auditor writing to w (a file, or os.Stdout). User
// identities are hashed with HMAC-SHA-256 keyed by salt; keep the salt
// secret and stable to link a user's records over time. An empty salt is
// replaced by a random one: records are then linkable only within the
// process lifetime.
func NewAuditor(w io.Writer, salt []byte) *Auditor {
	if len(salt) == 0 {
		salt = make([]byte, 32)
		_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go ≥ 1.24)
	}
	return &Auditor{w: w, salt: append([]byte(nil), salt...)}
}

// HashUser returns the salted hash written for user.
func (a *Auditor) HashUser(user string) string {
	if user == "" {
		return ""
	}
	m := hmac.New(sha256.New, a.salt)
	m.Write([]byte(user))
	return hex.EncodeToString(m.Sum(nil))
}

// Record writes r as one JSON line. A nil Auditor records nothing.
func (a *Auditor) Record(r AuditRecord) error {
	if a == nil || a.w == nil {
		return nil
	}
	if r.Time.IsZero() {
		r.Time = timeNow()
	}
	r.Time = r.Time.UTC()
	r.UserHash = a.HashUser(r.User)
	r.User = ""
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("privacy: audit record: %w", err)
	}
	line = append(line, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.w.Write(line); err != nil {
		return fmt.Errorf("privacy: audit write: %w", err)
	}
	return nil
}
