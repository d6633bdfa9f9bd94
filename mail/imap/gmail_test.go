package imap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// gmailMessage builds a raw message; inReplyTo also fills References.
func gmailMessage(folder, id, subject, date, inReplyTo, text string) imaptest.Message {
	h := fmt.Sprintf("Message-ID: <%s>\r\nDate: %s\r\nFrom: a@example.fr\r\nTo: b@example.fr\r\nSubject: %s\r\n", id, date, subject)
	if inReplyTo != "" {
		h += fmt.Sprintf("In-Reply-To: <%s>\r\nReferences: <%s>\r\n", inReplyTo, inReplyTo)
	}
	return imaptest.Message{Folder: folder, Raw: []byte(h + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n")}
}

// A conversation across INBOX and Sent, one reply of which (g3, written by
// a client that dropped References and In-Reply-To) Gmail grouped by
// subject; a message in Trash; an unrelated message.
func gmailFixtures(sent string) []imaptest.Message {
	return []imaptest.Message{
		gmailMessage(imaptest.Inbox, "g1@mairie.fr", "Budget 2025", "Mon, 3 Mar 2025 09:00:00 +0100", "", "Voici le budget."),
		gmailMessage(sent, "g2@gmail.com", "Re: Budget 2025", "Mon, 3 Mar 2025 10:00:00 +0100", "g1@mairie.fr", "Merci, je regarde."),
		gmailMessage(imaptest.Inbox, "g3@mairie.fr", "RE: Budget 2025", "Mon, 3 Mar 2025 11:00:00 +0100", "", "Version corrigée jointe."),
		gmailMessage(imaptest.GmailTrash, "g4@mairie.fr", "Ancien fil", "Tue, 4 Mar 2025 09:00:00 +0100", "", "À jeter."),
		gmailMessage(imaptest.Inbox, "g5@autre.fr", "Autre sujet", "Tue, 4 Mar 2025 10:00:00 +0100", "", "Sans rapport."),
	}
}

func TestIMAPGmail(t *testing.T) {
	g := imaptest.StartGmail(t, imaptest.Options{Messages: gmailFixtures(imaptest.GmailSent)})
	who := mail.Caller{User: g.User}
	ctx := context.Background()
	if a, b := g.ThreadID("<g1@mairie.fr>"), g.ThreadID("<g3@mairie.fr>"); a == 0 || a != b || g.ThreadID("<g5@autre.fr>") == a {
		t.Fatalf("stand-in threads: g1 %d, g3 %d", a, b)
	}

	t.Run("thread through All Mail", func(t *testing.T) {
		before := len(g.Commands())
		th, err := newTestSource(t, g.Server, nil).Thread(ctx, who, "<g2@gmail.com>")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ids(th), " "); got != "g1@mairie.fr g2@gmail.com g3@mairie.fr" {
			t.Errorf("thread = %s", got)
		}
		for _, m := range th.Messages {
			if m.Folder != imaptest.GmailAll || m.Text == "" {
				t.Errorf("%s: folder %q, text %q", m.MessageID, m.Folder, m.Text)
			}
		}
		cmds := strings.Join(g.Commands()[before:], "\n")
		want := fmt.Sprintf("UID SEARCH X-GM-THRID %d", g.ThreadID("<g1@mairie.fr>"))
		if !strings.Contains(cmds, "(X-GM-THRID)") || !strings.Contains(cmds, want) {
			t.Errorf("no X-GM-THRID command in\n%s", cmds)
		}
		if strings.Contains(cmds, "References") || strings.Contains(cmds, "In-Reply-To") {
			t.Errorf("header search for replies on the Gmail path:\n%s", cmds)
		}
	})

	t.Run("target in Trash only", func(t *testing.T) {
		before := len(g.Commands())
		_, err := newTestSource(t, g.Server, nil).Thread(ctx, who, "<g4@mairie.fr>")
		if !errors.Is(err, mail.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
		cmds := strings.Join(g.Commands()[before:], "\n")
		if strings.Contains(cmds, "X-GM-THRID") || !strings.Contains(cmds, `EXAMINE "[Gmail]/All Mail"`) || !strings.Contains(cmds, "EXAMINE INBOX") {
			t.Errorf("want the standard search, not X-GM-THRID:\n%s", cmds)
		}
	})

	t.Run("X-GM-THRID refused falls back", func(t *testing.T) {
		src := newTestSource(t, g.Server, nil)
		c := rawConn(t, src, who)
		if _, err := c.folderList(ctx); err != nil {
			t.Fatal(err)
		}
		c.allMail = imaptest.Inbox // the stand-in answers in All Mail only
		var notes []string
		if _, ok, err := c.gmailCollect(ctx, "<g1@mairie.fr>", &notes); ok || err != nil {
			t.Errorf("ok %v err %v, want a fall back", ok, err)
		}
	})
}

// recordConn keeps what the client writes.
type recordConn struct {
	net.Conn
	mu  *sync.Mutex
	out *strings.Builder
}

func (r recordConn) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.out.Write(p)
	r.mu.Unlock()
	return r.Conn.Write(p)
}

// Servers without X-GM-EXT-1 never get an X-GM command, and the thread
// comes from header searches (which cannot find g3).
func TestIMAPGmailNotGmail(t *testing.T) {
	for _, be := range imapBackends {
		t.Run(be.name, func(t *testing.T) {
			srv := be.start(t, imaptest.Options{Messages: gmailFixtures(imaptest.Sent)})
			var mu sync.Mutex
			var sent strings.Builder
			src := newTestSource(t, srv, func(o *Options) {
				o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
					var d net.Dialer
					c, err := d.DialContext(ctx, network, addr)
					return recordConn{c, &mu, &sent}, err
				}
			})
			th, err := src.Thread(context.Background(), mail.Caller{User: srv.User}, "<g2@gmail.com>")
			if err != nil {
				t.Fatal(err)
			}
			// Dovecot's THREAD REFERENCES also gathers g3 by its subject
			// (RFC 5256); Plume keeps only what ids link, as Thunderbird.
			if got := strings.Join(ids(th), " "); got != "g1@mairie.fr g2@gmail.com" {
				t.Errorf("thread = %s", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(sent.String(), "X-GM") {
				t.Errorf("X-GM command sent to a server without X-GM-EXT-1")
			}
		})
	}
}
