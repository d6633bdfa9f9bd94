package thunderbird

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/wire"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/addin"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/demo"
	"github.com/plume-admin/plume/mail/imap/imaptest"
	"github.com/plume-admin/plume/manifest"
)

// token is the static bearer token the extension sends (stored in the
// extension's storage.local "plume.token" by the suite).
const token = "tb-e2e-token-8c1f"

// extUUID fixes the extension's moz-extension:// origin (pref
// extensions.webextensions.uuids) so the server can list it in CORS.
const extUUID = "5f1d2c3b-8a7e-4e55-9b1a-0c6d7e8f9a01"

// fakeSummary is the model's JSON summary of any thread.
const fakeSummary = `{"summary": "La commune sollicite une subvention DETR 2026 ; le dossier est incomplet et des pièces sont attendues.", ` +
	`"keyPoints": ["Dossier de subvention DETR 2026", "Pièces manquantes à transmettre"], "decisions": ["Instruction suspendue jusqu'à réception des pièces"], ` +
	`"openQuestions": [], "actionItems": [{"who": "La mairie", "what": "Transmettre les pièces manquantes", "due": "2026-07-15", "dueText": "avant le 15 juillet"}], ` +
	`"participants": [{"name": "Julien Caron", "role": "adjoint à la directrice"}]}`

// fakeReply is the model's draft reply: three paragraphs and accents.
const fakeReply = "Madame, Monsieur,\n\nJe vous remercie de votre message, dont j'ai bien pris connaissance. " +
	"Je vous propose un rendez-vous mardi prochain afin d'examiner ensemble les pièces à compléter.\n\n" +
	"Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."

// fakeDocument is the model's document summary.
const fakeDocument = "La délibération approuve le projet de rénovation de l'école et son plan de financement.\n\n# Points d'attention\n- Échéance : avant la date indiquée dans le document."

// answer picks the fake model's answer from the prompt's task.
func answer(r fakellm.Request) fakellm.Response {
	p := r.Prompt()
	switch {
	case strings.Contains(p, "synthèse de ce document") || strings.Contains(p, "summary of this document") || strings.Contains(p, "Voici le document"):
		return fakellm.Response{Text: fakeDocument}
	case strings.Contains(p, "JSON"):
		return fakellm.Response{Text: fakeSummary}
	default:
		return fakellm.Response{Text: fakeReply}
	}
}

// apiCall is what the recorder kept of one API request: never content, only
// the route, the Message-ID named and the uploaded file's name.
type apiCall struct {
	Path      string
	MessageID string
	FileName  string
}

// recorder wraps the Plume handler and records API calls for assertions.
type recorder struct {
	next  http.Handler
	mu    sync.Mutex
	calls []apiCall
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/") {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err == nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			c := apiCall{Path: r.URL.Path}
			mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt == "multipart/form-data" {
				mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
				for {
					p, err := mr.NextPart()
					if err != nil {
						break
					}
					switch p.FormName() {
					case "file":
						c.FileName = p.FileName()
					case "message":
						var ref addin.Ref
						if json.NewDecoder(p).Decode(&ref) == nil {
							c.MessageID = ref.MessageID
						}
					}
				}
			} else {
				var req struct{ Message addin.Ref }
				if json.Unmarshal(body, &req) == nil {
					c.MessageID = req.Message.MessageID
				}
			}
			rec.mu.Lock()
			rec.calls = append(rec.calls, c)
			rec.mu.Unlock()
		}
	}
	rec.next.ServeHTTP(w, r)
}

// Calls returns the API calls recorded so far.
func (rec *recorder) Calls() []apiCall {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]apiCall(nil), rec.calls...)
}

// env is one whole set-up: Dovecot with the demo mailbox, the fake model,
// Plume reading that Dovecot through its master user, and Thunderbird with
// the IMAP account and the generated plume.xpi.
type env struct {
	t         *testing.T
	dovecot   *imaptest.Server
	model     *fakellm.Server
	plumeURL  string
	rec       *recorder
	tb        *instance
	profile   string
	artifacts string
	geckoID   string
}

