package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/wire"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/graph/graphtest"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
)

// graphUser and graphToken are the Outlook user of the Graph scenario and
// the token Office SSO gives the panel for Plume's API: Plume accepts it
// (a static development token) and the fake Graph's token endpoint accepts
// it as the on-behalf-of assertion.
const (
	graphUser  = demo.OwnerAddress
	graphToken = "e2e-outlook-sso-token-0123456789"
)

// graphItem is the Outlook item the stub Office.js shows in the Graph
// scenario (window.__plumeItem in panel.mjs), with the server it talks to.
type graphItem struct {
	Base              string            `json:"base"`
	AccessToken       string            `json:"accessToken"`
	ItemID            string            `json:"itemId"`
	RestID            string            `json:"restId"`
	ConversationID    string            `json:"conversationId"`
	InternetMessageID string            `json:"internetMessageId"`
	Subject           string            `json:"subject"`
	Attachments       []graphAttachment `json:"attachments"`
	Contents          map[string]string `json:"contents"`
}

// graphAttachment is one entry of Office's item.attachments.
type graphAttachment struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	ContentType    string `json:"contentType"`
	Size           int    `json:"size"`
	AttachmentType string `json:"attachmentType"`
	IsInline       bool   `json:"isInline"`
}

// graphFixture is the fake Graph holding the demo mailbox and the item the
// Outlook page opens.
type graphFixture struct {
	fg    *graphtest.Server
	model *fakellm.Server
	item  graphItem
}

// startGraphPlume files every demo message in the fake Graph mailbox of
// graphUser and serves Plume configured for Graph only (no IMAP) with its
// own fake model, so the prompts it records are this scenario's alone. The
// Outlook item is the DETR thread's latest message carrying a PDF or ODT.
func startGraphPlume(t *testing.T) graphFixture {
	t.Helper()
	fg := graphtest.New()
	t.Cleanup(fg.Close)
	fg.AddUser(graphUser, graphToken)
	var chosen *mail.Message
	var chosenRaw []byte
	for _, it := range demo.Messages() {
		if _, err := fg.AddMessage(graphUser, it.Raw); err != nil {
			t.Fatalf("graphtest: %s: %v", it.MessageID, err)
		}
		if !strings.HasPrefix(it.MessageID, "<subvention-detr-") {
			continue
		}
		m, err := mail.Parse(it.Raw, mail.Limits{})
		if err != nil {
			t.Fatalf("demo message %s: %v", it.MessageID, err)
		}
		for _, a := range m.Attachments {
			if ext := strings.ToLower(path.Ext(a.Name)); ext == ".pdf" || ext == ".odt" {
				if chosen == nil || m.Date.After(chosen.Date) {
					chosen, chosenRaw = m, it.Raw
				}
			}
		}
	}
	if chosen == nil {
		t.Fatal("the demo DETR thread has no PDF or ODT attachment")
	}
	root := chosen.MessageID
	if len(chosen.References) > 0 {
		root = chosen.References[0]
	}
	item := graphItem{
		AccessToken: graphToken,
		// Office's itemId is an EWS id; convertToRestId turns it into the Graph id.
		ItemID:            "AAMkEWS" + base64.RawURLEncoding.EncodeToString([]byte(chosen.MessageID)),
		RestID:            graphtest.ID(chosen.MessageID),
		ConversationID:    graphtest.ConversationID(root),
		InternetMessageID: chosen.MessageID,
		Subject:           chosen.Subject,
		Contents:          map[string]string{},
	}
	for i, a := range chosen.Attachments {
		if a.Inline {
			continue
		}
		_, data, err := mail.ReadAttachment(chosenRaw, a.PartPath, mail.Limits{})
		if err != nil {
			t.Fatalf("attachment %s: %v", a.Name, err)
		}
		id := fmt.Sprintf("AAMkOfficeAtt%d", i+1)
		item.Attachments = append(item.Attachments, graphAttachment{ID: id, Name: a.Name, ContentType: a.MediaType, Size: len(data), AttachmentType: "file"})
		item.Contents[id] = base64.StdEncoding.EncodeToString(data)
	}

	model := fakellm.New(fakellm.Options{Answer: answer, ChunkRunes: 6})
	t.Cleanup(model.Close)
	cfg := &config.Config{}
	cfg.Auth = config.AuthConfig{StaticTokens: []config.StaticToken{{Token: graphToken, User: graphUser, Email: graphUser}}}
	cfg.Mail.Source = "graph"
	cfg.Mail.Graph = config.GraphConfig{TenantID: "organizations", ClientID: fg.ClientID, ClientSecret: fg.ClientSecret, BaseURL: fg.GraphURL(), Authority: fg.URL}
	cfg.Privacy.AuditPath = "off"
	cfg.LLM.Endpoints = []config.EndpointConfig{{Name: "fake", BaseURL: model.URL(), Model: "fake-model", APIKey: "test-key"}}
	cfg.LLM.Timeout = 10 * time.Second
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeAll() })
	hs := httptest.NewServer(srv.Routes())
	t.Cleanup(hs.Close)
	item.Base = hs.URL
	return graphFixture{fg: fg, model: model, item: item}
}

// graphObserved is what panel.mjs saw in the Outlook-on-Graph scenario.
type graphObserved struct {
	Subject            string
	Sources            []string
	SummaryStreamSteps int
	SummaryText        string
	SummarySections    []string
	AttachmentSummary  string
	OfficeCalls        []struct {
		Fn, HTMLBody, ID, Version string
		ForMSGraphAccess          bool
	}
	APICalls []struct {
		Path, Method, Authorization, ContentType, Body string
	}
}

