// Package imap reads threads and attachments from an IMAP server for a
// verified caller, on go-imap v2's client. It never changes the mailbox:
// folders are opened with EXAMINE and bodies read with BODY.PEEK.
//
// # Login
//
// The login is always derived from the verified [mail.Caller], never from
// request input: the caller's bearer token over OAUTHBEARER or XOAUTH2
// ([MechOAuthBearer], [MechXOAuth2]), a service account with Dovecot's
// master user form ([Master]), or a password function for tests ([Auth]).
//
// # Threads
//
// [Source.Thread] finds the message by Message-ID and gathers its thread
// across folders (INBOX, Sent and Archive by default, found with
// SPECIAL-USE), with header searches shaped to cost the server little
// (collect.go), THREAD REFERENCES where offered (trees.go) and Gmail's own
// conversation id where it is Gmail (gmail.go). Messages are decoded by
// package mail's decoder, the one [mail.Parse] uses, from the parts
// fetched (fetch.go): the same message read from a file or over IMAP gives
// the same [mail.Message].
//
// # Transport
//
// Implicit TLS by default, STARTTLS, or plain TCP on loopback only
// ([Security]). Every command runs under [Options.Timeout]. Connections may be
// pooled per user ([Pool]). Commands go-imap cannot send (Gmail's
// X-GM-THRID) go through a raw command channel under its client, in an
// internal package.
//
// # Example
//
//	src, err := imap.New(imap.Options{
//		Addr: "imap.example.gouv.fr:993",
//		Auth: imap.Auth{OAuth: imap.MechOAuthBearer},
//	})
//	if err != nil {
//		return err
//	}
//	defer src.Close()
//	t, err := src.Thread(ctx, mail.Caller{User: "agent", Token: token}, "<id@example.fr>")
//
// Package imaptest starts the servers the tests run against: go-imap's
// imapmemserver, a private Dovecot and a Gmail stand-in.
package imap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// Security selects how the connection is protected.
type Security int

const (
	// ImplicitTLS connects with TLS from the first byte (port 993). The default.
	ImplicitTLS Security = iota
	// StartTLS connects in clear and upgrades with STARTTLS (port 143).
	StartTLS
	// Plain uses no encryption at all; allowed only for loopback addresses.
	Plain
)

// SASL mechanisms accepted in [Auth.OAuth].
const (
	// MechOAuthBearer is RFC 7628 OAUTHBEARER.
	MechOAuthBearer = "OAUTHBEARER"
	// MechXOAuth2 is Google's and Microsoft's XOAUTH2 (Exchange Online offers only this).
	MechXOAuth2 = "XOAUTH2"
)

// Auth says how Plume logs in for a caller. Exactly one of Password,
// Master and OAuth is set.
type Auth struct {
	// Password returns the password of a user, for LOGIN. Meant for tests and
	// small deployments.
	Password func(user string) (string, error)
	// Master logs in as the caller with a service account (Dovecot master user).
	Master *Master
	// OAuth names the SASL mechanism (MechOAuthBearer or MechXOAuth2) that
	// sends the caller's bearer token (Caller.Token).
	OAuth string
}

// Master is a service account allowed to open any user's mailbox.
type Master struct {
	// Login and Password are the service account's credentials.
	Login    string
	Password string
	// Template builds the login name: %s is replaced by the caller's user,
	// %m by Login. Default "%s*%m" (Dovecot's master user separator "*").
	Template string
}

// Pool keeps a few authenticated connections per user between requests.
type Pool struct {
	// Size is the number of idle connections kept per user; 0 disables pooling.
	Size int
	// IdleTimeout closes connections idle for longer; default 20 s (the IMAP
	// client drops a silent connection after 30 s anyway).
	IdleTimeout time.Duration
}

