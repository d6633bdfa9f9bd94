package graph_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/graph/graphtest"
	"github.com/plume-admin/plume/mail"
)

// fixture starts a fake Graph holding the testdata thread in alice's mailbox
// and one unrelated message in bob's.
func fixture(t *testing.T) (*graphtest.Server, *graph.Source, []string) {
	t.Helper()
	fg := graphtest.New()
	t.Cleanup(fg.Close)
	fg.AddUser("alice@somme.gouv.fr", "api-token-alice")
	fg.AddUser("bob@somme.gouv.fr", "api-token-bob")
	files, _ := filepath.Glob("testdata/*.eml")
	var ids []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		id, err := fg.AddMessage("alice@somme.gouv.fr", raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ids = append(ids, id)
	}
	if _, err := fg.AddMessage("bob@somme.gouv.fr", []byte("Message-ID: <bob-1@x>\r\nFrom: b@x\r\nSubject: autre\r\nDate: Mon, 01 Jun 2026 09:00:00 +0200\r\n\r\nBonjour\r\n")); err != nil {
		t.Fatal(err)
	}
	src, err := graph.New(graph.Options{
		BaseURL: fg.GraphURL(), Authority: fg.URL, TenantID: "contoso",
		ClientID: fg.ClientID, ClientSecret: fg.ClientSecret, MaxRetryWait: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return fg, src, ids
}

var alice = mail.Caller{User: "alice@somme.gouv.fr", Token: "api-token-alice"}

func TestThreadAcrossPages(t *testing.T) {
	fg, src, ids := fixture(t)
	th, err := src.Thread(context.Background(), alice, ids[2], "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range th.Messages {
		got = append(got, m.MessageID)
	}
	want := []string{"demande-1@mairie-exemple.fr", "reponse-2@somme.gouv.fr", "relance-3@mairie-exemple.fr"}
	if !slices.Equal(got, want) {
		t.Fatalf("thread order = %v, want %v", got, want)
	}
	paged := 0
	for _, r := range fg.Requests() {
		if strings.Contains(r, "orderby") {
			t.Errorf("request uses $orderby, which Graph refuses with a conversation filter: %s", r)
		}
		if strings.Contains(r, "skiptoken") {
			paged++
		}
	}
	if paged == 0 {
		t.Errorf("nextLink was not followed (page size 2, 3 messages): %v", fg.Requests())
	}
	reply := th.Messages[1]
	if !strings.Contains(reply.New, "plan de financement signé") || strings.Contains(reply.New, "Nous avons bien déposé") {
		t.Errorf("HTML reply New text = %q: want the new paragraph without the Outlook-quoted history", reply.New)
	}
	if reply.From[0].Address != "claire.martin@somme.gouv.fr" || reply.Subject != "RE: Dossier DETR 2026 - pièces manquantes" {
		t.Errorf("reply headers = %+v %q", reply.From, reply.Subject)
	}
	if !slices.Equal(reply.InReplyTo, []string{"demande-1@mairie-exemple.fr"}) {
		t.Errorf("In-Reply-To = %v", reply.InReplyTo)
	}
	last := th.Latest()
	if len(last.Attachments) != 1 || last.Attachments[0].Name != "devis.eml" || last.Attachments[0].MediaType != "message/rfc822" {
		t.Errorf("attachments of the asked message = %+v", last.Attachments)
	}
	// A second call reuses the cached Graph token.
	if _, err := src.Thread(context.Background(), alice, ids[0], ""); err != nil {
		t.Fatal(err)
	}
	if n := fg.Exchanges(); n != 1 {
		t.Errorf("on-behalf-of exchanges = %d, want 1 (token cached per user)", n)
	}
}

func TestThrottledRequestIsRetried(t *testing.T) {
	fg, src, ids := fixture(t)
	fg.Throttle = 1 // one 429 with Retry-After: 1
	th, err := src.Thread(context.Background(), alice, ids[0], "")
	if err != nil {
		t.Fatalf("a single 429 with Retry-After must be retried: %v", err)
	}
	if len(th.Messages) != 3 {
		t.Errorf("got %d messages", len(th.Messages))
	}
}

func TestThrottleBudgetExhausted(t *testing.T) {
	fg, _, ids := fixture(t)
	src, err := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, ClientSecret: fg.ClientSecret,
		MaxRetryWait: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	fg.Throttle = 100
	_, err = src.Thread(context.Background(), alice, ids[0], "")
	if !errors.Is(err, graph.ErrThrottled) || !errors.Is(err, mail.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrThrottled and mail.ErrUnavailable", err)
	}
}

func TestAttachments(t *testing.T) {
	fg, src, ids := fixture(t)
	th, err := src.Thread(context.Background(), alice, ids[1], "")
	if err != nil {
		t.Fatal(err)
	}
	var pdf mail.Attachment
	for _, m := range th.Messages {
		if m.SourceID == ids[1] {
			pdf = m.Attachments[0]
		}
	}
	desc, data, err := src.Attachment(context.Background(), alice, ids[1], pdf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if desc.Name != "liste-pieces.pdf" || !strings.HasPrefix(string(data), "%PDF-1.4") {
		t.Errorf("file attachment = %+v %q", desc, data[:min(len(data), 10)])
	}
	last := th.Latest()
	_ = last
	th3, _ := src.Thread(context.Background(), alice, ids[2], "")
	item := th3.Latest().Attachments[0]
	desc, data, err = src.Attachment(context.Background(), alice, ids[2], item.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.Parse(data, mail.Limits{})
	if err != nil {
		t.Fatalf("item attachment is not parseable MIME: %v", err)
	}
	if desc.MediaType != "message/rfc822" || !strings.Contains(m.Text, "48 000 euros HT") || m.Subject != "Devis toiture" {
		t.Errorf("item attachment: %+v subject %q text %q", desc, m.Subject, m.Text)
	}
	// The item's own headers come with it (its markings are read as a mail's).
	if m.Headers["X-Classification"] != "NON PROTEGE" {
		t.Errorf("item attachment lost its headers: %v", m.Headers)
	}
	fg.AddReferenceAttachment("alice@somme.gouv.fr", ids[2], "budget.xlsx", "https://contoso.sharepoint.com/budget.xlsx")
	_, _, err = src.Attachment(context.Background(), alice, ids[2], "ref2")
	if !errors.Is(err, graph.ErrReferenceAttachment) {
		t.Errorf("reference attachment err = %v, want ErrReferenceAttachment", err)
	}
	_, _, err = src.Attachment(context.Background(), alice, ids[2], "nope")
	if !errors.Is(err, mail.ErrNoAttachment) {
		t.Errorf("unknown attachment err = %v, want mail.ErrNoAttachment", err)
	}
}

func TestErrors(t *testing.T) {
	fg, src, ids := fixture(t)
	ctx := context.Background()
	if _, err := src.Thread(ctx, alice, "AAMkUnknown", ""); !errors.Is(err, mail.ErrNotFound) {
		t.Errorf("unknown id: %v, want mail.ErrNotFound", err)
	}
	// Bob's token reads Bob's mailbox only: Alice's message is not found there.
	bob := mail.Caller{User: "bob@somme.gouv.fr", Token: "api-token-bob"}
	if _, err := src.Thread(ctx, bob, ids[0], ""); !errors.Is(err, mail.ErrNotFound) {
		t.Errorf("bob reading alice's message: %v, want mail.ErrNotFound", err)
	}
	forged := mail.Caller{User: "alice@somme.gouv.fr", Token: "not-a-token"}
	if _, err := graph.New(graph.Options{}); err != nil {
		t.Fatal(err)
	}
	src2, _ := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, ClientSecret: fg.ClientSecret})
	if _, err := src2.Thread(ctx, forged, ids[0], ""); !errors.Is(err, graph.ErrTokenExchange) || !errors.Is(err, mail.ErrAuth) {
		t.Errorf("forged token: %v, want ErrTokenExchange and mail.ErrAuth", err)
	}
	bad, _ := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, ClientSecret: "wrong"})
	if _, err := bad.Thread(ctx, alice, ids[0], ""); !errors.Is(err, mail.ErrAuth) {
		t.Errorf("wrong client secret: %v, want mail.ErrAuth", err)
	}
	dead, _ := graph.New(graph.Options{BaseURL: "http://127.0.0.1:1/v1.0", Authority: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y"})
	if _, err := dead.Thread(ctx, alice, ids[0], ""); !errors.Is(err, mail.ErrUnavailable) {
		t.Errorf("dead server: %v, want mail.ErrUnavailable", err)
	}
	if _, err := src.Thread(ctx, mail.Caller{}, ids[0], ""); !errors.Is(err, mail.ErrAuth) {
		t.Errorf("no caller: %v, want mail.ErrAuth", err)
	}
}

func TestMIME(t *testing.T) {
	_, src, ids := fixture(t)
	raw, err := src.MIME(context.Background(), alice, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.Parse(raw, mail.Limits{})
	if err != nil || m.MessageID != "demande-1@mairie-exemple.fr" {
		t.Fatalf("MIME: %v %+v", err, m)
	}
}
