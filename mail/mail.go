// Package mail is Plume's mail model: threads, messages, addresses and
// attachments, parsed from raw MIME and cleaned for the assistant.
//
// # Model
//
// A [Thread] holds [Message] values ordered by date. Each message's text is
// split into what it adds ([Message.New]), the history it quotes
// ([Message.Quoted]) and its [Message.Signature]. Attachments are described by
// [Attachment]; their bytes are read on demand.
//
// # Sources
//
// Messages come from raw MIME ([Parse]), from an IMAP server (package mail/imap)
// or, in package graph, from Microsoft Graph. Every source returns the same
// model.
//
// # Limits
//
// Parsing never panics on hostile input. Size, part count and nesting depth
// are capped by [Limits]; past a cap the error wraps [ErrTooLarge].
package mail

import (
	"errors"
	"time"
)

// Sentinel errors of package mail. Callers branch with errors.Is.
var (
	// ErrTooLarge reports that a message passed one of the configured limits.
	ErrTooLarge = errors.New("mail: message exceeds a limit")
	// ErrMalformed reports input that is not a mail message at all.
	ErrMalformed = errors.New("mail: malformed message")
	// ErrNotFound reports that the asked message is not in the mailbox.
	ErrNotFound = errors.New("mail: message not found")
	// ErrAuth reports that the mail server refused the credentials.
	ErrAuth = errors.New("mail: authentication failed")
	// ErrUnavailable reports that the mail server cannot be reached.
	ErrUnavailable = errors.New("mail: server unavailable")
	// ErrTimeout reports that the mail server did not answer in time.
	ErrTimeout = errors.New("mail: server timed out")
	// ErrStillWorking reports that the request's time ran out while the
	// mail server was still answering (searching or indexing a large
	// folder, sending progress): retrying later usually succeeds.
	ErrStillWorking = errors.New("mail: server still working when the request's time ran out")
	// ErrNoAttachment reports that the asked attachment does not exist.
	ErrNoAttachment = errors.New("mail: attachment not found")
)

// Address is one mailbox with its decoded display name.
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// String formats the address as `Name <addr>` or `addr`.
func (a Address) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// Attachment describes one attachment; its bytes are fetched on demand.
type Attachment struct {
	// Name is the decoded file name.
	Name string `json:"name"`
	// MediaType is the lower-case MIME type, e.g. "application/pdf".
	MediaType string `json:"mediaType"`
	// Size is the decoded size in bytes when known, else the encoded size.
	Size int64 `json:"size"`
	// PartPath is the IMAP-style part path, e.g. "2" or "1.3".
	PartPath string `json:"partPath"`
	// ContentID is the Content-ID without angle brackets.
	ContentID string `json:"contentId,omitempty"`
	// Inline is true for parts with Content-Disposition inline (e.g. images in HTML).
	Inline bool `json:"inline"`
	// ID is a source-specific identifier (Graph attachment id); empty for MIME.
	ID string `json:"id,omitempty"`
}

// Marking is a protection marking found on a message, e.g. DIFFUSION RESTREINTE.
type Marking struct {
	// Label is the canonical marking, e.g. "DIFFUSION RESTREINTE".
	Label string `json:"label"`
	// Where tells where it was found: "subject", "header:X-Classification", "body", "attachment:NAME".
	Where string `json:"where"`
}

// Security tells whether a message is signed or encrypted.
type Security struct {
	SMIMESigned    bool `json:"smimeSigned,omitempty"`
	SMIMEEncrypted bool `json:"smimeEncrypted,omitempty"`
	PGPSigned      bool `json:"pgpSigned,omitempty"`
	PGPEncrypted   bool `json:"pgpEncrypted,omitempty"`
}

// Encrypted reports whether the content is encrypted (S/MIME or PGP).
func (s Security) Encrypted() bool { return s.SMIMEEncrypted || s.PGPEncrypted }

// Forward describes content forwarded inside a message.
type Forward struct {
	From    string `json:"from,omitempty"`
	Date    string `json:"date,omitempty"`
	Subject string `json:"subject,omitempty"`
}

// Cleaning counts what HTML cleaning dropped from a message.
type Cleaning struct {
	HiddenElements int `json:"hiddenElements"`
	TrackingImages int `json:"trackingImages"`
	Scripts        int `json:"scripts"`
	// Warnings are human-readable notes, e.g. an unknown charset decoded best-effort.
	Warnings []string `json:"warnings,omitempty"`
}

// Message is one parsed and cleaned mail message.
type Message struct {
	MessageID  string    `json:"messageId"`
	InReplyTo  []string  `json:"inReplyTo,omitempty"`
	References []string  `json:"references,omitempty"`
	From       []Address `json:"from,omitempty"`
	To         []Address `json:"to,omitempty"`
	Cc         []Address `json:"cc,omitempty"`
	ReplyTo    []Address `json:"replyTo,omitempty"`
	// Date is the parsed Date header; zero when unparseable (see RawDate).
	Date    time.Time `json:"date"`
	RawDate string    `json:"rawDate,omitempty"`
	Subject string    `json:"subject"`
	// NormSubject is Subject without Re:/TR:/Fwd: prefixes, for threading.
	NormSubject string `json:"normalizedSubject"`
	// Headers holds selected raw headers (classification headers and the like), decoded.
	Headers map[string]string `json:"headers,omitempty"`

	// Text is the whole cleaned body text.
	Text string `json:"text"`
	// New is what this message adds to the thread.
	New string `json:"new"`
	// Quoted is history quoted from earlier messages.
	Quoted string `json:"quoted"`
	// Signature is the sender's signature and disclaimers.
	Signature string `json:"signature"`
	// Forwarded is set when New holds forwarded content.
	Forwarded *Forward `json:"forwarded,omitempty"`

	Attachments []Attachment `json:"attachments"`
	Security    Security     `json:"security"`
	Cleaning    Cleaning     `json:"cleaning"`

	// Folder and UID locate the message on an IMAP server; empty otherwise.
	Folder string `json:"folder,omitempty"`
	UID    uint32 `json:"uid,omitempty"`
	// SourceID is a source-specific id (Graph message id).
	SourceID string `json:"sourceId,omitempty"`
}

// Thread is a conversation: messages ordered by date, oldest first.
type Thread struct {
	Messages []*Message `json:"messages"`
	// Omitted counts messages left out by the thread size cap (oldest first).
	Omitted int `json:"omitted,omitempty"`
	// Notes are plain statements about what was left out or could not be read.
	Notes []string `json:"notes,omitempty"`
}

// Latest returns the newest message, or nil for an empty thread.
func (t *Thread) Latest() *Message {
	if t == nil || len(t.Messages) == 0 {
		return nil
	}
	return t.Messages[len(t.Messages)-1]
}
