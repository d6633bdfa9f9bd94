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
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // non-UTF-8 fixtures
	gomail "github.com/emersion/go-message/mail"
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
	requests               []string
	exchanges              int
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

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
		s.token(w, r)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	throttle := s.Throttle > 0
	if throttle {
		s.Throttle--
	}
	user := s.graphTokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	s.mu.Unlock()
	if throttle {
		w.Header().Set("Retry-After", "1")
		graphError(w, http.StatusTooManyRequests, "TooManyRequests", "Application is over its MailboxConcurrency limit.")
		return
	}
	if user == "" {
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	if r.Method != http.MethodGet {
		graphError(w, http.StatusMethodNotAllowed, "ErrorInvalidRequest", "The OData request is not supported.")
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.EscapedPath(), "/v1.0"), "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) < 2 || parts[0] != "me" || parts[1] != "messages" {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
		return
	}
	s.mu.Lock()
	box := s.boxes[user]
	s.mu.Unlock()
	q := r.URL.Query()
	switch len(parts) {
	case 2:
		s.list(w, r, box, q)
	case 3, 4, 5:
		m := find(box, parts[2])
		if m == nil {
			graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
			return
		}
		switch {
		case len(parts) == 3:
			writeJSON(w, project(m.json, q.Get("$select"), r.Header.Get("Prefer")))
		case parts[3] == "$value":
			w.Header().Set("Content-Type", "text/plain")
			w.Write(m.raw)
		case parts[3] == "attachments" && len(parts) == 4:
			vals := []any{}
			for _, a := range m.atts {
				vals = append(vals, attJSON(a, false, false))
			}
			writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('" + user + "')/messages('" + m.id + "')/attachments", "value": vals})
		case parts[3] == "attachments":
			for _, a := range m.atts {
				if a.id == parts[4] {
					writeJSON(w, attJSON(a, true, strings.Contains(q.Get("$expand"), "item")))
					return
				}
			}
			graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
		default:
			graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
		}
	default:
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
	}
}

func find(box []*msg, id string) *msg {
	for _, m := range box {
		if m.id == id {
			return m
		}
	}
	return nil
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, box []*msg, q url.Values) {
	filter := q.Get("$filter")
	if q.Get("$orderby") != "" && strings.Contains(filter, "conversationId") {
		graphError(w, http.StatusBadRequest, "InefficientFilter", "The restriction or sort order is too complex for this operation.")
		return
	}
	var conv string
	if filter != "" {
		if _, err := fmt.Sscanf(filter, "conversationId eq %s", &conv); err != nil {
			graphError(w, http.StatusBadRequest, "BadRequest", "Invalid filter clause")
			return
		}
		conv = strings.ReplaceAll(strings.Trim(conv, "'"), "''", "'")
	}
	var sel []*msg
	for _, m := range box {
		if conv == "" || m.conversationID == conv {
			sel = append(sel, m)
		}
	}
	// Graph pages are not in date order without $orderby: serve newest
	// folder first, as a real mailbox spread over folders does.
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].id > sel[j].id })
	top := s.PageSize
	if t, err := strconv.Atoi(q.Get("$top")); err == nil && t > 0 && t < top {
		top = t
	}
	skip, _ := strconv.Atoi(q.Get("$skiptoken"))
	end := min(skip+top, len(sel))
	vals := []any{}
	for _, m := range sel[min(skip, len(sel)):end] {
		vals = append(vals, project(m.json, q.Get("$select"), r.Header.Get("Prefer")))
	}
	out := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/messages", "value": vals}
	if end < len(sel) {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("$skiptoken", strconv.Itoa(end))
		out["@odata.nextLink"] = s.GraphURL() + "/me/messages?" + nq.Encode()
	}
	writeJSON(w, out)
}

// project applies $select and the Prefer body-content-type header.
func project(j map[string]any, sel, prefer string) map[string]any {
	out := map[string]any{"@odata.etag": j["@odata.etag"], "id": j["id"]}
	fields := strings.Split(sel, ",")
	if sel == "" {
		for k := range j {
			if k != "uniqueBody" && k != "internetMessageHeaders" {
				fields = append(fields, k)
			}
		}
	}
	for _, f := range fields {
		if v, ok := j[strings.TrimSpace(f)]; ok {
			out[strings.TrimSpace(f)] = v
		}
	}
	if strings.Contains(prefer, `outlook.body-content-type="text"`) {
		if b, ok := out["body"].(map[string]any); ok && b["contentType"] == "html" {
			out["body"] = map[string]any{"contentType": "text", "content": j["bodyPreview"]}
		}
	}
	return out
}

func attJSON(a att, withContent, expand bool) map[string]any {
	j := map[string]any{"id": a.id, "name": a.name, "contentType": a.ctype, "size": len(a.data), "isInline": a.inline,
		"lastModifiedDateTime": "2026-06-03T08:00:00Z"}
	switch a.kind {
	case "file":
		j["@odata.type"] = "#microsoft.graph.fileAttachment"
		j["contentId"] = nil
		if withContent {
			j["contentBytes"] = base64.StdEncoding.EncodeToString(a.data)
		}
	case "item":
		j["@odata.type"] = "#microsoft.graph.itemAttachment"
		if expand {
			item := map[string]any{"@odata.type": "#microsoft.graph.message"}
			for k, v := range a.item {
				if k != "uniqueBody" && k != "internetMessageHeaders" {
					item[k] = v
				}
			}
			j["item"] = item
		}
	case "reference":
		j["@odata.type"] = "#microsoft.graph.referenceAttachment"
		j["sourceUrl"] = a.sourceURL
		j["contentType"] = nil
	}
	return j
}

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
	if f.Get("client_id") != s.ClientID || f.Get("client_secret") != s.ClientSecret {
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
