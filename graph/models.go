package graph

import (
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
)

// The models below are the trimmed subset of Microsoft Graph's message,
// attachment and error types that Plume reads. They implement kiota's
// serialization.Parsable so the kiota request adapter can parse them.

// EmailAddress is Graph's emailAddress: a display name and an address.
type EmailAddress struct {
	Name    string
	Address string
}

// Recipient is Graph's recipient: a wrapped emailAddress.
type Recipient struct {
	EmailAddress EmailAddress
}

// ItemBody is Graph's itemBody: content and its type ("text" or "html").
type ItemBody struct {
	ContentType string
	Content     string
}

// Header is one of Graph's internetMessageHeaders.
type Header struct {
	Name  string
	Value string
}

// Message is the trimmed Graph message resource.
type Message struct {
	ID                     string
	InternetMessageID      string
	ConversationID         string
	Subject                string
	ReceivedDateTime       *time.Time
	SentDateTime           *time.Time
	From                   *Recipient
	Sender                 *Recipient
	ToRecipients           []Recipient
	CcRecipients           []Recipient
	ReplyTo                []Recipient
	Body                   *ItemBody
	UniqueBody             *ItemBody
	InternetMessageHeaders []Header
	HasAttachments         bool
	ParentFolderID         string
}

// Attachment is the trimmed Graph attachment resource; Kind tells which of
// fileAttachment, itemAttachment and referenceAttachment it is.
type Attachment struct {
	ID           string
	Kind         string // "file", "item", "reference"
	Name         string
	ContentType  string
	Size         int64
	IsInline     bool
	ContentID    string
	ContentBytes []byte
	// Item is the attached Outlook item, for itemAttachment with $expand.
	Item *Message
	// SourceURL is the link of a referenceAttachment, which Plume cannot read.
	SourceURL string
}

// ODataError is Graph's error body, {"error": {"code", "message"}}.
type ODataError struct {
	Status  int
	Code    string
	Message string
	headers *abs.ResponseHeaders
}

// Error implements error; the message is Graph's, never mail content.
func (e *ODataError) Error() string {
	return "graph: " + e.Code + ": " + e.Message
}

// --- kiota plumbing ---

func str(n serialization.ParseNode, dst *string) error {
	v, err := n.GetStringValue()
	if err == nil && v != nil {
		*dst = *v
	}
	return err
}

func (a *EmailAddress) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"name":    func(n serialization.ParseNode) error { return str(n, &a.Name) },
		"address": func(n serialization.ParseNode) error { return str(n, &a.Address) },
	}
}

// Serialize is not used: Plume never writes to Graph.
func (a *EmailAddress) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func (r *Recipient) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"emailAddress": func(n serialization.ParseNode) error {
			v, err := n.GetObjectValue(func(serialization.ParseNode) (serialization.Parsable, error) { return &EmailAddress{}, nil })
			if err == nil && v != nil {
				r.EmailAddress = *v.(*EmailAddress)
			}
			return err
		},
	}
}

// Serialize is not used: Plume never writes to Graph.
func (r *Recipient) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func (b *ItemBody) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"contentType": func(n serialization.ParseNode) error { return str(n, &b.ContentType) },
		"content":     func(n serialization.ParseNode) error { return str(n, &b.Content) },
	}
}

// Serialize is not used: Plume never writes to Graph.
func (b *ItemBody) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func (h *Header) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"name":  func(n serialization.ParseNode) error { return str(n, &h.Name) },
		"value": func(n serialization.ParseNode) error { return str(n, &h.Value) },
	}
}

// Serialize is not used: Plume never writes to Graph.
func (h *Header) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func newRecipient(serialization.ParseNode) (serialization.Parsable, error) { return &Recipient{}, nil }
func newBody(serialization.ParseNode) (serialization.Parsable, error)      { return &ItemBody{}, nil }
func newHeader(serialization.ParseNode) (serialization.Parsable, error)    { return &Header{}, nil }
func newMessage(serialization.ParseNode) (serialization.Parsable, error)   { return &Message{}, nil }

func recipients(n serialization.ParseNode, dst *[]Recipient) error {
	vs, err := n.GetCollectionOfObjectValues(newRecipient)
	for _, v := range vs {
		if r, ok := v.(*Recipient); ok {
			*dst = append(*dst, *r)
		}
	}
	return err
}

func recipient(n serialization.ParseNode, dst **Recipient) error {
	v, err := n.GetObjectValue(newRecipient)
	if err == nil && v != nil {
		*dst = v.(*Recipient)
	}
	return err
}

func body(n serialization.ParseNode, dst **ItemBody) error {
	v, err := n.GetObjectValue(newBody)
	if err == nil && v != nil {
		*dst = v.(*ItemBody)
	}
	return err
}

func timeVal(n serialization.ParseNode, dst **time.Time) error {
	v, err := n.GetTimeValue()
	if err == nil {
		*dst = v
	}
	return err
}

