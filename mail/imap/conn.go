package imap

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/internal/imapraw"
)

// imapDeadlineConn enforces Plume's deadline under go-imap, which sets its
// own (30 s) deadlines: the effective deadline is the earlier of the two.
// Plume's deadline is an idle one: every byte the server sends (a progress
// line such as Dovecot's "* OK Searched 40% of the mailbox", any untagged
// data) moves it idle further, up to the hard limit of the request, so a
// server that works slowly is given time and a silent one is not. It also
// remembers whether an I/O call timed out, and whether the server was
// still sending when it did.
type imapDeadlineConn struct {
	net.Conn

	mu       sync.Mutex
	idle     time.Duration // how long the server may stay silent; zero when disarmed
	hard     time.Time     // the request's own deadline; zero when none
	lastData time.Time     // when the server last sent something
	alive    atomic.Bool   // the last timeout came while the server was still sending
	limit    time.Time     // Plume's current deadline; zero when disarmed
	rd, wd   time.Time     // deadlines asked by go-imap
	timedOut atomic.Bool
}

func imapEarliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func (c *imapDeadlineConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.heard()
	}
	c.note(err)
	return n, err
}

// heard moves the idle deadline on: the server is working.
func (c *imapDeadlineConn) heard() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.lastData = now
	if c.idle <= 0 {
		return
	}
	c.limit = imapEarliest(now.Add(c.idle), c.hard)
	_ = c.Conn.SetReadDeadline(imapEarliest(c.rd, c.limit))
	_ = c.Conn.SetWriteDeadline(imapEarliest(c.wd, c.limit))
}

func (c *imapDeadlineConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.note(err)
	return n, err
}

func (c *imapDeadlineConn) note(err error) {
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		c.timedOut.Store(true)
		c.mu.Lock()
		c.noteAliveLocked()
		c.mu.Unlock()
	}
}

func (c *imapDeadlineConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rd, c.wd = t, t
	return c.Conn.SetDeadline(imapEarliest(t, c.limit))
}

func (c *imapDeadlineConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rd = t
	return c.Conn.SetReadDeadline(imapEarliest(t, c.limit))
}

func (c *imapDeadlineConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wd = t
	return c.Conn.SetWriteDeadline(imapEarliest(t, c.limit))
}

// noteAliveLocked records whether the server sent something within the
// idle window: a deadline reached now is the request's, not the server's
// silence.
func (c *imapDeadlineConn) noteAliveLocked() {
	if c.idle > 0 && !c.lastData.IsZero() && time.Since(c.lastData) < c.idle {
		c.alive.Store(true)
	}
}

// expire ends pending I/O now (the request's context ended).
func (c *imapDeadlineConn) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.noteAliveLocked()
	c.limit = time.Unix(1, 0)
	_ = c.Conn.SetReadDeadline(c.limit)
	_ = c.Conn.SetWriteDeadline(c.limit)
}

// arm sets Plume's deadline: silence of at most idle, and never past hard
// (zero: no hard limit). A zero idle disarms it.
func (c *imapDeadlineConn) arm(idle time.Duration, hard time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idle, c.hard = idle, hard
	c.limit = time.Time{}
	if idle > 0 {
		c.alive.Store(false) // a new command: what the last one saw is read already
		c.limit = imapEarliest(time.Now().Add(idle), hard)
	}
	_ = c.Conn.SetReadDeadline(imapEarliest(c.rd, c.limit))
	_ = c.Conn.SetWriteDeadline(imapEarliest(c.wd, c.limit))
}

// imapConn is one IMAP connection, logged in or not.
type imapConn struct {
	src      *Source
	dc       *imapDeadlineConn
	raw      *imapraw.Conn // under cl: carries commands go-imap cannot send
	cl       *imapclient.Client
	caps     imap.CapSet
	user     string            // pool key: the caller's Key (principal, mailbox, token hash)
	folders  []string          // resolved folder list, cached
	allMail  string            // the \All folder (Gmail's All Mail), "" when none
	selected string            // folder opened with EXAMINE, "" when none
	sizes    map[string]uint32 // messages per folder, as last opened
	trees    imapTreeCache     // THREAD answers of unchanged folders (trees.go)
	broken   bool              // must not go back to the pool
	idleAt   time.Time
}

