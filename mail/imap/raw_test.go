package imap

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
	"github.com/plume-admin/plume/mail/imap/internal/imapraw"
)

// rawConn logs in to srv and returns the connection, released at the end.
func rawConn(t *testing.T, src *Source, who mail.Caller) *imapConn {
	t.Helper()
	c, err := src.acquire(context.Background(), who)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.release(c) })
	return c
}

// rawCommand runs a raw command the way Plume does, under c.run.
func rawCommand(ctx context.Context, c *imapConn, line string) ([][]byte, error) {
	var resp [][]byte
	err := c.run(ctx, "raw", func() error {
		var err error
		resp, err = c.raw.Command(ctx, c.cl.Closed(), line)
		return err
	})
	return resp, err
}

// fetchWhole reads every message of INBOX whole (literals) with go-imap.
func fetchWhole(t *testing.T, c *imapConn) map[imap.UID]int {
	t.Helper()
	out := map[imap.UID]int{}
	err := c.run(context.Background(), "fetch", func() error {
		ex := c.examine(imaptest.Inbox)
		sec := &imap.FetchItemBodySection{Peek: true}
		fc := c.cl.Fetch(imap.UIDSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}})
		if err := c.waitExamine(ex); err != nil {
			return err
		}
		bufs, err := fc.Collect()
		for _, b := range bufs {
			out[b.UID] = len(b.FindBodySection(sec))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Raw commands between go-imap FETCHes of whole messages: each side gets
// its own responses and go-imap keeps working afterwards.
func TestIMAPRawInterleaved(t *testing.T) {
	for _, be := range imapBackends {
		t.Run(be.name, func(t *testing.T) {
			srv := be.start(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
			c := rawConn(t, newTestSource(t, srv, nil), mail.Caller{User: srv.User})
			ctx := context.Background()
			first := fetchWhole(t, c)
			if len(first) == 0 {
				t.Fatal("no message in INBOX")
			}
			for i := 0; i < 3; i++ {
				resp, err := rawCommand(ctx, c, "UID SEARCH ALL")
				if err != nil {
					t.Fatal(err)
				}
				if got := imapParseSearch(resp); len(got) != len(first) {
					t.Errorf("raw search: %d uids, want %d (%q)", len(got), len(first), resp)
				}
				if _, err := rawCommand(ctx, c, "NOOP"); err != nil {
					t.Fatal(err)
				}
				again := fetchWhole(t, c)
				for uid, n := range first {
					if again[uid] != n || n == 0 {
						t.Errorf("uid %d: %d bytes, first %d", uid, again[uid], n)
					}
				}
			}
			// A raw command whose response carries literals.
			resp, err := rawCommand(ctx, c, "UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
			if err != nil {
				t.Fatal(err)
			}
			if len(resp) != len(first) || !bytes.Contains(resp[0], []byte("Message-ID")) {
				t.Errorf("raw fetch with literals: %q", resp)
			}
			if err := c.run(ctx, "noop", func() error { return c.cl.Noop().Wait() }); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A raw command answered NO or BAD is an *imap.Error classified as
// ErrUnavailable; the connection stays usable.
func TestIMAPRawRefused(t *testing.T) {
	for _, be := range imapBackends {
		t.Run(be.name, func(t *testing.T) {
			srv := be.start(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
			c := rawConn(t, newTestSource(t, srv, nil), mail.Caller{User: srv.User})
			ctx := context.Background()
			for _, line := range []string{"XPLUMENOPE", "EXAMINE \"No such folder\"", "UID FETCH 1 (X-GM-THRID)"} {
				_, err := rawCommand(ctx, c, line)
				var ie *imap.Error
				if !errors.As(err, &ie) || !errors.Is(err, mail.ErrUnavailable) && !errors.Is(err, mail.ErrNotFound) {
					t.Errorf("%s: err = %v, want an *imap.Error", line, err)
				}
				if c.broken {
					t.Errorf("%s: connection marked broken", line)
				}
			}
			if _, err := rawCommand(ctx, c, "bad\r\nline"); !errors.Is(err, imapraw.ErrLine) {
				t.Errorf("two lines: err = %v", err)
			}
			c.selected = "" // the raw EXAMINE closed what go-imap had open
			if n := len(fetchWhole(t, c)); n == 0 {
				t.Error("go-imap unusable after refused raw commands")
			}
		})
	}
}

// A server stalling in the middle of a raw command's response: ErrTimeout
// within the deadline.
func TestIMAPRawStall(t *testing.T) {
	addr := faultServer(t, func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString("* 1 FETCH (X-GM-THRID 12")
		w.Flush()
		return false
	})
	src, err := New(Options{
		Addr: addr, Security: Plain, Timeout: 300 * time.Millisecond,
		Auth: Auth{Password: func(string) (string, error) { return "x", nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := rawConn(t, src, mail.Caller{User: "u"})
	start := time.Now()
	_, err = rawCommand(context.Background(), c, "UID FETCH 7 (X-GM-THRID)")
	if !errors.Is(err, mail.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %v", d)
	}
	if !c.broken {
		t.Error("a timed-out connection must not go back to the pool")
	}
}

// readOverTLS reads the fixtures' thread through src, then checks that the
// raw command layer runs over TLS and still answers.
func readOverTLS(t *testing.T, src *Source, user string) {
	t.Helper()
	ctx := context.Background()
	th, err := src.Thread(ctx, mail.Caller{User: user}, "<t1-3@mairie-exemple.fr>")
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Messages) != len(detrThread) {
		t.Errorf("%d messages, want %d", len(th.Messages), len(detrThread))
	}
	c := rawConn(t, src, mail.Caller{User: user})
	if _, ok := c.raw.Conn.(interface{ ConnectionState() tls.ConnectionState }); !ok {
		t.Fatal("raw layer is not over TLS")
	}
	if _, err := rawCommand(ctx, c, "NOOP"); err != nil {
		t.Fatal(err)
	}
}

// STARTTLS done by hand: go-imap then runs over TLS, raw commands too.
func TestIMAPStartTLS(t *testing.T) {
	srv, ca := imaptest.StartMemTLS(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
	src := newTestSource(t, srv, func(o *Options) {
		o.Security = StartTLS
		o.CAFile = ca
	})
	ctx := context.Background()
	readOverTLS(t, src, srv.User)
	if err := src.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	// A server without STARTTLS is refused before any login.
	plain := imaptest.StartMem(t, imaptest.Options{})
	bad := newTestSource(t, plain, func(o *Options) { o.Security = StartTLS; o.InsecureSkipVerify = true })
	if err := bad.Ping(ctx); !errors.Is(err, mail.ErrUnavailable) || !errors.Is(err, imapraw.ErrNoSTARTTLS) {
		t.Errorf("no STARTTLS: err = %v", err)
	}
}

var imapStartTLSScripts = []struct {
	name, greeting, reply string
}{
	{"preauth", "* PREAUTH hello\r\n", ""},
	{"bye", "* BYE busy\r\n", ""},
	{"refused", "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", "S1 NO not now\r\n"},
	{"injected data", "* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", "S1 OK go\r\n* OK injected\r\n"},
	{"capability asked", "* OK hi\r\n", "* CAPABILITY IMAP4rev1\r\nS0 OK done\r\n"},
}

// Servers misbehaving before TLS: the connection is refused.
func TestIMAPStartTLSRefused(t *testing.T) {
	for _, tc := range imapStartTLSScripts {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				c.Write([]byte(tc.greeting))
				if tc.reply != "" {
					bufio.NewReader(c).ReadString('\n')
					c.Write([]byte(tc.reply))
				}
				time.Sleep(time.Second)
			}()
			src, err := New(Options{
				Addr: ln.Addr().String(), Security: StartTLS, Timeout: 500 * time.Millisecond,
				Auth: Auth{Password: func(string) (string, error) { return "x", nil }},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := src.Ping(context.Background()); !errors.Is(err, mail.ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
		})
	}
}

// FuzzParseThrid also covers the SEARCH parser.
func FuzzParseThrid(f *testing.F) {
	f.Add([]byte("* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)"))
	f.Add([]byte("* SEARCH 4 5 6"))
	f.Add([]byte("* 1 FETCH (UID 4294967296 X-GM-THRID 0)"))
	f.Fuzz(func(t *testing.T, line []byte) {
		if _, id, ok := imapParseThrid(line); ok && id == 0 {
			t.Fatal("thread id 0 accepted")
		}
		for _, u := range imapParseSearch([][]byte{line}) {
			if u == 0 {
				t.Fatal("UID 0 accepted")
			}
		}
	})
}

// STARTTLS and implicit TLS against the private Dovecot and its
// self-signed certificate; without that certificate trusted, no login.
func TestIMAPTLSDovecot(t *testing.T) {
	srv := imaptest.StartDovecot(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		security Security
		addr     string
	}{
		{"starttls", StartTLS, srv.Addr},
		{"implicit", ImplicitTLS, srv.TLSAddr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newTestSource(t, srv, func(o *Options) {
				o.Addr, o.Security, o.CAFile = tc.addr, tc.security, srv.CAFile
			})
			readOverTLS(t, src, srv.User)
			untrusted := newTestSource(t, srv, func(o *Options) { o.Addr, o.Security = tc.addr, tc.security })
			var ue x509.UnknownAuthorityError
			if err := untrusted.Ping(ctx); !errors.Is(err, mail.ErrUnavailable) || !errors.As(err, &ue) {
				t.Errorf("untrusted certificate: err = %v", err)
			}
		})
	}
}
