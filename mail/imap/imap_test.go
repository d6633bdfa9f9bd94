package imap

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// imapBackends are the servers the same suite runs against.
var imapBackends = []struct {
	name  string
	start func(testing.TB, imaptest.Options) *imaptest.Server
}{
	{"imapmemserver", imaptest.StartMem},
	{"dovecot", imaptest.StartDovecot},
}

// The DETR thread of the fixtures: five messages over INBOX and Sent, plus a
// reply naming its parent only in In-Reply-To.
var detrThread = []string{
	"t1-1@mairie-exemple.fr",
	"t1-2@prefecture.gouv.fr",
	"t1-3@mairie-exemple.fr",
	"CAGmail-t1-4@mail.gmail.com",
	"t1-5@prefecture.gouv.fr",
	"t1-6@mairie-exemple.fr",
}

var imapThreadCases = []struct {
	name    string
	id      string
	max     int
	want    []string // message ids in date order
	omitted int
	err     error
}{
	{name: "from inbox, across folders, deduplicated", id: "<t1-3@mairie-exemple.fr>", want: detrThread},
	{name: "from a sent message", id: "t1-2@prefecture.gouv.fr", want: detrThread},
	{name: "from the root", id: "<t1-1@mairie-exemple.fr>", want: detrThread},
	{name: "reply with In-Reply-To only", id: "<t1-6@mairie-exemple.fr>", want: detrThread},
	{name: "other thread stays apart", id: "<t2-2@interieur.gouv.fr>", want: []string{"t2-1@interieur.gouv.fr", "t2-2@interieur.gouv.fr"}},
	{name: "cap keeps the newest", id: "<t1-6@mairie-exemple.fr>", max: 3, want: detrThread[3:], omitted: 3},
	{name: "cap keeps the target", id: "<t1-1@mairie-exemple.fr>", max: 2, want: []string{"t1-1@mairie-exemple.fr", "t1-6@mairie-exemple.fr"}, omitted: 4},
	{name: "not found", id: "<nobody@nowhere.example>", err: mail.ErrNotFound},
	{name: "invalid id", id: "", err: mail.ErrNotFound},
	{name: "injection attempt", id: "<a@b>\r\nA1 DELETE INBOX", err: mail.ErrNotFound},
}

func newTestSource(t testing.TB, srv *imaptest.Server, mod func(*Options)) *Source {
	t.Helper()
	opts := Options{
		Addr:     srv.Addr,
		Security: Plain,
		Timeout:  5 * time.Second,
		Pool:     Pool{Size: 1},
		Auth: Auth{Password: func(user string) (string, error) {
			if user == srv.User {
				return srv.Password, nil
			}
			return "", errors.New("unknown user")
		}},
	}
	if mod != nil {
		mod(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fromLoopback makes the source connect from another loopback address:
// Dovecot slows down logins from an address after a failed one, so each
// test of a failed login uses its own.
func fromLoopback(last byte) func(*Options) {
	return func(o *Options) {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, last)}}
		o.Dial = d.DialContext
	}
}

func ids(t *mail.Thread) []string {
	var out []string
	for _, m := range t.Messages {
		out = append(out, m.MessageID)
	}
	return out
}