// dial connects, negotiates TLS and waits for the greeting.
func (s *Source) dial(ctx context.Context) (*imapConn, error) {
	deadline := s.opts.Now().Add(s.opts.Timeout)
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	raw, err := s.opts.Dial(dctx, "tcp", s.opts.Addr)
	if err != nil {
		if dctx.Err() != nil {
			// Our deadline, the caller's deadline or the caller gave up.
			return nil, fmt.Errorf("%w: connecting to %s: %w", mail.ErrTimeout, s.opts.Addr, err)
		}
		return nil, fmt.Errorf("%w: connecting to %s: %w", mail.ErrUnavailable, s.opts.Addr, err)
	}
	dc := &imapDeadlineConn{Conn: raw}
	c := &imapConn{src: s, dc: dc}
	stop := c.armCtx(ctx)
	defer stop()
	opts := &imapclient.Options{
		WordDecoder:           &mime.WordDecoder{CharsetReader: charset.Reader},
		UnilateralDataHandler: c.trees.watch(),
	}
	// go-imap runs over the raw command layer (imapraw.go), itself over TLS.
	switch s.opts.Security {
	case ImplicitTLS:
		tc := tls.Client(dc, s.tls.Clone())
		if err := tc.HandshakeContext(dctx); err != nil {
			raw.Close()
			return nil, c.classify("tls handshake", err)
		}
		c.raw = imapraw.New(tc, "")
	case StartTLS:
		tc, err := imapraw.StartTLS(dctx, dc, s.tls.Clone())
		if err != nil {
			raw.Close()
			return nil, c.classify("starttls", err)
		}
		c.raw = imapraw.New(tc, imapraw.Greeting)
	default:
		c.raw = imapraw.New(dc, "")
	}
	c.cl = imapclient.New(c.raw, opts)
	if err := c.cl.WaitGreeting(); err != nil {
		c.close()
		return nil, c.classify("greeting", err)
	}
	return c, nil
}

// armCtx arms the connection deadline: Timeout of silence from the server,
// never past ctx's deadline; ctx cancellation ends pending I/O. The
// returned func disarms.
func (c *imapConn) armCtx(ctx context.Context) func() {
	hard, _ := ctx.Deadline()
	c.dc.arm(c.src.opts.Timeout, hard)
	stop := context.AfterFunc(ctx, c.dc.expire)
	return func() {
		stop()
		c.dc.arm(0, time.Time{})
	}
}

// run executes f, which sends commands and waits for them, under the
// per-command deadline; its error is classified.
func (c *imapConn) run(ctx context.Context, what string, f func() error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %s: %w", mail.ErrTimeout, what, err)
	}
	stop := c.armCtx(ctx)
	err := f()
	stop()
	if err != nil {
		if ctx.Err() != nil && !c.dc.timedOut.Load() {
			c.broken = true
			return fmt.Errorf("%w: %s: %w", mail.ErrTimeout, what, ctx.Err())
		}
		return c.classify(what, err)
	}
	return nil
}

// classify maps a client error to the package's sentinels.
func (c *imapConn) classify(what string, err error) error {
	var ie *imap.Error
	switch {
	case c.dc.timedOut.Load() && c.dc.alive.Load():
		c.broken = true
		return fmt.Errorf("%w: %s: %w", mail.ErrStillWorking, what, err)
	case c.dc.timedOut.Load():
		c.broken = true
		return fmt.Errorf("%w: %s: %w", mail.ErrTimeout, what, err)
	case errors.As(err, &ie):
		if ie.Code == imap.ResponseCodeAuthenticationFailed || ie.Code == imap.ResponseCodeAuthorizationFailed || what == "login" {
			c.broken = true
			return fmt.Errorf("%w: %s: %w", mail.ErrAuth, what, err)
		}
		if ie.Code == imap.ResponseCodeNonExistent {
			return fmt.Errorf("%w: %s: %w", mail.ErrNotFound, what, err)
		}
		return fmt.Errorf("%w: %s: %w", mail.ErrUnavailable, what, err)
	case errors.Is(err, mail.ErrAuth):
		c.broken = true
		return err
	default:
		c.broken = true
		return fmt.Errorf("%w: %s: %w", mail.ErrUnavailable, what, err)
	}
}

