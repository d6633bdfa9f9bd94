package imap

import (
	"bytes"
	"context"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// threadCounter counts the UID THREAD commands written on a connection.
type threadCounter struct {
	net.Conn
	n *atomic.Int64
}

func (c *threadCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(bytes.Count(p, []byte(" UID THREAD "))))
	return c.Conn.Write(p)
}

// A reply naming only a message of the thread that is not its root, and no
// In-Reply-To: only the THREAD trees find it.
var lateReply = []byte("Message-ID: <t1-7@mairie-exemple.fr>\r\n" +
	"References: <CAGmail-t1-4@mail.gmail.com>\r\n" +
	"Date: Sat, 16 Mar 2024 10:00:00 +0100\r\n" +
	"From: Claire Martin <claire.martin@mairie-exemple.fr>\r\n" +
	"To: Agent Instructeur <agent@prefecture.gouv.fr>\r\n" +
	"Subject: Re: Demande de subvention DETR 2024 - salle polyvalente\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
	"Bonjour,\r\nLe devis signé suit.\r\n")

// The THREAD trees of an unchanged folder are kept on the connection; a
// message arriving makes the server compute them again, whether the folder
// is still open (NOOP reports it) or reopened (EXAMINE shows a new UIDNEXT).
func TestIMAPTreesKept(t *testing.T) {
	for _, tc := range []struct {
		name    string
		folders []string
	}{
		{"folder still open", []string{"INBOX"}},
		{"folder reopened", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := imaptest.StartDovecot(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
			var threads, dials atomic.Int64
			src := newTestSource(t, srv, func(o *Options) {
				o.Folders = tc.folders
				o.Pool = Pool{Size: 1, IdleTimeout: time.Hour}
				o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
					var d net.Dialer
					dials.Add(1)
					c, err := d.DialContext(ctx, network, addr)
					return &threadCounter{Conn: c, n: &threads}, err
				}
			})
			ctx, who := context.Background(), mail.Caller{User: srv.User}
			ids := func() []string {
				th, err := src.Thread(ctx, who, "<t1-3@mairie-exemple.fr>")
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, m := range th.Messages {
					out = append(out, m.MessageID)
				}
				return out
			}
			first := ids()
			if threads.Load() == 0 {
				t.Fatal("no THREAD sent")
			}
			threads.Store(0)
			if again := ids(); !slices.Equal(again, first) || threads.Load() != 0 {
				t.Fatalf("second request: %v, %d THREAD sent; want %v, none", again, threads.Load(), first)
			}
			if tc.folders == nil {
				// Leave INBOX, so the next request must reopen it.
				if _, _, err := src.Attachment(ctx, who, "<t1-2@prefecture.gouv.fr>", "9"); err == nil {
					t.Fatal("no error for a missing part")
				}
			}
			c := srv.Dial(t)
			cmd := c.Append(imaptest.Inbox, int64(len(lateReply)), &imap.AppendOptions{})
			if _, err := cmd.Write(lateReply); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			third := ids()
			if !slices.Contains(third, "t1-7@mairie-exemple.fr") || threads.Load() == 0 {
				t.Fatalf("after an arrival: %v, %d THREAD sent", third, threads.Load())
			}
			if dials.Load() != 1 {
				t.Fatalf("%d connections, want the same one throughout", dials.Load())
			}
		})
	}
}