func (m *Message) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"id":                func(n serialization.ParseNode) error { return str(n, &m.ID) },
		"internetMessageId": func(n serialization.ParseNode) error { return str(n, &m.InternetMessageID) },
		"conversationId":    func(n serialization.ParseNode) error { return str(n, &m.ConversationID) },
		"subject":           func(n serialization.ParseNode) error { return str(n, &m.Subject) },
		"parentFolderId":    func(n serialization.ParseNode) error { return str(n, &m.ParentFolderID) },
		"receivedDateTime":  func(n serialization.ParseNode) error { return timeVal(n, &m.ReceivedDateTime) },
		"sentDateTime":      func(n serialization.ParseNode) error { return timeVal(n, &m.SentDateTime) },
		"from":              func(n serialization.ParseNode) error { return recipient(n, &m.From) },
		"sender":            func(n serialization.ParseNode) error { return recipient(n, &m.Sender) },
		"toRecipients":      func(n serialization.ParseNode) error { return recipients(n, &m.ToRecipients) },
		"ccRecipients":      func(n serialization.ParseNode) error { return recipients(n, &m.CcRecipients) },
		"replyTo":           func(n serialization.ParseNode) error { return recipients(n, &m.ReplyTo) },
		"body":              func(n serialization.ParseNode) error { return body(n, &m.Body) },
		"uniqueBody":        func(n serialization.ParseNode) error { return body(n, &m.UniqueBody) },
		"hasAttachments": func(n serialization.ParseNode) error {
			v, err := n.GetBoolValue()
			if err == nil && v != nil {
				m.HasAttachments = *v
			}
			return err
		},
		"internetMessageHeaders": func(n serialization.ParseNode) error {
			vs, err := n.GetCollectionOfObjectValues(newHeader)
			for _, v := range vs {
				if h, ok := v.(*Header); ok {
					m.InternetMessageHeaders = append(m.InternetMessageHeaders, *h)
				}
			}
			return err
		},
	}
}

// Serialize is not used: Plume never writes to Graph.
func (m *Message) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func (a *Attachment) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"id":          func(n serialization.ParseNode) error { return str(n, &a.ID) },
		"name":        func(n serialization.ParseNode) error { return str(n, &a.Name) },
		"contentType": func(n serialization.ParseNode) error { return str(n, &a.ContentType) },
		"contentId":   func(n serialization.ParseNode) error { return str(n, &a.ContentID) },
		"sourceUrl":   func(n serialization.ParseNode) error { return str(n, &a.SourceURL) },
		"@odata.type": func(n serialization.ParseNode) error {
			var t string
			err := str(n, &t)
			switch t {
			case "#microsoft.graph.fileAttachment":
				a.Kind = "file"
			case "#microsoft.graph.itemAttachment":
				a.Kind = "item"
			case "#microsoft.graph.referenceAttachment":
				a.Kind = "reference"
			}
			return err
		},
		"size": func(n serialization.ParseNode) error {
			v, err := n.GetInt64Value()
			if err == nil && v != nil {
				a.Size = *v
			}
			return err
		},
		"isInline": func(n serialization.ParseNode) error {
			v, err := n.GetBoolValue()
			if err == nil && v != nil {
				a.IsInline = *v
			}
			return err
		},
		"contentBytes": func(n serialization.ParseNode) error {
			v, err := n.GetByteArrayValue()
			if err == nil {
				a.ContentBytes = v
			}
			return err
		},
		"item": func(n serialization.ParseNode) error {
			v, err := n.GetObjectValue(newMessage)
			if err == nil && v != nil {
				a.Item = v.(*Message)
			}
			return err
		},
	}
}

// Serialize is not used: Plume never writes to Graph.
func (a *Attachment) Serialize(serialization.SerializationWriter) error { return errReadOnly }

func newAttachment(serialization.ParseNode) (serialization.Parsable, error) {
	return &Attachment{}, nil
}

// collection is a Graph collection response of T.
type collection[T serialization.Parsable] struct {
	ctor     serialization.ParsableFactory
	Value    []T
	NextLink string
}

func (c *collection[T]) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"@odata.nextLink": func(n serialization.ParseNode) error { return str(n, &c.NextLink) },
		"value": func(n serialization.ParseNode) error {
			vs, err := n.GetCollectionOfObjectValues(c.ctor)
			for _, v := range vs {
				if t, ok := v.(T); ok {
					c.Value = append(c.Value, t)
				}
			}
			return err
		},
	}
}

// Serialize is not used: Plume never writes to Graph.
func (c *collection[T]) Serialize(serialization.SerializationWriter) error { return errReadOnly }

// GetFieldDeserializers parses Graph's {"error": {"code", "message"}}.
func (e *ODataError) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"error": func(n serialization.ParseNode) error {
			_, err := n.GetObjectValue(func(serialization.ParseNode) (serialization.Parsable, error) { return &odataErrorInner{e: e}, nil })
			return err
		},
	}
}

// Serialize is not used: Plume never writes to Graph.
func (e *ODataError) Serialize(serialization.SerializationWriter) error { return errReadOnly }

// SetStatusCode records the HTTP status (kiota's ApiErrorable).
func (e *ODataError) SetStatusCode(code int) { e.Status = code }

// GetStatusCode returns the HTTP status (kiota's ApiErrorable).
func (e *ODataError) GetStatusCode() int { return e.Status }

// SetResponseHeaders keeps Retry-After (kiota's ApiErrorable).
func (e *ODataError) SetResponseHeaders(h *abs.ResponseHeaders) { e.headers = h }

// GetResponseHeaders returns the response headers (kiota's ApiErrorable).
func (e *ODataError) GetResponseHeaders() *abs.ResponseHeaders { return e.headers }

func newODataError(serialization.ParseNode) (serialization.Parsable, error) {
	return &ODataError{}, nil
}

// errorMapping makes kiota parse every 4xx/5xx body as an ODataError.
var errorMapping = abs.ErrorMappings{"XXX": newODataError}

type odataErrorInner struct{ e *ODataError }

func (o *odataErrorInner) GetFieldDeserializers() map[string]func(serialization.ParseNode) error {
	return map[string]func(serialization.ParseNode) error{
		"code":    func(n serialization.ParseNode) error { return str(n, &o.e.Code) },
		"message": func(n serialization.ParseNode) error { return str(n, &o.e.Message) },
	}
}

// Serialize is not used.
func (o *odataErrorInner) Serialize(serialization.SerializationWriter) error { return errReadOnly }
