package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/graph/graphtest"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// TestSameThreadOverIMAPAndGraph serves the same messages over IMAP
// (imapmemserver, the reply in Sent) and Graph, and checks both sources
// give equivalent threads: same messages, order, senders and New texts.
func TestSameThreadOverIMAPAndGraph(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.eml")
	var seed []imaptest.Message
	fg := graphtest.New()
	t.Cleanup(fg.Close)
	fg.AddUser("agent", "api-token-agent")
	var lastID string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		folder := imaptest.Inbox
		if strings.Contains(f, "reponse") {
			folder = imaptest.Sent
		}
		seed = append(seed, imaptest.Message{Folder: folder, Raw: imaptest.CRLF(raw)})
		if lastID, err = fg.AddMessage("agent", raw); err != nil {
			t.Fatal(err)
		}
	}
	srv := imaptest.StartMem(t, imaptest.Options{Messages: seed})
	isrc, err := imap.New(imap.Options{
		Addr: srv.Addr, Security: imap.Plain,
		Auth: imap.Auth{Password: func(string) (string, error) { return srv.Password, nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer isrc.Close()
	caller := mail.Caller{User: srv.User, Token: "api-token-agent"}
	viaIMAP, err := isrc.Thread(context.Background(), caller, "relance-3@mairie-exemple.fr")
	if err != nil {
		t.Fatal(err)
	}
	gsrc, err := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, ClientID: fg.ClientID, ClientSecret: fg.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	viaGraph, err := gsrc.Thread(context.Background(), mail.Caller{User: "agent", Token: "api-token-agent"}, lastID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(viaIMAP.Messages) != 3 || len(viaGraph.Messages) != len(viaIMAP.Messages) {
		t.Fatalf("IMAP gave %d messages, Graph %d", len(viaIMAP.Messages), len(viaGraph.Messages))
	}
	for i, im := range viaIMAP.Messages {
		gm := viaGraph.Messages[i]
		if im.MessageID != gm.MessageID || im.Subject != gm.Subject || !im.Date.Equal(gm.Date) {
			t.Errorf("message %d: IMAP %q %q %v, Graph %q %q %v", i, im.MessageID, im.Subject, im.Date, gm.MessageID, gm.Subject, gm.Date)
		}
		if im.From[0].Address != gm.From[0].Address {
			t.Errorf("message %d from: IMAP %v, Graph %v", i, im.From, gm.From)
		}
		if strings.TrimSpace(im.New) != strings.TrimSpace(gm.New) {
			t.Errorf("message %d New text differs:\nIMAP:  %q\nGraph: %q", i, im.New, gm.New)
		}
		if strings.TrimSpace(im.New) == "" {
			t.Errorf("message %d has no New text", i)
		}
	}
}