// Options configures an [Source]. Only Addr and Auth are required.
type Options struct {
	// Addr is the server's host:port; ":993"/":143" are not guessed.
	Addr string
	// Security is the transport mode; default implicit TLS.
	Security Security
	// ServerName overrides the TLS server name; default the host of Addr.
	ServerName string
	// CAFile is a PEM bundle of extra trusted roots; default the system roots.
	CAFile string
	// InsecureSkipVerify disables certificate verification (tests only). Default false.
	InsecureSkipVerify bool
	// Timeout bounds the dial and how long the server may stay silent
	// during a command; default 10 s. A server that keeps sending (progress
	// while it searches a large folder, untagged data) is given more time,
	// up to TotalTimeout.
	Timeout time.Duration
	// TotalTimeout bounds one Thread or Attachment call, however busy the
	// server is; default 2 minutes. Reached while the server was still
	// sending, the error wraps mail.ErrStillWorking (retry later), not
	// mail.ErrTimeout.
	TotalTimeout time.Duration

	// Folders lists the folders searched, in order. Default: INBOX plus the
	// folders LIST (SPECIAL-USE) marks \Sent and \Archive.
	Folders []string
	// SentNames and ArchiveNames are tried, in order, on servers without
	// SPECIAL-USE. Defaults: "Sent", "Sent Items", "Sent Messages",
	// "Éléments envoyés", "Envoyés" and "Archive", "Archives".
	SentNames    []string
	ArchiveNames []string

	// MaxMessages caps the messages of a thread; the newest are kept and
	// Thread.Omitted says how many were left out. Default 100.
	MaxMessages int
	// MaxTextBytes caps each text part fetched (longer ones are cut and a
	// note added); default 1 MiB.
	MaxTextBytes int64
	// MaxAttachmentBytes caps an attachment read; past it the error wraps
	// ErrTooLarge. Default 25 MiB.
	MaxAttachmentBytes int64

	// Auth says how to log in. Required.
	Auth Auth
	// Pool keeps authenticated connections; default off.
	Pool Pool
	// Dial opens the TCP connection; default a net.Dialer. Tests wrap it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Source reads threads and attachments from an IMAP server for the
// verified caller. It never changes the mailbox: folders are opened with
// EXAMINE and bodies read with BODY.PEEK. It is safe for concurrent use.
type Source struct {
	opts Options
	tls  *tls.Config
	pool *imapPool
}

// New checks opts, applies defaults and returns a source. It does
// not connect; see [Source.Ping].
func New(opts Options) (*Source, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: imap address %q: %w", opts.Addr, err)
	}
	switch opts.Security {
	case ImplicitTLS, StartTLS:
	case Plain:
		if !imapIsLoopback(host) {
			return nil, fmt.Errorf("mail: imap without TLS is allowed only on loopback, not %q", host)
		}
	default:
		return nil, fmt.Errorf("mail: unknown imap security mode %d", opts.Security)
	}
	n := 0
	if opts.Auth.Password != nil {
		n++
	}
	if opts.Auth.Master != nil {
		n++
		if opts.Auth.Master.Login == "" {
			return nil, errors.New("mail: imap master user needs a login")
		}
	}
	if opts.Auth.OAuth != "" {
		n++
		if opts.Auth.OAuth != MechOAuthBearer && opts.Auth.OAuth != MechXOAuth2 {
			return nil, fmt.Errorf("mail: unknown imap sasl mechanism %q", opts.Auth.OAuth)
		}
	}
	if n != 1 {
		return nil, errors.New("mail: imap auth needs exactly one of Password, Master, OAuth")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.TotalTimeout <= 0 {
		opts.TotalTimeout = 2 * time.Minute
	}
	if opts.SentNames == nil {
		opts.SentNames = []string{"Sent", "Sent Items", "Sent Messages", "Éléments envoyés", "Envoyés"}
	}
	if opts.ArchiveNames == nil {
		opts.ArchiveNames = []string{"Archive", "Archives"}
	}
	if opts.MaxMessages <= 0 {
		opts.MaxMessages = 100
	}
	if opts.MaxTextBytes <= 0 {
		opts.MaxTextBytes = 1 << 20
	}
	if opts.MaxAttachmentBytes <= 0 {
		opts.MaxAttachmentBytes = 25 << 20
	}
	if opts.Pool.IdleTimeout <= 0 {
		opts.Pool.IdleTimeout = 20 * time.Second
	}
	if opts.Dial == nil {
		d := &net.Dialer{}
		opts.Dial = d.DialContext
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Source{opts: opts}
	if opts.Security != Plain {
		s.tls = &tls.Config{ServerName: host, InsecureSkipVerify: opts.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
		if opts.ServerName != "" {
			s.tls.ServerName = opts.ServerName
		}
		if opts.CAFile != "" {
			pem, err := os.ReadFile(opts.CAFile)
			if err != nil {
				return nil, fmt.Errorf("mail: imap CA file: %w", err)
			}
			roots := x509.NewCertPool()
			if !roots.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("mail: imap CA file %s holds no PEM certificate", opts.CAFile)
			}
			s.tls.RootCAs = roots
		}
	}
	s.pool = newPool(opts.Pool, opts.Now)
	return s, nil
}

// Close closes the pooled connections.
func (s *Source) Close() error {
	s.pool.closeAll()
	return nil
}

// Ping connects and reads the server greeting, without logging in.
func (s *Source) Ping(ctx context.Context) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	c.logout()
	return nil
}

// imapIsLoopback reports whether host names the local machine.
func imapIsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