// check asserts the Outlook-on-Graph scenario end to end: what the panel
// sent, what the fake Graph and its token endpoint received, and what
// reached the model.
func (f graphFixture) check(t *testing.T, got graphObserved) {
	t.Helper()
	it := f.item
	if !strings.Contains(got.Subject, it.Subject) {
		t.Errorf("Outlook item subject %q, want %q", got.Subject, it.Subject)
	}
	if !strings.Contains(strings.Join(got.Sources, ","), "graph") {
		t.Errorf("/me features.sources = %v, want graph", got.Sources)
	}
	if !strings.Contains(got.SummaryText, "subvention DETR 2026") || got.SummaryStreamSteps < 2 {
		t.Errorf("Graph summary: %q after %d streamed steps", got.SummaryText, got.SummaryStreamSteps)
	}
	if strings.Join(got.SummarySections, ",") != "keyPoints,decisions,actionItems,participants" {
		t.Errorf("Graph summary sections = %v", got.SummarySections)
	}
	if !strings.Contains(got.AttachmentSummary, "échéances du dossier") {
		t.Errorf("Graph item attachment summary: %q", got.AttachmentSummary)
	}

	// The panel sent Graph references with Office SSO's token.
	wantRef := map[string]string{"source": "graph", "id": it.RestID, "conversationId": it.ConversationID}
	seen := map[string]bool{}
	for _, c := range got.APICalls {
		if c.Authorization != "Bearer "+graphToken {
			t.Errorf("%s %s sent Authorization %q", c.Method, c.Path, c.Authorization)
		}
		seen[c.Path] = true
		switch c.Path {
		case "/api/v1/thread/summary", "/api/v1/thread/reply":
			var body struct{ Message map[string]string }
			if err := json.Unmarshal([]byte(c.Body), &body); err != nil {
				t.Errorf("%s body %q: %v", c.Path, c.Body, err)
			} else if !equalMaps(body.Message, wantRef) {
				t.Errorf("%s message = %v, want %v", c.Path, body.Message, wantRef)
			}
		case "/api/v1/attachment/summary":
			// The upload names the message carrying the file, so its markings apply.
			var ref map[string]string
			if !strings.HasPrefix(c.ContentType, "multipart/form-data") {
				t.Errorf("attachment summary sent as %q, want an upload", c.ContentType)
			} else if err := json.Unmarshal([]byte(c.Body), &ref); err != nil || !equalMaps(ref, wantRef) {
				t.Errorf("upload message field %q, want %v", c.Body, wantRef)
			}
		}
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/thread/summary", "/api/v1/thread/reply", "/api/v1/attachment/summary"} {
		if !seen[p] {
			t.Errorf("the panel never called %s: %+v", p, got.APICalls)
		}
	}

	var reply, rest, sso, content bool
	for _, c := range got.OfficeCalls {
		switch c.Fn {
		case "displayReplyFormAsync":
			reply = strings.Contains(c.HTMLBody, "<p>") && strings.Contains(c.HTMLBody, "rendez-vous mardi")
		case "convertToRestId":
			rest = c.ID == it.ItemID && c.Version == "v2.0"
		case "getAccessToken":
			sso = !c.ForMSGraphAccess
		case "getAttachmentContentAsync":
			content = len(it.Attachments) > 0 && c.ID == it.Attachments[0].ID
		}
	}
	if !reply || !rest || !sso || !content {
		t.Errorf("Office calls: reply %v, REST id %v, SSO token %v, attachment content %v: %+v", reply, rest, sso, content, got.OfficeCalls)
	}

	// Graph: the message, then its conversation without $orderby, on behalf of the user.
	var gotMessage, gotConversation bool
	for _, r := range f.fg.Requests() {
		u, err := url.ParseRequestURI(strings.TrimPrefix(r, "GET "))
		if err != nil {
			t.Errorf("Graph request %q: %v", r, err)
			continue
		}
		q := u.Query()
		if q.Has("$orderby") {
			t.Errorf("Graph request with $orderby (InefficientFilter with a conversation filter): %s", r)
		}
		switch {
		case u.Path == "/v1.0/me/messages/"+it.RestID:
			gotMessage = true
		case u.Path == "/v1.0/me/messages" && q.Get("$filter") == "conversationId eq '"+it.ConversationID+"'":
			gotConversation = true
		}
	}
	if !gotMessage || !gotConversation {
		t.Errorf("Graph requests: message %v, conversation listing %v: %q", gotMessage, gotConversation, f.fg.Requests())
	}
	// One exchange for the session: the summary makes it, the reply reuses the cached Graph token.
	if n := f.fg.Exchanges(); n != 1 {
		t.Errorf("on-behalf-of exchanges = %d, want 1", n)
	} else {
		t.Logf("Graph: %d requests, %d on-behalf-of exchange(s)", len(f.fg.Requests()), n)
	}

	// The model got the thread read from Graph and the uploaded document's text.
	var prompts strings.Builder
	for _, r := range f.model.Requests() {
		prompts.WriteString(r.Prompt())
	}
	for _, want := range []string{"liste des pièces constitutives", "Liste des pièces à fournir"} {
		if !strings.Contains(prompts.String(), want) {
			t.Errorf("no prompt holds %q (thread from Graph, then the uploaded ODT)", want)
		}
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
