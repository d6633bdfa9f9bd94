package graph

import (
	"context"
	"fmt"
	"mime"
	"sort"
	"strings"
	"time"

	"github.com/plume-admin/plume/mail"
)

// Source reads threads and attachments from Microsoft Graph for the caller.
type Source struct {
	opts   Options
	c      *client
	tokens *tokenCache
}

// New returns a Graph source.
func New(opts Options) (*Source, error) {
	o := opts.withDefaults()
	c, err := newClient(o)
	if err != nil {
		return nil, err
	}
	return &Source{opts: o, c: c, tokens: newTokenCache(o)}, nil
}

// authorize exchanges the caller's token and puts the Graph token in ctx.
func (s *Source) authorize(ctx context.Context, c mail.Caller) (context.Context, error) {
	if c.User == "" {
		return nil, fmt.Errorf("%w: no verified caller", mail.ErrAuth)
	}
	tok, err := s.tokens.token(ctx, c.Key(), c.Token)
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, tokenKey{}, tok), nil
}

// Thread returns the conversation holding the message with Graph id id. A
// conversationID from the panel saves one request; it is only a hint, the
// mailbox is always the caller's own (/me).
func (s *Source) Thread(ctx context.Context, c mail.Caller, id, conversationID string) (*mail.Thread, error) {
	ctx, err := s.authorize(ctx, c)
	if err != nil {
		return nil, err
	}
	var asked *Message
	if conversationID == "" || id != "" {
		if asked, err = s.c.GetMessage(ctx, c.User, id); err != nil {
			return nil, err
		}
		conversationID = asked.ConversationID
	}
	gms, truncated, err := s.c.ListConversation(ctx, c.User, conversationID, s.opts.MaxMessages)
	if err != nil {
		return nil, err
	}
	if asked != nil && !containsID(gms, asked.ID) {
		gms = append(gms, asked)
	}
	sort.SliceStable(gms, func(i, j int) bool { return when(gms[i]).Before(when(gms[j])) })
	t := &mail.Thread{}
	if truncated {
		t.Notes = append(t.Notes, "conversation too long: only the first pages were read")
	}
	if len(gms) > s.opts.MaxMessages {
		t.Omitted = len(gms) - s.opts.MaxMessages
		t.Notes = append(t.Notes, fmt.Sprintf("%d older messages left out (thread cap %d)", t.Omitted, s.opts.MaxMessages))
		gms = gms[len(gms)-s.opts.MaxMessages:]
	}
	differ := 0
	for _, gm := range gms {
		m := toMail(gm)
		if crossCheck(m, gm) {
			differ++
		}
		t.Messages = append(t.Messages, m)
	}
	if differ > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("Graph uniqueBody disagreed with the computed new text of %d message(s)", differ))
	}
	if asked != nil && asked.HasAttachments {
		atts, err := s.c.ListAttachments(ctx, c.User, asked.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range t.Messages {
			if m.SourceID == asked.ID {
				m.Attachments = toMailAttachments(atts)
			}
		}
	}
	return t, nil
}

// Attachment returns one attachment's description and bytes. An attached
// Outlook item is returned as its MIME source (every header kept, so its
// markings are read as a mail's); only when Graph cannot give it is it
// rebuilt from the expanded item.
func (s *Source) Attachment(ctx context.Context, c mail.Caller, messageID, attachmentID string) (mail.Attachment, []byte, error) {
	ctx, err := s.authorize(ctx, c)
	if err != nil {
		return mail.Attachment{}, nil, err
	}
	a, err := s.c.GetAttachment(ctx, c.User, messageID, attachmentID, false)
	if err != nil {
		return mail.Attachment{}, nil, fmt.Errorf("%w: %w", mail.ErrNoAttachment, err)
	}
	desc := toMailAttachments([]*Attachment{a})[0]
	switch a.Kind {
	case "reference":
		return desc, nil, fmt.Errorf("%w: %s", ErrReferenceAttachment, a.Name)
	case "item":
		desc.MediaType = "message/rfc822"
		if raw, err := s.c.GetAttachmentMIME(ctx, c.User, messageID, attachmentID); err == nil && len(raw) > 0 {
			return desc, raw, nil
		}
		full, err := s.c.GetAttachment(ctx, c.User, messageID, attachmentID, true)
		if err != nil {
			return desc, nil, err
		}
		if full.Item == nil {
			return desc, nil, fmt.Errorf("%w: attached item could not be expanded", mail.ErrNoAttachment)
		}
		return desc, itemAsMIME(full.Item), nil
	}
	return desc, a.ContentBytes, nil
}