// newEnv sets everything up; Thunderbird is quit when t ends. configure,
// if any, changes Plume's configuration before its defaults apply.
func newEnv(t *testing.T, ctx context.Context, configure ...func(*config.Config)) *env {
	t.Helper()
	testenv.RequireBinary(t, "thunderbird", "make deps installs Debian's thunderbird", binary)
	e := &env{t: t}

	e.dovecot = imaptest.StartDovecot(t, imaptest.Options{Messages: mailbox(t), User: "agent", Password: "secret-agent"})

	e.model = fakellm.New(fakellm.Options{Answer: answer, ChunkRunes: 8})
	t.Cleanup(e.model.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.plumeURL = "http://" + ln.Addr().String()
	cfg := &config.Config{}
	cfg.Server.PublicURL = e.plumeURL
	cfg.Server.CORSOrigins = []string{"moz-extension://" + extUUID}
	cfg.Auth.StaticTokens = []config.StaticToken{{Token: token, User: e.dovecot.User, Email: demo.OwnerAddress}}
	cfg.Mail.Source = "imap"
	cfg.Mail.IMAP = config.IMAPConfig{Addr: e.dovecot.Addr, Security: "none", Auth: "master",
		MasterUser: e.dovecot.MasterLogin, MasterPassword: e.dovecot.MasterPassword, Timeout: 15 * time.Second}
	cfg.Privacy.AuditPath = "off"
	cfg.LLM.Endpoints = []config.EndpointConfig{{Name: "fake", BaseURL: e.model.URL(), Model: "fake-model", APIKey: "test-key"}}
	cfg.LLM.Timeout = 20 * time.Second
	cfg.Manifest.BaseURL = e.plumeURL
	for _, f := range configure {
		f(cfg)
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeAll() })
	e.rec = &recorder{next: srv.Routes()}
	hs := httptest.NewUnstartedServer(e.rec)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)

	e.artifacts = os.Getenv("PLUME_ARTIFACTS")
	if e.artifacts == "" {
		e.artifacts = t.TempDir()
	} else if err := os.MkdirAll(e.artifacts, 0o755); err != nil {
		t.Fatal(err)
	}

	mopts := manifest.Options{BaseURL: e.plumeURL}
	xpi, err := manifest.Thunderbird(mopts)
	if err != nil {
		t.Fatal(err)
	}
	var mf struct {
		BrowserSpecificSettings struct {
			Gecko struct{ ID string } `json:"gecko"`
		} `json:"browser_specific_settings"`
	}
	raw, err := manifest.ThunderbirdManifest(mopts)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &mf); err != nil || mf.BrowserSpecificSettings.Gecko.ID == "" {
		t.Fatalf("gecko id in the generated manifest: %v\n%s", err, raw)
	}
	e.geckoID = mf.BrowserSpecificSettings.Gecko.ID

	e.profile = t.TempDir()
	acct := account{Host: "127.0.0.1", Port: portOf(t, e.dovecot.Addr), User: e.dovecot.User, Password: e.dovecot.Password,
		Name: demo.OwnerName, Email: demo.OwnerAddress}
	mport, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	if err := writeProfile(e.profile, mport, &acct, map[string]string{e.geckoID: extUUID}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(e.profile, "extensions"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.profile, "extensions", e.geckoID+".xpi"), xpi, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := storePassword(ctx, e.profile, acct); err != nil {
		t.Fatal(err)
	}
	e.tb, err = start(ctx, e.profile, mport)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			e.dumpLog()
		}
		e.tb.quit()
	})
	return e
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, c := range p {
		n = n*10 + int(c-'0')
	}
	return n
}

// dumpLog saves Thunderbird's output among the artifacts.
func (e *env) dumpLog() {
	p := filepath.Join(e.artifacts, "thunderbird.log")
	if err := os.WriteFile(p, []byte(e.tb.logs.String()), 0o644); err == nil {
		e.t.Logf("Thunderbird's log: %s", p)
	}
}