func TestIMAPSuite(t *testing.T) {
	for _, be := range imapBackends {
		t.Run(be.name, func(t *testing.T) {
			srv := be.start(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
			who := mail.Caller{User: srv.User}
			ctx := context.Background()

			for _, tc := range imapThreadCases {
				t.Run(tc.name, func(t *testing.T) {
					src := newTestSource(t, srv, func(o *Options) { o.MaxMessages = tc.max })
					th, err := src.Thread(ctx, who, tc.id)
					if tc.err != nil {
						if !errors.Is(err, tc.err) {
							t.Fatalf("err = %v, want %v", err, tc.err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if got := strings.Join(ids(th), " "); got != strings.Join(tc.want, " ") {
						t.Errorf("thread =\n %s\nwant\n %s", got, strings.Join(tc.want, " "))
					}
					if th.Omitted != tc.omitted {
						t.Errorf("omitted = %d, want %d", th.Omitted, tc.omitted)
					}
					if tc.omitted > 0 && len(th.Notes) == 0 {
						t.Error("no note about omitted messages")
					}
				})
			}

			t.Run("content, folders and attachments", func(t *testing.T) {
				_, err := newTestSource(t, srv, nil).Thread(ctx, who, "<t1-4@x>")
				if !errors.Is(err, mail.ErrNotFound) {
					t.Fatalf("partial id matched: %v", err)
				}
				th, err := newTestSource(t, srv, nil).Thread(ctx, who, "<t1-3@mairie-exemple.fr>")
				if err != nil {
					t.Fatal(err)
				}
				by := map[string]*mail.Message{}
				for _, m := range th.Messages {
					by[m.MessageID] = m
				}
				if m := by["t1-2@prefecture.gouv.fr"]; m.Folder != "Sent" || !strings.Contains(m.Text, "délibération du conseil municipal") {
					t.Errorf("outlook message (iso-8859-1, quoted-printable): folder %q text %q", m.Folder, m.Text)
				}
				if m := by["CAGmail-t1-4@mail.gmail.com"]; !strings.Contains(m.Text, "unanimité") {
					t.Errorf("gmail message (base64): text %q", m.Text)
				}
				m := by["t1-3@mairie-exemple.fr"]
				if m.Folder != "INBOX" {
					t.Errorf("duplicate kept from %q, want INBOX", m.Folder)
				}
				if len(m.Attachments) != 1 || m.Attachments[0].PartPath != "2" || m.Attachments[0].Name != "deliberation-2024-03.pdf" || m.Attachments[0].MediaType != "application/pdf" {
					t.Errorf("attachments = %+v", m.Attachments)
				}
				if m.From[0].Address != "claire.martin@mairie-exemple.fr" || m.Subject == "" || m.Date.IsZero() {
					t.Errorf("header not parsed: %+v", m)
				}
			})

			t.Run("attachment by part path", func(t *testing.T) {
				src := newTestSource(t, srv, nil)
				att, data, err := src.Attachment(ctx, who, "<t1-3@mairie-exemple.fr>", "2")
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(string(data), "%PDF-1.4") || att.Name != "deliberation-2024-03.pdf" || att.Size != int64(len(data)) {
					t.Errorf("attachment %+v, %q", att, data)
				}
				for _, bad := range []string{"1", "3", "2.1", "x", "0", ""} {
					if _, _, err := src.Attachment(ctx, who, "<t1-3@mairie-exemple.fr>", bad); !errors.Is(err, mail.ErrNoAttachment) {
						t.Errorf("part %q: err = %v, want ErrNoAttachment", bad, err)
					}
				}
				if _, _, err := src.Attachment(ctx, who, "<nobody@nowhere.example>", "2"); !errors.Is(err, mail.ErrNotFound) {
					t.Errorf("unknown message: err = %v", err)
				}
				small := newTestSource(t, srv, func(o *Options) { o.MaxAttachmentBytes = 10 })
				if _, _, err := small.Attachment(ctx, who, "<t1-3@mairie-exemple.fr>", "2"); !errors.Is(err, mail.ErrTooLarge) {
					t.Errorf("over the limit: err = %v, want ErrTooLarge", err)
				}
			})

			t.Run("recent", func(t *testing.T) {
				msgs, err := newTestSource(t, srv, nil).Recent(ctx, who, 3)
				if err != nil {
					t.Fatal(err)
				}
				if len(msgs) != 3 || msgs[0].MessageID != "t1-6@mairie-exemple.fr" || msgs[0].Text != "" {
					t.Errorf("recent = %v", msgs)
				}
			})

			t.Run("ping", func(t *testing.T) {
				if err := newTestSource(t, srv, nil).Ping(ctx); err != nil {
					t.Fatal(err)
				}
			})

			t.Run("pool reuses the connection", func(t *testing.T) {
				var dials atomic.Int32
				src := newTestSource(t, srv, func(o *Options) {
					o.Pool = Pool{Size: 1}
					o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
						dials.Add(1)
						var d net.Dialer
						return d.DialContext(ctx, network, addr)
					}
				})
				for _, id := range []string{"<t1-1@mairie-exemple.fr>", "<t2-1@interieur.gouv.fr>", "<t1-5@prefecture.gouv.fr>"} {
					if _, err := src.Thread(ctx, who, id); err != nil {
						t.Fatal(err)
					}
				}
				if _, _, err := src.Attachment(ctx, who, "<t1-3@mairie-exemple.fr>", "2"); err != nil {
					t.Fatal(err)
				}
				if n := dials.Load(); n != 1 {
					t.Errorf("%d dials, want 1", n)
				}
			})

			if srv.MasterLogin != "" {
				t.Run("master user", func(t *testing.T) { testIMAPMaster(t, srv) })
			}

			t.Run("auth failure", func(t *testing.T) {
				src := newTestSource(t, srv, func(o *Options) {
					fromLoopback(2)(o)
					o.Auth.Password = func(string) (string, error) { return "wrong", nil }
				})
				if _, err := src.Thread(ctx, who, "<t1-1@mairie-exemple.fr>"); !errors.Is(err, mail.ErrAuth) {
					t.Fatalf("err = %v, want ErrAuth", err)
				}
				if _, err := newTestSource(t, srv, fromLoopback(3)).Thread(ctx, mail.Caller{User: "intruder"}, "<t1-1@mairie-exemple.fr>"); !errors.Is(err, mail.ErrAuth) {
					t.Fatalf("unknown user: err = %v, want ErrAuth", err)
				}
			})

			// Last: nothing above may have set \Seen (BODY.PEEK, EXAMINE).
			t.Run("never sets seen", func(t *testing.T) {
				for _, f := range []string{imaptest.Inbox, imaptest.Sent, imaptest.Archive} {
					for id, flags := range srv.Flags(t, f) {
						for _, fl := range flags {
							if fl == imap.FlagSeen {
								t.Errorf("%s %s is \\Seen", f, id)
							}
						}
					}
				}
			})
		})
	}
}

// testIMAPMaster logs in with Dovecot's master user ("user*master").
// Failed logins come last: Dovecot slows down later logins after one.
func testIMAPMaster(t *testing.T, srv *imaptest.Server) {
	ctx := context.Background()
	src := newTestSource(t, srv, func(o *Options) {
		o.Auth = Auth{Master: &Master{Login: srv.MasterLogin, Password: srv.MasterPassword}}
	})
	th, err := src.Thread(ctx, mail.Caller{User: srv.User}, "<t1-2@prefecture.gouv.fr>")
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Messages) != len(detrThread) {
		t.Errorf("%d messages, want %d", len(th.Messages), len(detrThread))
	}
	// A custom template: the master login written out.
	tmpl := newTestSource(t, srv, func(o *Options) {
		o.Auth = Auth{Master: &Master{Login: srv.MasterLogin, Password: srv.MasterPassword, Template: "%s*" + srv.MasterLogin}}
	})
	if _, err := tmpl.Recent(ctx, mail.Caller{User: srv.User}, 1); err != nil {
		t.Errorf("template login: %v", err)
	}
	bad := newTestSource(t, srv, func(o *Options) {
		fromLoopback(4)(o)
		o.Auth = Auth{Master: &Master{Login: srv.MasterLogin, Password: "nope"}}
	})
	if _, err := bad.Thread(ctx, mail.Caller{User: srv.User}, "<t1-2@prefecture.gouv.fr>"); !errors.Is(err, mail.ErrAuth) {
		t.Errorf("wrong master password: err = %v, want ErrAuth", err)
	}
}

// TestPoolKeys: pooled connections are kept per principal, never per user
// name alone; in OAuth modes also per token.
func TestPoolKeys(t *testing.T) {
	a := mail.Caller{ID: "https://idp-a|s1", User: "alice", Token: "t1"}
	b := mail.Caller{ID: "https://idp-b|s1", User: "alice", Token: "t1"}
	a2 := a
	a2.Token = "t2"
	master, err := New(Options{Addr: "127.0.0.1:1", Security: Plain, Auth: Auth{Master: &Master{Login: "m", Password: "p"}}})
	if err != nil {
		t.Fatal(err)
	}
	oauth, err := New(Options{Addr: "127.0.0.1:1", Security: Plain, Auth: Auth{OAuth: MechOAuthBearer}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Source{master, oauth} {
		if s.poolKey(a) == s.poolKey(b) {
			t.Error("two principals with the same user name share pooled connections")
		}
	}
	if master.poolKey(a) != master.poolKey(a2) {
		t.Error("master mode: a new token of the same principal need not open a new connection")
	}
	if oauth.poolKey(a) == oauth.poolKey(a2) {
		t.Error("OAuth mode: a connection opened with one token is lent to another")
	}
}
