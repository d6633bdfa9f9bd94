package imaptest

import (
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// StartMem starts go-imap's in-memory server on 127.0.0.1:0, seeded with
// opts.Messages over IMAP APPEND, and stops it when t ends. Besides LOGIN it
// accepts AUTHENTICATE PLAIN, XOAUTH2 and OAUTHBEARER (with opts.Token) and
// records every exchange (see [Server.SASL]). LIST returns SPECIAL-USE
// attributes for Sent and Archive. It advertises IMAP4rev1 without THREAD,
// so clients exercise their fallback threading.
func StartMem(t testing.TB, opts Options) *Server {
	t.Helper()
	return startMem(t, opts, plainSetup())
}

// plainSetup is the layout of StartMem: INBOX, Sent (\Sent), Archive (\Archive).
func plainSetup() memSetup {
	return memSetup{
		folders: []string{Inbox, Sent, Archive},
		attrs:   map[string]imap.MailboxAttr{Sent: imap.MailboxAttrSent, Archive: imap.MailboxAttrArchive},
	}
}

// memSetup is what differs between the servers built on imapmemserver.
type memSetup struct {
	folders []string                    // created first, in order
	attrs   map[string]imap.MailboxAttr // SPECIAL-USE attribute by folder
	tls     *tls.Config                 // offers STARTTLS when set
	seed    []Message                   // appended instead of opts.Messages when set
}

func startMem(t testing.TB, opts Options, setup memSetup) *Server {
	t.Helper()
	opts.defaults()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(opts.User, opts.Password)
	seed := opts.Messages
	if setup.seed != nil {
		seed = setup.seed
	}
	folders := append([]string(nil), setup.folders...)
	for _, m := range seed {
		if !contains(folders, m.Folder) {
			folders = append(folders, m.Folder)
		}
	}
	for _, f := range folders {
		if err := user.Create(f, nil); err != nil {
			t.Fatalf("imaptest: create %s: %v", f, err)
		}
	}
	mem.AddUser(user)

	var mu sync.Mutex
	var log []SASLAttempt
	record := func(a SASLAttempt) {
		mu.Lock()
		log = append(log, a)
		mu.Unlock()
	}
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapSpecialUse: {}, imap.CapSASLIR: {}, imap.CapLiteralPlus: {}}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &memSession{opts: &opts, user: user, folders: folders, attrs: setup.attrs, record: record}, nil, nil
		},
		Caps:         caps,
		TLSConfig:    setup.tls,
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("imaptest: listen: %v", err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s := &Server{Kind: "mem", Addr: ln.Addr().String(), User: opts.User, Password: opts.Password, Token: opts.Token}
	s.saslLog = func() []SASLAttempt {
		mu.Lock()
		defer mu.Unlock()
		return append([]SASLAttempt(nil), log...)
	}
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatalf("imaptest: dial: %v", err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("imaptest: login: %v", err)
	}
	appendAll(t, c, seed)
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

// memSession is an imapmemserver session with SASL bearer mechanisms and
// SPECIAL-USE listing.
type memSession struct {
	*imapmemserver.UserSession // nil until authenticated

	opts    *Options
	user    *imapmemserver.User
	folders []string
	attrs   map[string]imap.MailboxAttr
	record  func(SASLAttempt)
}

var _ imapserver.SessionSASL = (*memSession)(nil)

func (s *memSession) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

func (s *memSession) Login(username, password string) error {
	if err := s.user.Login(username, password); err != nil {
		return err
	}
	s.UserSession = imapmemserver.NewUserSession(s.user)
	return nil
}

func (s *memSession) AuthenticateMechanisms() []string {
	return []string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}
}

func (s *memSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return imapserver.ErrAuthFailed
			}
			return s.Login(username, password)
		}), nil
	case "OAUTHBEARER":
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			ok := o.Username == s.opts.User && o.Token == s.opts.Token
			s.record(SASLAttempt{Mech: mech, User: o.Username, Token: o.Token, OK: ok})
			if !ok {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			s.UserSession = imapmemserver.NewUserSession(s.user)
			return nil
		}), nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) bool {
			ok := user == s.opts.User && token == s.opts.Token
			s.record(SASLAttempt{Mech: mech, User: user, Token: token, OK: ok})
			if ok {
				s.UserSession = imapmemserver.NewUserSession(s.user)
			}
			return ok
		}}, nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

// List lists the seeded folders with their SPECIAL-USE attributes
// (imapmemserver keeps none). Patterns "*", "%" and exact names are honoured.
func (s *memSession) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: '/'})
	}
	for _, f := range s.folders {
		match := false
		for _, p := range patterns {
			if p == "*" || p == "%" || strings.EqualFold(p, f) {
				match = true
			}
		}
		if !match {
			continue
		}
		var attrs []imap.MailboxAttr
		if a, ok := s.attrs[f]; ok && options != nil && (options.ReturnSpecialUse || options.SelectSpecialUse) {
			attrs = append(attrs, a)
		}
		if options != nil && options.SelectSpecialUse && len(attrs) == 0 {
			continue
		}
		if err := w.WriteList(&imap.ListData{Mailbox: f, Delim: '/', Attrs: attrs}); err != nil {
			return err
		}
	}
	return nil
}

// xoauth2Server is the server side of XOAUTH2: one client response
// "user=U^Aauth=Bearer T^A^A"; on failure a JSON challenge, then NO.
type xoauth2Server struct {
	check  func(user, token string) bool
	failed bool
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed {
		return nil, true, imapserver.ErrAuthFailed
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	user, token, ok := ParseXOAuth2(resp)
	if ok && x.check(user, token) {
		return nil, true, nil
	}
	if !ok {
		x.check("", "")
	}
	x.failed = true
	return []byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/IMAP.AccessAsUser.All"}`), false, nil
}

// ParseXOAuth2 splits an XOAUTH2 client response into user and token.
func ParseXOAuth2(resp []byte) (user, token string, ok bool) {
	s := string(resp)
	if !strings.HasSuffix(s, "\x01\x01") {
		return "", "", false
	}
	for _, f := range strings.Split(strings.TrimSuffix(s, "\x01\x01"), "\x01") {
		switch {
		case strings.HasPrefix(f, "user="):
			user = strings.TrimPrefix(f, "user=")
		case strings.HasPrefix(f, "auth=Bearer "):
			token = strings.TrimPrefix(f, "auth=Bearer ")
		}
	}
	return user, token, user != "" && token != ""
}
