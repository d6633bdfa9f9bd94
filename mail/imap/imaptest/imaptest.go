// Package imaptest starts IMAP servers for tests: go-imap's in-memory server
// in-process ([StartMem]) and a private Dovecot instance ([StartDovecot]),
// both seeded with the same raw messages in the same folders, so that one
// suite runs against both.
//
// # Example
//
//	srv := imaptest.StartMem(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
//	// connect to srv.Addr as srv.User / srv.Password
//
// Folders: INBOX, "Sent" (SPECIAL-USE \Sent) and "Archive" (\Archive).
// The fixtures in testdata/ are one thread of five messages across INBOX
// and Sent written by Thunderbird, Outlook and Gmail, a copy of one of them
// in Archive, a reply that names its parent only in In-Reply-To, and an
// unrelated two-message thread.
package imaptest

import (
	"bytes"
	"embed"
	"io/fs"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

//go:embed testdata/*.eml
var fixtures embed.FS

// Message is one raw message to seed into a folder.
type Message struct {
	Folder string
	Raw    []byte
}

// Folders seeded and their SPECIAL-USE attributes.
const (
	Inbox   = "INBOX"
	Sent    = "Sent"
	Archive = "Archive"
)

// Options configures a test server.
type Options struct {
	// Messages are appended in order. Folders other than INBOX, Sent and
	// Archive are created as needed.
	Messages []Message
	// User and Password default to "agent" and "secret".
	User, Password string
	// Token is the bearer token accepted for XOAUTH2 and OAUTHBEARER as
	// User (default "token-agent"): by StartMem itself, by StartDovecot
	// through its token introspection endpoint.
	Token string
	// Maildir (StartDovecot only) writes files into the user's INBOX
	// maildir, given as its directory (cur, new and tmp exist), before
	// Dovecot starts: a large folder written as files takes seconds where
	// APPEND takes many minutes.
	Maildir func(dir string) error
	// DovecotConfig (StartDovecot only) is appended to dovecot.conf, e.g.
	// cache settings.
	DovecotConfig string
}

func (o *Options) defaults() {
	if o.User == "" {
		o.User = "agent"
	}
	if o.Password == "" {
		o.Password = "secret"
	}
	if o.Token == "" {
		o.Token = "token-agent"
	}
}

// SASLAttempt records one AUTHENTICATE exchange seen by StartMem (Dovecot's
// are seen only through [Server.Introspections]).
type SASLAttempt struct {
	Mech, User, Token string
	OK                bool
}

// Server is a running test server.
type Server struct {
	// Kind is "mem" or "dovecot".
	Kind string
	// Addr is host:port on 127.0.0.1, plain IMAP (Dovecot: STARTTLS
	// offered too).
	Addr string
	// TLSAddr is host:port of implicit TLS (Dovecot only), and CAFile the
	// PEM certificate that Addr's STARTTLS and TLSAddr present (self-signed
	// for 127.0.0.1 and localhost).
	TLSAddr, CAFile string
	// User, Password, Token: the seeded mailbox's credentials.
	User, Password, Token string
	// MasterLogin and MasterPassword log in as any user with "USER*MASTER"
	// (Dovecot only; empty for mem).
	MasterLogin, MasterPassword string
	// ConfigFile is dovecot.conf, for doveadm -c (Dovecot only).
	ConfigFile string

	saslLog        func() []SASLAttempt
	introspections func() []Introspection
}

// SASL returns the AUTHENTICATE exchanges seen so far (mem only).
func (s *Server) SASL() []SASLAttempt {
	if s.saslLog == nil {
		return nil
	}
	return s.saslLog()
}

// Fixtures returns the messages of testdata/: the file name prefix names
// the folder (inbox-, sent-, archive-). Line ends are CRLF.
func Fixtures(t testing.TB) []Message {
	t.Helper()
	names, err := fs.Glob(fixtures, "testdata/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	var out []Message
	for _, n := range names {
		raw, err := fixtures.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimPrefix(n, "testdata/")
		folder := Inbox
		switch {
		case strings.HasPrefix(base, "sent-"):
			folder = Sent
		case strings.HasPrefix(base, "archive-"):
			folder = Archive
		}
		out = append(out, Message{Folder: folder, Raw: CRLF(raw)})
	}
	return out
}

// CRLF turns bare LF line ends into CRLF.
func CRLF(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

// Dial logs in to s as its user, for checks made by tests.
func (s *Server) Dial(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatalf("imaptest: dial %s: %v", s.Addr, err)
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		c.Close()
		t.Fatalf("imaptest: login: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Flags returns the flags of every message in folder, keyed by Message-ID.
func (s *Server) Flags(t testing.TB, folder string) map[string][]imap.Flag {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	data, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("imaptest: examine %s: %v", folder, err)
	}
	out := map[string][]imap.Flag{}
	if data.NumMessages == 0 {
		return out
	}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{Envelope: true, Flags: true}).Collect()
	if err != nil {
		t.Fatalf("imaptest: fetch flags: %v", err)
	}
	for _, b := range bufs {
		if b.Envelope != nil {
			out["<"+b.Envelope.MessageID+">"] = b.Flags
		}
	}
	return out
}

// appendAll seeds msgs over IMAP APPEND, pipelined.
func appendAll(t testing.TB, c *imapclient.Client, msgs []Message) {
	t.Helper()
	date := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var cmds []*imapclient.AppendCommand
	flush := func() {
		for _, cmd := range cmds {
			if _, err := cmd.Wait(); err != nil {
				t.Fatalf("imaptest: append: %v", err)
			}
		}
		cmds = cmds[:0]
	}
	for _, m := range msgs {
		// The message arrives when it was written, as on a real server:
		// Plume narrows some searches by arrival date.
		at := date
		if h, err := netmail.ReadMessage(bytes.NewReader(m.Raw)); err == nil {
			if d, err := h.Header.Date(); err == nil {
				at = d
			}
		}
		cmd := c.Append(m.Folder, int64(len(m.Raw)), &imap.AppendOptions{Time: at})
		if _, err := cmd.Write(m.Raw); err != nil {
			t.Fatalf("imaptest: append write: %v", err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatalf("imaptest: append close: %v", err)
		}
		cmds = append(cmds, cmd)
		if len(cmds) >= 100 {
			flush()
		}
	}
	flush()
}
