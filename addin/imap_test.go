package addin

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
	mailimap "github.com/plume-admin/plume/mail/imap"
)

// twoMailboxes starts imapmemserver with users alice and bob, each with one
// message of their own, and returns an IMAP source logging in as the caller.
func twoMailboxes(t *testing.T) ThreadSource {
	t.Helper()
	mem := imapmemserver.New()
	pw := map[string]string{"alice@example.gouv.fr": "pa", "bob@example.gouv.fr": "pb"}
	for u, p := range pw {
		user := imapmemserver.NewUser(u, p)
		if err := user.Create("INBOX", nil); err != nil {
			t.Fatal(err)
		}
		mem.AddUser(user)
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	for u, p := range pw {
		c, err := imapclient.DialInsecure(ln.Addr().String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Login(u, p).Wait(); err != nil {
			t.Fatal(err)
		}
		name := strings.Split(u, "@")[0]
		raw := strings.ReplaceAll(fmt.Sprintf("From: Collègue <collegue@example.gouv.fr>\nTo: %s\nSubject: Message privé de %s\n"+
			"Date: Mon, 02 Mar 2026 09:00:00 +0100\nMessage-ID: <%s-private@example.gouv.fr>\nMIME-Version: 1.0\n"+
			"Content-Type: text/plain; charset=utf-8\n\nContenu réservé à %s.\n", u, name, name, name), "\n", "\r\n")
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	src, err := mailimap.New(mailimap.Options{
		Addr: ln.Addr().String(), Security: mailimap.Plain, Timeout: 5 * time.Second,
		Auth: mailimap.Auth{Password: func(u string) (string, error) { return pw[u], nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestUserCannotReadAnotherMailbox: alice asks for bob's Message-ID and
// gets message_not_found; her own message works.
func TestUserCannotReadAnotherMailbox(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho, source: twoMailboxes(t)})
	own := p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "imap", "messageId": "<alice-private@example.gouv.fr>"}})
	if own.StatusCode != 200 {
		b, _ := io.ReadAll(own.Body)
		t.Fatalf("own message: %d %s", own.StatusCode, b)
	}
	before := len(p.llms["cloud"].Requests())
	other := p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "imap", "messageId": "<bob-private@example.gouv.fr>"}})
	wantProblem(t, other, http.StatusNotFound, "message_not_found")
	if strings.Contains(p.prompts("cloud"), "réservé à bob") || len(p.llms["cloud"].Requests()) != before {
		t.Fatal("bob's mail reached the model on alice's request")
	}
	// The picker lists only the caller's own mail.
	b, _ := io.ReadAll(do(t, "GET", p.hs.URL+"/api/v1/threads", "token-alice-0123456789", "").Body)
	if !strings.Contains(string(b), "alice-private") || strings.Contains(string(b), "bob-private") {
		t.Fatalf("threads = %s", b)
	}
}

// demoPipe is a demo-mode server on the demo mailbox with the offline engine.
func demoPipe(t *testing.T) *pipe {
	t.Helper()
	return newPipe(t, pipeOptions{
		endpoints: map[string][]string{}, order: nil, source: demoSource(t),
		config: func(c *config.Config) { c.Auth.Demo = true; c.Auth.StaticTokens = nil; c.LLM.Endpoints = nil },
	})
}

