package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"

	mailimap "github.com/plume-admin/plume/mail/imap"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Options configures the demo IMAP server. The zero value works.
type Options struct {
	// User is the login (default "agent").
	User string
	// Password is the password (default "demo").
	Password string
	// Logger receives the server's error messages (default: discarded).
	Logger imapserver.Logger
	// Items replaces the demo messages (default: Messages()).
	Items []Item
}

// Server is a running demo IMAP server.
type Server struct {
	srv  *imapserver.Server
	ln   net.Listener
	done chan error
	once sync.Once
	// User and Password are the credentials the server accepts.
	User, Password string
}

// folder is a mailbox of the demo server with its SPECIAL-USE attributes.
type folder struct {
	name  string
	attrs []imap.MailboxAttr
}

var demoFolders = []folder{
	{Inbox, nil},
	{Sent, []imap.MailboxAttr{imap.MailboxAttrSent}},
	{Archive, []imap.MailboxAttr{imap.MailboxAttrArchive}},
	{Drafts, []imap.MailboxAttr{imap.MailboxAttrDrafts}},
}

// ServeLoopback is Serve on a free port of 127.0.0.1 (see Server.Addr).
func ServeLoopback(opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s, err := Serve(ln, opts)
	if err != nil {
		ln.Close()
	}
	return s, err
}

// Serve seeds an in-memory mailbox with the demo messages and serves it
// over IMAP (no TLS; meant for loopback) on ln until Close.
func Serve(ln net.Listener, opts Options) (*Server, error) {
	if opts.User == "" {
		opts.User = "agent"
	}
	if opts.Password == "" {
		opts.Password = "demo"
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	items := opts.Items
	if items == nil {
		items = Messages()
	}
	user := imapmemserver.NewUser(opts.User, opts.Password)
	names := &folderSet{attrs: map[string][]imap.MailboxAttr{}}
	for _, f := range demoFolders {
		if err := user.Create(f.name, nil); err != nil {
			return nil, fmt.Errorf("demo: create %s: %w", f.name, err)
		}
		names.add(f.name, f.attrs)
	}
	for _, it := range items {
		if _, ok := names.attrs[it.Folder]; !ok {
			if err := user.Create(it.Folder, nil); err != nil {
				return nil, fmt.Errorf("demo: create %s: %w", it.Folder, err)
			}
			names.add(it.Folder, nil)
		}
		lit := bytes.NewReader(it.Raw)
		if _, err := user.Append(it.Folder, lit, &imap.AppendOptions{Flags: it.Flags, Time: it.Date}); err != nil {
			return nil, fmt.Errorf("demo: append %s: %w", it.MessageID, err)
		}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{user: user, folders: names}, nil, nil
		},
		Caps: imap.CapSet{
			imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapSpecialUse: {},
			imap.CapNamespace: {}, imap.CapUIDPlus: {}, imap.CapMove: {}, imap.CapESearch: {},
			imap.CapListExtended: {}, imap.CapListStatus: {},
		},
		Logger:       opts.Logger,
		InsecureAuth: true,
	})
	s := &Server{srv: srv, ln: ln, done: make(chan error, 1), User: opts.User, Password: opts.Password}
	go func() { s.done <- srv.Serve(ln) }()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// IMAPOptions are the options that read this server as its user: plain
// IMAP on loopback and the server's password. Callers may add a pool or
// a timeout before mailimap.New.
func (s *Server) IMAPOptions() mailimap.Options {
	password := s.Password
	return mailimap.Options{
		Addr:     s.Addr().String(),
		Security: mailimap.Plain,
		Auth:     mailimap.Auth{Password: func(string) (string, error) { return password, nil }},
	}
}

// Close stops the server and closes its listener and connections.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		err = s.srv.Close()
		if e := <-s.done; e != nil && !errors.Is(e, net.ErrClosed) && err == nil {
			err = e
		}
	})
	return err
}

// folderSet remembers mailbox names and their SPECIAL-USE attributes,
// which imapmemserver does not keep.
type folderSet struct {
	mu    sync.Mutex
	attrs map[string][]imap.MailboxAttr
	order []string
}

func (f *folderSet) add(name string, attrs []imap.MailboxAttr) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.attrs[name]; !ok {
		f.order = append(f.order, name)
	}
	f.attrs[name] = attrs
}

func (f *folderSet) remove(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.attrs, name)
	for i, n := range f.order {
		if n == name {
			f.order = append(f.order[:i:i], f.order[i+1:]...)
			break
		}
	}
}

type listed struct {
	name  string
	attrs []imap.MailboxAttr
}

func (f *folderSet) list() []listed {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]listed, 0, len(f.order))
	for _, n := range f.order {
		out = append(out, listed{n, f.attrs[n]})
	}
	return out
}

// session is imapmemserver's user session with LIST answering SPECIAL-USE.
type session struct {
	*imapmemserver.UserSession
	user    *imapmemserver.User
	folders *folderSet
}

var _ imapserver.Session = (*session)(nil)

func (s *session) Login(username, password string) error {
	if err := s.user.Login(username, password); err != nil {
		return err
	}
	s.UserSession = imapmemserver.NewUserSession(s.user)
	return nil
}

func (s *session) Close() error {
	if s.UserSession == nil {
		return nil
	}
	return s.UserSession.Close()
}

func (s *session) Create(name string, options *imap.CreateOptions) error {
	if err := s.UserSession.Create(name, options); err != nil {
		return err
	}
	var attrs []imap.MailboxAttr
	if options != nil {
		attrs = options.SpecialUse
	}
	s.folders.add(name, attrs)
	return nil
}

func (s *session) Delete(name string) error {
	if err := s.UserSession.Delete(name); err != nil {
		return err
	}
	s.folders.remove(name)
	return nil
}

func (s *session) Rename(oldName, newName string, options *imap.RenameOptions) error {
	if err := s.UserSession.Rename(oldName, newName, options); err != nil {
		return err
	}
	var attrs []imap.MailboxAttr
	for _, l := range s.folders.list() {
		if l.name == oldName {
			attrs = l.attrs
		}
	}
	s.folders.remove(oldName)
	s.folders.add(newName, attrs)
	return nil
}

// List answers LIST with the folders' SPECIAL-USE attributes.
func (s *session) List(w *imapserver.ListWriter, ref string, patterns []string, options *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: '/'})
	}
	if options == nil {
		options = &imap.ListOptions{}
	}
	for _, f := range s.folders.list() {
		match := false
		for _, p := range patterns {
			if imapserver.MatchList(f.name, '/', ref, p) {
				match = true
				break
			}
		}
		if !match || options.SelectSpecialUse && len(f.attrs) == 0 {
			continue
		}
		data := &imap.ListData{Mailbox: f.name, Delim: '/'}
		if options.SelectSubscribed || options.ReturnSubscribed {
			data.Attrs = append(data.Attrs, imap.MailboxAttrSubscribed)
		}
		data.Attrs = append(data.Attrs, f.attrs...)
		if options.ReturnStatus != nil {
			st, err := s.UserSession.Status(f.name, options.ReturnStatus)
			if err != nil {
				return err
			}
			data.Status = st
		}
		if err := w.WriteList(data); err != nil {
			return err
		}
	}
	return nil
}
