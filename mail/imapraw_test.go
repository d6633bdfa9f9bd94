package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/plume-admin/plume/mail/imaptest"
)

// rawConn logs in to srv and returns the connection, released at the end.
func rawConn(t *testing.T, src *IMAPSource, who Caller) *imapConn {
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
		resp, err = c.raw.command(ctx, c.cl.Closed(), line)
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
			c := rawConn(t, newTestSource(t, srv, nil), Caller{User: srv.User})
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
			c := rawConn(t, newTestSource(t, srv, nil), Caller{User: srv.User})
			ctx := context.Background()
			for _, line := range []string{"XPLUMENOPE", "EXAMINE \"No such folder\"", "UID FETCH 1 (X-GM-THRID)"} {
				_, err := rawCommand(ctx, c, line)
				var ie *imap.Error
				if !errors.As(err, &ie) || !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: err = %v, want an *imap.Error", line, err)
				}
				if c.broken {
					t.Errorf("%s: connection marked broken", line)
				}
			}
			if _, err := rawCommand(ctx, c, "bad\r\nline"); !errors.Is(err, errRawLine) {
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
	src, err := NewIMAPSource(IMAPOptions{
		Addr: addr, Security: IMAPPlain, Timeout: 300 * time.Millisecond,
		Auth: IMAPAuth{Password: func(string) (string, error) { return "x", nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := rawConn(t, src, Caller{User: "u"})
	start := time.Now()
	_, err = rawCommand(context.Background(), c, "UID FETCH 7 (X-GM-THRID)")
	if !errors.Is(err, ErrTimeout) {
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
func readOverTLS(t *testing.T, src *IMAPSource, user string) {
	t.Helper()
	ctx := context.Background()
	th, err := src.Thread(ctx, Caller{User: user}, "<t1-3@mairie-exemple.fr>")
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Messages) != len(detrThread) {
		t.Errorf("%d messages, want %d", len(th.Messages), len(detrThread))
	}
	c := rawConn(t, src, Caller{User: user})
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
	src := newTestSource(t, srv, func(o *IMAPOptions) {
		o.Security = IMAPStartTLS
		o.CAFile = ca
	})
	ctx := context.Background()
	readOverTLS(t, src, srv.User)
	if err := src.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	// A server without STARTTLS is refused before any login.
	plain := imaptest.StartMem(t, imaptest.Options{})
	bad := newTestSource(t, plain, func(o *IMAPOptions) { o.Security = IMAPStartTLS; o.InsecureSkipVerify = true })
	if err := bad.Ping(ctx); !errors.Is(err, ErrUnavailable) || !errors.Is(err, errSTARTTLS) {
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
			src, err := NewIMAPSource(IMAPOptions{
				Addr: ln.Addr().String(), Security: IMAPStartTLS, Timeout: 500 * time.Millisecond,
				Auth: IMAPAuth{Password: func(string) (string, error) { return "x", nil }},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := src.Ping(context.Background()); !errors.Is(err, ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
		})
	}
}

// imapRawFeed runs the line reader over chunks of in, with a raw command
// in flight when raw is set, and returns what go-imap got.
func imapRawFeed(in []byte, cut []byte, raw bool) (r *imapRawConn, cmd *imapRawCmd) {
	r = newIMAPRawConn(nil, "")
	if raw {
		cmd = &imapRawCmd{tag: imapRawTagPrefix + "1", done: make(chan struct{})}
		r.cmd = cmd
	}
	for len(in) > 0 {
		n := 1
		if len(cut) > 0 {
			n = int(cut[0])%64 + 1
			cut = cut[1:]
		}
		n = min(n, len(in))
		r.feed(in[:n])
		in = in[n:]
	}
	return r, cmd
}

var imapRawStreams = []struct {
	in             string
	idle, inFlight string // what go-imap gets
	untagged       int    // responses the raw command gets
	finished       bool
}{
	{"* 1 FETCH (UID 4 BODY[] {11}\r\nPLM1 OK hi)\r\nT1 OK done\r\n", "* 1 FETCH (UID 4 BODY[] {11}\r\nPLM1 OK hi)\r\nT1 OK done\r\n", "T1 OK done\r\n", 1, false},
	{"* SEARCH 1 2 3\r\nPLM1 OK done\r\n* 2 EXISTS\r\n", "* SEARCH 1 2 3\r\n* 2 EXISTS\r\n", "* 2 EXISTS\r\n", 1, true},
	{"* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)\r\nPLM1 NO [CANNOT] no\r\n", "* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)\r\n", "", 1, true},
	{"* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)\r\n* 3 EXPUNGE\r\nPLM1 OK Success\r\n", "* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)\r\n* 3 EXPUNGE\r\n", "", 2, true},
}

// The reader routes as the protocol says, however the stream is cut.
func TestIMAPRawRoute(t *testing.T) {
	for _, tc := range imapRawStreams {
		for _, cut := range [][]byte{nil, {3, 7, 1}, {63}, {12, 0, 0, 40}} {
			r, _ := imapRawFeed([]byte(tc.in), cut, false)
			if string(r.out) != tc.idle {
				t.Errorf("idle: %q cut %v: go-imap got %q", tc.in, cut, r.out)
			}
			r, cmd := imapRawFeed([]byte(tc.in), cut, true)
			if string(r.out) != tc.inFlight {
				t.Errorf("in flight: %q cut %v: go-imap got %q", tc.in, cut, r.out)
			}
			if cmd.finished != tc.finished || len(cmd.untagged) != tc.untagged {
				t.Errorf("in flight: %q: finished %v, untagged %q", tc.in, cmd.finished, cmd.untagged)
			}
		}
	}
	_, cmd := imapRawFeed([]byte(imapRawStreams[2].in), nil, true)
	var ie *imap.Error
	if !errors.As(cmd.err, &ie) || ie.Type != imap.StatusResponseTypeNo || ie.Code != "CANNOT" || ie.Text != "no" {
		t.Errorf("NO: err = %#v", cmd.err)
	}
	if got := string(cmd.untagged[0]); got != "* 1 FETCH (BODY[] {5+}\r\n* a\r\n BODY[1] {0}\r\n)" {
		t.Errorf("literal kept whole: %q", got)
	}
}

func FuzzIMAPRawRead(f *testing.F) {
	for _, tc := range imapRawStreams {
		f.Add([]byte(tc.in), []byte{3, 9}, true)
		f.Add([]byte(tc.in), []byte{}, false)
	}
	f.Fuzz(func(t *testing.T, in, cut []byte, raw bool) {
		r, cmd := imapRawFeed(in, cut, raw)
		got := r.out
		if !raw && !bytes.Contains(in, []byte(imapRawTagPrefix)) && !bytes.Equal(in, append(got, r.head...)) {
			t.Fatalf("idle reader dropped bytes: %q -> %q", in, got)
		}
		if raw && len(got)+cmd.size > len(in) {
			t.Fatalf("more out than in")
		}
	})
}

// FuzzIMAPParseThrid also covers the SEARCH, literal-size, status and
// capability parsers.
func FuzzIMAPParseThrid(f *testing.F) {
	f.Add([]byte("* 12 FETCH (X-GM-THRID 1278455344230334865 UID 4)"))
	f.Add([]byte("* SEARCH 4 5 6"))
	f.Add([]byte("* 1 FETCH (UID 4294967296 X-GM-THRID 0)"))
	f.Add([]byte("[CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready"))
	f.Fuzz(func(t *testing.T, line []byte) {
		if caps := imapCapsCode(string(line)); caps != nil && !bytes.HasPrefix(line, []byte("[")) {
			t.Fatal("capabilities read from outside a response code")
		}
		if _, id, ok := imapParseThrid(line); ok && id == 0 {
			t.Fatal("thread id 0 accepted")
		}
		for _, u := range imapParseSearch([][]byte{line}) {
			if u == 0 {
				t.Fatal("UID 0 accepted")
			}
		}
		if n, ok := imapLiteralSize(line); ok && n < 0 {
			t.Fatal("negative literal")
		}
		_ = imapRawStatus(string(line))
	})
}

// BenchmarkIMAPRawRead: what the line reader under go-imap costs on a
// THREAD answer for 8,000 messages and a FETCH of ten 1 KiB literals.
func BenchmarkIMAPRawRead(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("* THREAD ")
	for i := 1; i <= 8000; i += 4 {
		fmt.Fprintf(&in, "(%d %d %d %d)", i, i+1, i+2, i+3)
	}
	in.WriteString("\r\nT1 OK done\r\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&in, "* %d FETCH (UID %d BODY[HEADER] {1024}\r\n%s)\r\n", i, i, bytes.Repeat([]byte("x"), 1024))
	}
	in.WriteString("T2 OK done\r\n")
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := newIMAPRawConn(nil, "")
		for off := 0; off < len(data); off += 4096 {
			r.feed(data[off:min(off+4096, len(data))])
			r.out = r.out[:0]
		}
	}
}

// STARTTLS and implicit TLS against the private Dovecot and its
// self-signed certificate; without that certificate trusted, no login.
func TestIMAPTLSDovecot(t *testing.T) {
	srv := imaptest.StartDovecot(t, imaptest.Options{Messages: imaptest.Fixtures(t)})
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		security IMAPSecurity
		addr     string
	}{
		{"starttls", IMAPStartTLS, srv.Addr},
		{"implicit", IMAPImplicitTLS, srv.TLSAddr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := newTestSource(t, srv, func(o *IMAPOptions) {
				o.Addr, o.Security, o.CAFile = tc.addr, tc.security, srv.CAFile
			})
			readOverTLS(t, src, srv.User)
			untrusted := newTestSource(t, srv, func(o *IMAPOptions) { o.Addr, o.Security = tc.addr, tc.security })
			var ue x509.UnknownAuthorityError
			if err := untrusted.Ping(ctx); !errors.Is(err, ErrUnavailable) || !errors.As(err, &ue) {
				t.Errorf("untrusted certificate: err = %v", err)
			}
		})
	}
}