// demoSource serves the demo mailbox over IMAP on loopback and returns an IMAP source reading it.
func demoSource(t *testing.T) ThreadSource {
	t.Helper()
	imapSrv, err := demo.ServeLoopback(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { imapSrv.Close() })
	opts := imapSrv.IMAPOptions()
	opts.Timeout = 5 * time.Second
	src, err := mailimap.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestDemoThreadsAndOfflineSummary(t *testing.T) {
	p := demoPipe(t)
	var list struct {
		Threads []struct {
			MessageID   string
			Subject     string
			Count       int
			Markings    []string
			Attachments []struct {
				mail.Attachment
				MessageID string
			}
		}
	}
	resp := do(t, "GET", p.hs.URL+"/api/v1/threads", "", "")
	if err := jsonDecode(resp.Body, &list); err != nil || len(list.Threads) == 0 {
		t.Fatalf("threads: %v %+v", err, list)
	}
	var dr, withPDF string
	var part string
	for _, th := range list.Threads {
		if len(th.Markings) > 0 && th.Markings[0] == "DIFFUSION RESTREINTE" {
			dr = th.MessageID
		}
		for _, a := range th.Attachments {
			if withPDF == "" && (strings.HasSuffix(a.Name, ".odt") || strings.HasSuffix(a.Name, ".docx") || strings.HasSuffix(a.Name, ".pdf")) {
				withPDF, part = a.MessageID, a.PartPath
			}
		}
	}
	if dr == "" {
		t.Fatalf("no DIFFUSION RESTREINTE thread in the picker: %+v", list)
	}
	// The offline engine is in-process: the marked thread is summarised locally.
	resp = do(t, "POST", p.hs.URL+"/api/v1/thread/summary", "", `{"message":{"source":"imap","messageId":"`+dr+`"}}`)
	out := decode(t, resp)
	meta, _ := out["meta"].(map[string]any)
	if resp.StatusCode != 200 || meta["endpoint"] != "offline" || fmt.Sprint(meta["markings"]) != "[DIFFUSION RESTREINTE]" {
		t.Fatalf("summary of the DR thread: %d %v", resp.StatusCode, out)
	}
	if withPDF == "" {
		t.Fatal("no thread with a document attachment in the picker")
	}
	resp = do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "",
		`{"message":{"source":"imap","messageId":"`+withPDF+`"},"attachment":{"partPath":"`+part+`"}}`)
	if out := decode(t, resp); resp.StatusCode != 200 || out["document"] == nil {
		t.Fatalf("attachment summary: %d %v", resp.StatusCode, out)
	}
	resp = do(t, "GET", p.hs.URL+"/api/v1/me", "", "")
	if me := decode(t, resp); me["demo"] != true || me["features"].(map[string]any)["threads"] != true {
		t.Fatalf("me = %v", me)
	}
}

// TestAttachmentUpload summarises an uploaded document (multipart).
func TestAttachmentUpload(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: func(r fakellm.Request) fakellm.Response {
		return fakellm.Response{Text: `{"summary":"Note de synthèse sur le budget.","keyPoints":["Budget 2026"]}`}
	}})
	var body bytes.Buffer
	mw := multipartWriter(&body)
	fw, _ := mw.CreateFormFile("file", "note.txt")
	fw.Write([]byte("Note sur le budget 2026 de la préfecture.\nContact : 06 12 34 56 78.\n"))
	mw.Close()
	resp := do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "token-alice-0123456789", body.String(), "Content-Type", mw.FormDataContentType())
	out := decode(t, resp)
	if resp.StatusCode != 200 || out["document"] == nil {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	if strings.Contains(p.prompts("cloud"), "06 12 34 56 78") {
		t.Fatal("the model received the phone number of the document in clear")
	}
	// A marked document is refused.
	body.Reset()
	mw = multipartWriter(&body)
	fw, _ = mw.CreateFormFile("file", "note-dr.txt")
	fw.Write([]byte("DIFFUSION RESTREINTE\n\nDispositif de sécurité.\n"))
	mw.Close()
	resp = do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "token-alice-0123456789", body.String(), "Content-Type", mw.FormDataContentType())
	wantProblem(t, resp, http.StatusForbidden, "refused_marking")
	// An unsupported document.
	body.Reset()
	mw = multipartWriter(&body)
	fw, _ = mw.CreateFormFile("file", "archive.zip")
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	zf, _ := zw.Create("a.bin")
	zf.Write([]byte{0, 1, 2})
	zw.Close()
	fw.Write(z.Bytes())
	mw.Close()
	resp = do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "token-alice-0123456789", body.String(), "Content-Type", mw.FormDataContentType())
	if resp.StatusCode < 400 {
		t.Fatalf("zip summarised: %d", resp.StatusCode)
	}
}

func multipartWriter(w io.Writer) *multipart.Writer { return multipart.NewWriter(w) }

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
