package graphtest

// This file turns raw MIME into Graph message and attachment resources.

import (
	"bytes"
	"fmt"
	gomail "github.com/emersion/go-message/mail"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message"
)

func addr(a *gomail.Address) map[string]any {
	return map[string]any{"emailAddress": map[string]any{"name": a.Name, "address": a.Address}}
}

func addrs(as []*gomail.Address) []any {
	out := []any{}
	for _, a := range as {
		out = append(out, addr(a))
	}
	return out
}

func fromMIME(raw []byte) (*msg, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, err
	}
	h := gomail.Header{Header: e.Header}
	mid, _ := h.MessageID()
	subject, _ := h.Subject()
	date, _ := h.Date()
	from, _ := h.AddressList("From")
	to, _ := h.AddressList("To")
	cc, _ := h.AddressList("Cc")
	refs, _ := h.MsgIDList("References")
	irt, _ := h.MsgIDList("In-Reply-To")
	root := mid
	if len(refs) > 0 {
		root = refs[0]
	} else if len(irt) > 0 {
		root = irt[0]
	}
	m := &msg{id: ID(mid), conversationID: ConversationID(root), raw: raw}
	var plain, html string
	var atts []att
	walk(e, &plain, &html, &atts)
	ctype, content := "text", plain
	if html != "" {
		ctype, content = "html", html
	}
	headers := []any{}
	for f := e.Header.Fields(); f.Next(); {
		v, _ := f.Text()
		headers = append(headers, map[string]any{"name": f.Key(), "value": v})
	}
	j := map[string]any{
		"@odata.etag":            "W/\"CQAAABYAAAB\"",
		"id":                     m.id,
		"createdDateTime":        date.UTC().Format(time.RFC3339),
		"receivedDateTime":       date.UTC().Format(time.RFC3339),
		"sentDateTime":           date.UTC().Format(time.RFC3339),
		"hasAttachments":         len(atts) > 0,
		"internetMessageId":      "<" + mid + ">",
		"subject":                subject,
		"bodyPreview":            preview(plain),
		"importance":             "normal",
		"parentFolderId":         "AQMkADAwATM0MDAAMS0yMDkyLWVjMzYtMDACLTAwCgAuAAADjjY",
		"conversationId":         m.conversationID,
		"isRead":                 true,
		"body":                   map[string]any{"contentType": ctype, "content": content},
		"uniqueBody":             map[string]any{"contentType": "text", "content": unique(plain)},
		"internetMessageHeaders": headers,
		"toRecipients":           addrs(to),
		"ccRecipients":           addrs(cc),
		"replyTo":                []any{},
	}
	if len(from) > 0 {
		j["from"] = addr(from[0])
		j["sender"] = addr(from[0])
	}
	m.json = j
	for i := range atts {
		atts[i].id = fmt.Sprintf("AAMkAtt%d", i+1)
	}
	m.atts = atts
	return m, nil
}

func walk(e *message.Entity, plain, html *string, atts *[]att) {
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err != nil {
				return
			}
			walk(p, plain, html, atts)
		}
	}
	ct, params, _ := e.Header.ContentType()
	disp, dparams, _ := e.Header.ContentDisposition()
	body, _ := io.ReadAll(e.Body)
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	switch {
	case ct == "message/rfc822":
		inner, err := fromMIME(body)
		if err == nil {
			*atts = append(*atts, att{kind: "item", name: name, ctype: ct, item: inner.json, data: body})
		}
	case disp == "attachment" || (name != "" && !strings.HasPrefix(ct, "text/")):
		*atts = append(*atts, att{kind: "file", name: name, ctype: ct, data: body, inline: disp == "inline"})
	case ct == "text/plain" && *plain == "":
		*plain = string(body)
	case ct == "text/html" && *html == "":
		*html = string(body)
	}
}

func preview(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 255 {
		return string(r[:255])
	}
	return s
}

// unique approximates Graph's uniqueBody: the text before quoted history.
func unique(plain string) string {
	var out []string
	for _, l := range strings.Split(plain, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") || strings.HasPrefix(t, "De :") || strings.HasPrefix(t, "From:") ||
			strings.HasPrefix(t, "-----") || (strings.HasPrefix(t, "Le ") && strings.HasSuffix(t, "a écrit :")) ||
			(strings.HasPrefix(t, "On ") && strings.HasSuffix(t, "wrote:")) {
			break
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
