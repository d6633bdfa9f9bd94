package imap

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
)

// faultServer is a scripted IMAP server: it logs in anyone, lists INBOX,
// answers EXAMINE and SEARCH, then behaves as fault says on FETCH.
func faultServer(t *testing.T, fault func(tag string, w *bufio.Writer, c net.Conn) (closed bool)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r, w := bufio.NewReader(c), bufio.NewWriter(c)
				w.WriteString("* OK [CAPABILITY IMAP4rev1] fault server\r\n")
				w.Flush()
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					f := strings.Fields(line)
					if len(f) < 2 {
						continue
					}
					tag, cmd := f[0], strings.ToUpper(f[1])
					if cmd == "UID" && len(f) > 2 {
						cmd = "UID " + strings.ToUpper(f[2])
					}
					switch cmd {
					case "LOGIN":
						w.WriteString(tag + " OK [CAPABILITY IMAP4rev1] logged in\r\n")
					case "CAPABILITY":
						w.WriteString("* CAPABILITY IMAP4rev1\r\n" + tag + " OK done\r\n")
					case "LIST":
						w.WriteString("* LIST () \"/\" INBOX\r\n" + tag + " OK done\r\n")
					case "EXAMINE":
						w.WriteString("* 1 EXISTS\r\n* OK [UIDVALIDITY 1] x\r\n" + tag + " OK [READ-ONLY] done\r\n")
					case "UID SEARCH":
						w.WriteString("* SEARCH 7\r\n" + tag + " OK done\r\n")
					case "UID FETCH":
						if fault(tag, w, c) {
							return
						}
					case "LOGOUT":
						w.WriteString("* BYE\r\n" + tag + " OK bye\r\n")
						w.Flush()
						return
					default:
						w.WriteString(tag + " BAD unknown\r\n")
					}
					w.Flush()
				}
			}()
		}
	}()
	return ln.Addr().String()
}

var imapFaultCases = []struct {
	name  string
	fault func(tag string, w *bufio.Writer, c net.Conn) bool
	want  error
}{
	{"stall mid-FETCH", func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString("* 1 FETCH (UID 7 ENVELOPE (\"Mon, 11 Mar 2024 09:12:00 +0100\" ")
		w.Flush()
		return false // and never finish: the client must give up
	}, mail.ErrTimeout},
	{"drop mid-FETCH", func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString("* 1 FETCH (UID 7 BODY[HEADER] {500}\r\nMessage-ID: <a@b>\r\n")
		w.Flush()
		return true
	}, mail.ErrUnavailable},
	{"malformed BODYSTRUCTURE", func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString("* 1 FETCH (UID 7 BODYSTRUCTURE ((((\"text\" NIL 12 \"x\") \"mixed\" {3}\r\nabc)))\r\n" + tag + " OK done\r\n")
		return false
	}, mail.ErrUnavailable},
	{"garbage instead of FETCH", func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString("\x00\xff\xfe * * * )))\r\n" + tag + " OK done\r\n")
		return false
	}, mail.ErrUnavailable},
	{"NO to FETCH", func(tag string, w *bufio.Writer, c net.Conn) bool {
		w.WriteString(tag + " NO [SERVERBUG] internal error\r\n")
		return false
	}, mail.ErrUnavailable},
}

func TestIMAPFaults(t *testing.T) {
	for _, tc := range imapFaultCases {
		t.Run(tc.name, func(t *testing.T) {
			addr := faultServer(t, tc.fault)
			src, err := New(Options{
				Addr: addr, Security: Plain, Timeout: 300 * time.Millisecond,
				Auth: Auth{Password: func(string) (string, error) { return "x", nil }},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Thread(context.Background(), mail.Caller{User: "u"}, "<a@b>")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			_, _, err = src.Attachment(context.Background(), mail.Caller{User: "u"}, "<a@b>", "2")
			if !errors.Is(err, tc.want) {
				t.Fatalf("attachment: err = %v, want %v", err, tc.want)
			}
		})
	}
}

// A server that accepts but never greets, one that refuses connections and
// a context cancelled by the caller.
func TestIMAPConnectFaults(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	cases := []struct {
		name string
		addr string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"silent server", ln.Addr().String(), nil, mail.ErrTimeout},
		{"refused", closedAddr, nil, mail.ErrUnavailable},
		{"cancelled by caller", ln.Addr().String(), func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, func() {}
		}, mail.ErrTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, err := New(Options{
				Addr: tc.addr, Security: Plain, Timeout: 200 * time.Millisecond,
				Auth: Auth{Password: func(string) (string, error) { return "x", nil }},
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if tc.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = tc.ctx()
				defer cancel()
			}
			if _, err := src.Thread(ctx, mail.Caller{User: "u"}, "<a@b>"); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err := src.Ping(ctx); !errors.Is(err, tc.want) {
				t.Fatalf("ping: err = %v, want %v", err, tc.want)
			}
		})
	}
}

var imapOptionCases = []struct {
	name string
	opts Options
	ok   bool
}{
	{"plain on loopback", Options{Addr: "127.0.0.1:143", Security: Plain, Auth: Auth{OAuth: MechXOAuth2}}, true},
	{"plain on localhost", Options{Addr: "localhost:143", Security: Plain, Auth: Auth{OAuth: MechOAuthBearer}}, true},
	{"plain elsewhere", Options{Addr: "imap.example.org:143", Security: Plain, Auth: Auth{OAuth: MechXOAuth2}}, false},
	{"tls elsewhere", Options{Addr: "imap.example.org:993", Auth: Auth{Master: &Master{Login: "m"}}}, true},
	{"no port", Options{Addr: "imap.example.org", Auth: Auth{OAuth: MechXOAuth2}}, false},
	{"no auth", Options{Addr: "imap.example.org:993"}, false},
	{"two auths", Options{Addr: "imap.example.org:993", Auth: Auth{OAuth: MechXOAuth2, Master: &Master{Login: "m"}}}, false},
	{"unknown mechanism", Options{Addr: "imap.example.org:993", Auth: Auth{OAuth: "PLAIN"}}, false},
	{"master without login", Options{Addr: "imap.example.org:993", Auth: Auth{Master: &Master{}}}, false},
	{"missing CA file", Options{Addr: "imap.example.org:993", CAFile: "/nonexistent.pem", Auth: Auth{OAuth: MechXOAuth2}}, false},
}

func TestNew(t *testing.T) {
	for _, tc := range imapOptionCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.opts)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