// MIME returns a message's full MIME source, for full-fidelity parsing.
func (s *Source) MIME(ctx context.Context, c mail.Caller, messageID string) ([]byte, error) {
	ctx, err := s.authorize(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.c.GetMIME(ctx, c.User, messageID)
}

func containsID(ms []*Message, id string) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

func when(m *Message) time.Time {
	if m.SentDateTime != nil {
		return *m.SentDateTime
	}
	if m.ReceivedDateTime != nil {
		return *m.ReceivedDateTime
	}
	return time.Time{}
}

func addrs(rs []Recipient) []mail.Address {
	var out []mail.Address
	for _, r := range rs {
		out = append(out, mail.Address{Name: r.EmailAddress.Name, Address: r.EmailAddress.Address})
	}
	return out
}

// toMail converts a Graph message into the mail model, cleaning its body
// with the same code as the IMAP path.
func toMail(gm *Message) *mail.Message {
	m := &mail.Message{
		MessageID: strings.Trim(gm.InternetMessageID, "<>"),
		Subject:   gm.Subject,
		Date:      when(gm),
		To:        addrs(gm.ToRecipients),
		Cc:        addrs(gm.CcRecipients),
		ReplyTo:   addrs(gm.ReplyTo),
		SourceID:  gm.ID,
	}
	m.NormSubject = mail.NormalizeSubject(gm.Subject)
	if gm.From != nil {
		m.From = addrs([]Recipient{*gm.From})
	} else if gm.Sender != nil {
		m.From = addrs([]Recipient{*gm.Sender})
	}
	for _, h := range gm.InternetMessageHeaders {
		switch strings.ToLower(h.Name) {
		case "in-reply-to":
			m.InReplyTo = msgIDs(h.Value)
		case "references":
			m.References = msgIDs(h.Value)
		default:
			if m.Headers == nil {
				m.Headers = map[string]string{}
			}
			m.Headers[h.Name] = h.Value
		}
	}
	if gm.Body != nil {
		if strings.EqualFold(gm.Body.ContentType, "html") {
			m.SetBody("", gm.Body.Content)
		} else {
			m.SetBody(gm.Body.Content, "")
		}
	}
	return m
}

func msgIDs(v string) []string {
	var out []string
	for _, f := range strings.Fields(v) {
		if id := strings.Trim(f, "<>,"); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// crossCheck compares mail's New text with Graph's uniqueBody. When mail
// found nothing new but Graph did, Graph's text is used. It reports whether
// the two disagree.
func crossCheck(m *mail.Message, gm *Message) bool {
	if gm.UniqueBody == nil || strings.TrimSpace(gm.UniqueBody.Content) == "" {
		return false
	}
	unique := gm.UniqueBody.Content
	if strings.EqualFold(gm.UniqueBody.ContentType, "html") {
		unique, _ = mail.HTMLToText(unique)
	}
	if strings.TrimSpace(m.New) == "" {
		m.New = strings.TrimSpace(unique)
		return true
	}
	return overlap(m.New, unique) < 0.5
}

// overlap is the share of a's words found in b.
func overlap(a, b string) float64 {
	words := strings.Fields(strings.ToLower(a))
	if len(words) == 0 {
		return 1
	}
	set := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(b)) {
		set[w] = true
	}
	n := 0
	for _, w := range words {
		if set[w] {
			n++
		}
	}
	return float64(n) / float64(len(words))
}

func toMailAttachments(as []*Attachment) []mail.Attachment {
	var out []mail.Attachment
	for _, a := range as {
		mt := strings.ToLower(a.ContentType)
		if a.Kind == "item" && mt == "" {
			mt = "message/rfc822"
		}
		out = append(out, mail.Attachment{Name: a.Name, MediaType: mt, Size: a.Size, ContentID: a.ContentID, Inline: a.IsInline, ID: a.ID})
	}
	return out
}

// itemAsMIME renders an attached Outlook item as a simple MIME message that
// mail.Parse reads like any attached mail.
func itemAsMIME(it *Message) []byte {
	var b strings.Builder
	from := ""
	if it.From != nil {
		from = mail.Address{Name: it.From.EmailAddress.Name, Address: it.From.EmailAddress.Address}.String()
	}
	fmt.Fprintf(&b, "From: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n", from, mimeWord(it.Subject))
	if !when(it).IsZero() {
		fmt.Fprintf(&b, "Date: %s\r\n", when(it).Format(time.RFC1123Z))
	}
	ct, content := "text/plain", ""
	if it.Body != nil {
		content = it.Body.Content
		if strings.EqualFold(it.Body.ContentType, "html") {
			ct = "text/html"
		}
	}
	fmt.Fprintf(&b, "Content-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s", ct, content)
	return []byte(b.String())
}

// mimeWord encodes a header value as an RFC 2047 word when it is not ASCII.
func mimeWord(s string) string {
	for _, r := range s {
		if r > 127 || r < 32 {
			return mimeQ(s)
		}
	}
	return s
}

func mimeQ(s string) string { return mimeEncoder.Encode("utf-8", s) }

var mimeEncoder = mime.QEncoding
