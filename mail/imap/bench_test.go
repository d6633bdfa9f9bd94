package imap

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// rtConn counts round trips (a write that follows a read starts one) and
// UID THREAD commands.
type rtConn struct {
	net.Conn
	n, threads *atomic.Int64
	readSeen   atomic.Bool
}

func (c *rtConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.readSeen.Store(true)
	}
	return n, err
}

func (c *rtConn) Write(p []byte) (int, error) {
	if c.readSeen.Swap(false) {
		c.n.Add(1)
	}
	c.threads.Add(int64(bytes.Count(p, []byte(" UID THREAD "))))
	return c.Conn.Write(p)
}

// benchMailbox builds 10,000 messages: a 20-message thread alternating
// INBOX / Sent, spread through 9,980 others in threads of four.
func benchMailbox() (msgs []imaptest.Message, thread []string) {
	base := time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)
	msg := func(folder, id string, refs []string, from, subject string, at time.Time) imaptest.Message {
		var b strings.Builder
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", id)
		if len(refs) > 0 {
			fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", refs[len(refs)-1], strings.Join(refs, "> <"))
		}
		fmt.Fprintf(&b, "Date: %s\r\nFrom: %s\r\nTo: agent@prefecture.gouv.fr\r\nSubject: %s\r\n", at.Format(time.RFC1123Z), from, subject)
		b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		fmt.Fprintf(&b, "Bonjour,\r\n\r\nMessage %s au sujet de « %s ».\r\nMerci de votre retour.\r\n\r\n-- \r\nService instructeur\r\n", id, subject)
		return imaptest.Message{Folder: folder, Raw: []byte(b.String())}
	}
	n := 0
	for i := 0; len(msgs) < 10000; i++ {
		at := base.Add(time.Duration(len(msgs)) * 7 * time.Minute)
		if i%500 == 250 && len(thread) < 20 {
			id := fmt.Sprintf("bench-thread-%02d@prefecture.gouv.fr", len(thread))
			folder, from, subj := imaptest.Inbox, "maire@commune.fr", "Re: Dossier DSIL 2023"
			if len(thread)%2 == 1 {
				folder, from = imaptest.Sent, "agent@prefecture.gouv.fr"
			}
			if len(thread) == 0 {
				subj = "Dossier DSIL 2023"
			}
			msgs = append(msgs, msg(folder, id, thread, from, subj, at))
			thread = append(thread, id)
			continue
		}
		g := n / 4
		var refs []string
		for j := g * 4; j < n; j++ {
			refs = append(refs, fmt.Sprintf("filler-%d@x.fr", j))
		}
		folder := imaptest.Inbox
		if n%5 == 4 {
			folder = imaptest.Sent
		}
		msgs = append(msgs, msg(folder, fmt.Sprintf("filler-%d@x.fr", n), refs, "usager@x.fr", fmt.Sprintf("Demande %d", g), at))
		n++
	}
	return msgs, thread
}

// BenchmarkIMAPThreadDovecot reads a 20-message thread split over INBOX and
// Sent from a 10,000-message mailbox on a private Dovecot, and reports the
// IMAP round trips after login: rt-first/op for the first request on a
// logged-in connection (with LIST), rt/op for the requests after it, and
// thread/op the UID THREAD commands they sent; each
// iteration starts from another message of the thread. "steady": the
// mailbox does not change between requests; "inbox-changing": a message
// arrives in INBOX before each request (not timed), so no THREAD answer
// kept on the connection can be used.
//
//	go test -run '^$' -bench IMAPThreadDovecot -benchtime 40x ./mail/
func BenchmarkIMAPThreadDovecot(b *testing.B) {
	if testenv.LookPath("dovecot", imaptest.DovecotBinary) == "" {
		b.Skip("dovecot not installed (make deps)")
	}
	msgs, thread := benchMailbox()
	target := thread[len(thread)-1]
	srv := imaptest.StartDovecot(b, imaptest.Options{Messages: msgs})
	var rts, threads atomic.Int64
	src := newTestSource(b, srv, func(o *Options) {
		o.Pool = Pool{Size: 1, IdleTimeout: time.Hour}
		o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &rtConn{Conn: c, n: &rts, threads: &threads}, nil
		}
	})
	ctx := context.Background()
	who := mail.Caller{User: srv.User}
	// Log in (and warm Dovecot's caches), then measure a first request.
	if _, err := src.Recent(ctx, who, 1); err != nil {
		b.Fatal(err)
	}
	rts.Store(0)
	start := time.Now()
	th, err := src.Thread(ctx, who, target)
	first := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if len(th.Messages) != 20 {
		b.Fatalf("%d messages, want 20", len(th.Messages))
	}
	firstRT := rts.Load()
	feeder := srv.Dial(b)
	arrive := func(i int) {
		raw := fmt.Sprintf("Message-ID: <arrival-%d@x.fr>\r\nDate: %s\r\nFrom: usager@x.fr\r\nSubject: Nouvelle demande %d\r\n\r\nBonjour.\r\n",
			i, time.Now().Format(time.RFC1123Z), i)
		cmd := feeder.Append(imaptest.Inbox, int64(len(raw)), nil)
		if _, err := cmd.Write([]byte(raw)); err != nil {
			b.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			b.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	arrivals := 0
	for _, changing := range []bool{false, true} {
		name := "steady"
		if changing {
			name = "inbox-changing"
		}
		b.Run(name, func(b *testing.B) {
			rts.Store(0)
			threads.Store(0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if changing {
					b.StopTimer()
					arrivals++
					arrive(arrivals)
					b.StartTimer()
				}
				// A different message of the thread each time: no answer cached.
				th, err := src.Thread(ctx, who, thread[i%len(thread)])
				if err != nil {
					b.Fatal(err)
				}
				if len(th.Messages) != 20 {
					b.Fatalf("%d messages, want 20", len(th.Messages))
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(firstRT), "rt-first/op")
			b.ReportMetric(float64(rts.Load())/float64(b.N), "rt/op")
			b.ReportMetric(float64(threads.Load())/float64(b.N), "thread/op")
			b.ReportMetric(float64(first.Microseconds())/1000, "ms-first")
		})
	}
}