// close drops the connection without LOGOUT.
func (c *imapConn) close() {
	if c.cl != nil {
		_ = c.cl.Close()
	} else {
		_ = c.dc.Close()
	}
}

// logout says goodbye politely but without waiting long, then closes.
func (c *imapConn) logout() {
	c.dc.arm(time.Second, time.Now().Add(time.Second))
	_ = c.cl.Logout().Wait()
	c.close()
}

// login authenticates as the caller with the configured method.
func (c *imapConn) login(ctx context.Context, who mail.Caller) error {
	a := c.src.opts.Auth
	c.user = c.src.poolKey(who)
	if who.User == "" && who.Email == "" {
		c.broken = true
		return fmt.Errorf("%w: no caller identity", mail.ErrAuth)
	}
	err := c.run(ctx, "login", func() error {
		switch {
		case a.Password != nil:
			pw, err := a.Password(who.User)
			if err != nil {
				return fmt.Errorf("%w: password for %q: %w", mail.ErrAuth, who.User, err)
			}
			return c.cl.Login(who.User, pw).Wait()
		case a.Master != nil:
			tmpl := a.Master.Template
			if tmpl == "" {
				tmpl = "%s*%m"
			}
			login := strings.ReplaceAll(strings.ReplaceAll(tmpl, "%s", who.User), "%m", a.Master.Login)
			return c.cl.Login(login, a.Master.Password).Wait()
		default:
			if who.Token == "" {
				return fmt.Errorf("%w: caller has no bearer token for %s", mail.ErrAuth, a.OAuth)
			}
			id := who.Email
			if id == "" {
				id = who.User
			}
			if !c.cl.Caps().Has(imap.Cap("AUTH=" + a.OAuth)) {
				return fmt.Errorf("%w: server does not offer AUTH=%s", mail.ErrAuth, a.OAuth)
			}
			var sc *oauthClient
			if a.OAuth == MechXOAuth2 {
				sc = newXOAuth2Client(id, who.Token)
			} else {
				sc = newOAuthBearerClient(id, who.Token)
			}
			err := c.cl.Authenticate(sc)
			if err != nil && sc.failure != nil {
				return fmt.Errorf("%w: %w (%w)", mail.ErrAuth, err, sc.failure)
			}
			return err
		}
	})
	if err != nil {
		return err
	}
	// go-imap asks CAPABILITY again after login when the server did not
	// send it with the OK; wait for it here so later commands don't.
	return c.run(ctx, "capability", func() error {
		c.caps = c.cl.Caps()
		if c.caps == nil {
			return errors.New("no capability list")
		}
		return nil
	})
}

// examine opens folder read-only unless it is already open.
func (c *imapConn) examine(folder string) *imapclient.SelectCommand {
	if c.selected == folder {
		return nil
	}
	c.selected = folder
	return c.cl.Select(folder, &imap.SelectOptions{ReadOnly: true})
}

// waitExamine waits for an EXAMINE sent by examine (nil: nothing was sent).
func (c *imapConn) waitExamine(cmd *imapclient.SelectCommand) error {
	if cmd == nil {
		return nil
	}
	data, err := cmd.Wait()
	if err != nil {
		c.selected = ""
		return err
	}
	c.setSize(c.selected, data.NumMessages)
	c.trees.opened(c.selected, data)
	return nil
}

// setSize records how many messages folder holds.
func (c *imapConn) setSize(folder string, n uint32) {
	if c.sizes == nil {
		c.sizes = map[string]uint32{}
	}
	c.sizes[folder] = n
}
