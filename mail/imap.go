package mail

// This file declares the IMAP source: who is asking ([Caller]), how to reach
// the server ([IMAPOptions]) and the [IMAPSource] itself. The operations live
// in imapthread.go, imapattachment.go, imaprecent.go; the connection in
// imapconn.go.

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

// Caller is the verified identity a request runs for. The IMAP login is
// always derived from it, never from request input.
type Caller struct {
	// User is the mailbox login name (e.g. "jdupont" or "jdupont@pref.gouv.fr").
	User string
	// Email is the user's address; OAUTHBEARER and XOAUTH2 send it when set,
	// User otherwise.
	Email string
	// Token is the user's bearer token, for OAUTHBEARER and XOAUTH2.
	Token string
}

// IMAPSecurity selects how the connection is protected.
type IMAPSecurity int

const (
	// IMAPImplicitTLS connects with TLS from the first byte (port 993). The default.
	IMAPImplicitTLS IMAPSecurity = iota
	// IMAPStartTLS connects in clear and upgrades with STARTTLS (port 143).
	IMAPStartTLS
	// IMAPPlain uses no encryption at all; allowed only for loopback addresses.
	IMAPPlain
)

// SASL mechanisms accepted in [IMAPAuth.OAuth].
const (
	// MechOAuthBearer is RFC 7628 OAUTHBEARER.
	MechOAuthBearer = "OAUTHBEARER"
	// MechXOAuth2 is Google's and Microsoft's XOAUTH2 (Exchange Online offers only this).
	MechXOAuth2 = "XOAUTH2"
)

// IMAPAuth says how Plume logs in for a caller. Exactly one of Password,
// Master and OAuth is set.
type IMAPAuth struct {
	// Password returns the password of a user, for LOGIN. Meant for tests and
	// small deployments.
	Password func(user string) (string, error)
	// Master logs in as the caller with a service account (Dovecot master user).
	Master *IMAPMaster
	// OAuth names the SASL mechanism (MechOAuthBearer or MechXOAuth2) that
	// sends the caller's bearer token (Caller.Token).
	OAuth string
}

// IMAPMaster is a service account allowed to open any user's mailbox.
type IMAPMaster struct {
	// Login and Password are the service account's credentials.
	Login    string
	Password string
	// Template builds the login name: %s is replaced by the caller's user,
	// %m by Login. Default "%s*%m" (Dovecot's master user separator "*").
	Template string
}

// IMAPPool keeps a few authenticated connections per user between requests.
type IMAPPool struct {
	// Size is the number of idle connections kept per user; 0 disables pooling.
	Size int
	// IdleTimeout closes connections idle for longer; default 20 s (the IMAP
	// client drops a silent connection after 30 s anyway).
	IdleTimeout time.Duration
}

// IMAPOptions configures an [IMAPSource]. Only Addr and Auth are required.
type IMAPOptions struct {
	// Addr is the server's host:port; ":993"/":143" are not guessed.
	Addr string
	// Security is the transport mode; default implicit TLS.
	Security IMAPSecurity
	// ServerName overrides the TLS server name; default the host of Addr.
	ServerName string
	// CAFile is a PEM bundle of extra trusted roots; default the system roots.
	CAFile string
	// InsecureSkipVerify disables certificate verification (tests only). Default false.
	InsecureSkipVerify bool
	// Timeout bounds the dial, the login and every command; default 10 s.
	Timeout time.Duration

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
	Auth IMAPAuth
	// Pool keeps authenticated connections; default off.
	Pool IMAPPool
	// Dial opens the TCP connection; default a net.Dialer. Tests wrap it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// IMAPSource reads threads and attachments from an IMAP server for the
// verified caller. It never changes the mailbox: folders are opened with
// EXAMINE and bodies read with BODY.PEEK. It is safe for concurrent use.
type IMAPSource struct {
	opts IMAPOptions
	tls  *tls.Config
	pool *imapPool
}

// NewIMAPSource checks opts, applies defaults and returns a source. It does
// not connect; see [IMAPSource.Ping].
func NewIMAPSource(opts IMAPOptions) (*IMAPSource, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: imap address %q: %w", opts.Addr, err)
	}
	switch opts.Security {
	case IMAPImplicitTLS, IMAPStartTLS:
	case IMAPPlain:
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
	s := &IMAPSource{opts: opts}
	if opts.Security != IMAPPlain {
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
	s.pool = newIMAPPool(opts.Pool, opts.Now)
	return s, nil
}

// Close closes the pooled connections.
func (s *IMAPSource) Close() error {
	s.pool.closeAll()
	return nil
}

// Ping connects and reads the server greeting, without logging in.
func (s *IMAPSource) Ping(ctx context.Context) error {
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
