package addin

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/internal/testenv"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/assist/fakellm"
)

// syncBuffer is a log or audit buffer the test reads while the server writes.
type syncBuffer = testenv.SyncBuffer

// pipe is a server wired to real fake model servers, as in production.
type pipe struct {
	srv   *Server
	hs    *httptest.Server
	llms  map[string]*fakellm.Server
	audit *syncBuffer
}

// pipeOptions shapes a pipeline test server.
type pipeOptions struct {
	// endpoints: name → cleared markings; each gets its own fake model server.
	endpoints map[string][]string
	order     []string
	answer    func(r fakellm.Request) fakellm.Response
	assist    func(*assist.Options)
	config    func(*config.Config)
	source    ThreadSource
	graph     GraphSource
	log       io.Writer
	wrap      func(Assistant) Assistant
}

func newPipe(t *testing.T, po pipeOptions) *pipe {
	t.Helper()
	p := &pipe{llms: map[string]*fakellm.Server{}, audit: &syncBuffer{}}
	if po.endpoints == nil {
		po.endpoints = map[string][]string{"cloud": nil}
		po.order = []string{"cloud"}
	}
	var eps []assist.Endpoint
	var ecfg []config.EndpointConfig
	for _, name := range po.order {
		f := fakellm.New(fakellm.Options{Answer: po.answer})
		t.Cleanup(f.Close)
		p.llms[name] = f
		model, err := assist.NewOpenAICompatible(assist.OpenAIConfig{
			BaseURL: f.URL(), Model: "fake-" + name,
			Retry: assist.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, Cooldown: time.Millisecond,
				Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }},
		})
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, assist.Endpoint{Name: name, Model: model, ModelName: "fake-" + name, ContextWindow: 32768, MaxOutput: 2048})
		ecfg = append(ecfg, config.EndpointConfig{Name: name, BaseURL: f.URL(), Model: "fake-" + name, Cleared: po.endpoints[name]})
	}
	aopts := assist.Options{Endpoints: eps, NoCache: true, Now: func() time.Time { return testNow }, StallTimeout: 300 * time.Millisecond}
	if po.assist != nil {
		po.assist(&aopts)
	}
	a, err := assist.New(aopts)
	if err != nil {
		t.Fatal(err)
	}
	var asst Assistant = a
	if po.wrap != nil {
		asst = po.wrap(a)
	}
	cfg := testConfig(t, func(c *config.Config) {
		c.LLM.Endpoints = ecfg
		c.Limits.RequestsPerMinute = 100000
		if po.config != nil {
			po.config(c)
		}
	})
	var logger *slog.Logger
	if po.log != nil {
		logger = slog.New(slog.NewJSONHandler(po.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	gate, err := cfg.Gate(newTestAuditor(p.audit), logger, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{
		Logger: logger, Config: cfg, Assistant: asst, Source: po.source, Graph: po.graph, Now: func() time.Time { return testNow },
		Gate: gate,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.srv = srv
	p.hs = startServer(t, srv)
	return p
}

// prompts returns everything a fake model received.
func (p *pipe) prompts(name string) string {
	var b strings.Builder
	for _, r := range p.llms[name].Requests() {
		b.WriteString(r.Prompt())
		b.WriteString("\n")
	}
	return b.String()
}

// post sends a task request as alice.
func (p *pipe) post(t *testing.T, path string, body any, hdr ...string) *http.Response {
	t.Helper()
	b, _ := json.Marshal(body)
	return do(t, "POST", p.hs.URL+path, "token-alice-0123456789", string(b), hdr...)
}

// rawRef is a raw-MIME message reference.
func rawRef(mime string) map[string]any {
	return map[string]any{"source": "raw", "mime": base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(mime, "\n", "\r\n")))}
}

// mimeMessage writes a small text/plain message.
func mimeMessage(subject, body string, extraHeaders ...string) string {
	h := strings.Join(extraHeaders, "\n")
	if h != "" {
		h += "\n"
	}
	return "From: Jean Dupont <jean.dupont@mairie-exemple.fr>\nTo: Julien Caron <julien.caron@somme.gouv.example>\n" +
		"Subject: " + subject + "\nDate: Mon, 02 Mar 2026 09:00:00 +0100\nMessage-ID: <t1@mairie-exemple.fr>\n" + h +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body
}

const piiBody = `Bonjour Monsieur Caron,

Je vous transmets le dossier de subvention DETR de la commune.
Vous pouvez me joindre au 06 12 34 56 78 ou par courriel à jean.dupont@mairie-exemple.fr.
Le versement se fera sur l'IBAN FR76 3000 6000 0112 3456 7890 189.
Merci de me répondre avant le 15 mars.

Cordialement,
Jean Dupont
Maire de Villers-Exemple
`

var placeholderRE = regexp.MustCompile(`\[[A-Z_]+_\d+\]`)

// summaryEcho answers a summary that repeats every placeholder the model saw.
func summaryEcho(r fakellm.Request) fakellm.Response {
	phs := placeholderRE.FindAllString(r.Prompt(), -1)
	s := assist.Summary{
		Summary:   "Demande de subvention. Contacts : " + strings.Join(phs, ", "),
		KeyPoints: []string{"Réponse attendue avant le 15 mars"},
	}
	b, _ := json.Marshal(s)
	return fakellm.Response{Text: string(b)}
}

func TestSummaryPseudonymisesAndRestores(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	out := decode(t, resp)
	sent := p.prompts("cloud")
	for _, pii := range []string{"06 12 34 56 78", "jean.dupont@mairie-exemple.fr", "FR76 3000 6000 0112 3456 7890 189"} {
		if strings.Contains(sent, pii) {
			t.Errorf("the model received %q in clear", pii)
		}
	}
	summary := out["summary"].(map[string]any)["summary"].(string)
	for _, pii := range []string{"06 12 34 56 78", "jean.dupont@mairie-exemple.fr"} {
		if !strings.Contains(summary, pii) {
			t.Errorf("answer %q lacks restored %q", summary, pii)
		}
	}
	if placeholderRE.MatchString(summary) {
		t.Errorf("placeholder left in answer: %q", summary)
	}
	meta := out["meta"].(map[string]any)
	if meta["endpoint"] != "cloud" || len(meta["pseudonymized"].(map[string]any)) == 0 {
		t.Errorf("meta = %v", meta)
	}
	if a := p.audit.String(); !strings.Contains(a, `"outcome":"ok"`) || strings.Contains(a, "06 12 34 56 78") || strings.Contains(a, "Dossier DETR") {
		t.Errorf("audit record = %s", a)
	}
}

const drBody = `DIFFUSION RESTREINTE

Note à l'attention du directeur de cabinet.
Dispositif de sécurité pour la visite ministérielle du 12 mars.
`

func TestMarkedThreadNeverReachesUnclearedEndpoint(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("[DR] Visite ministérielle", drBody))})
	prob := wantProblem(t, resp, http.StatusForbidden, "refused_marking")
	if prob["marking"] != "DIFFUSION RESTREINTE" || !strings.Contains(prob["message"].(map[string]any)["fr"].(string), "DIFFUSION RESTREINTE") {
		t.Errorf("problem = %v", prob)
	}
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("the uncleared endpoint received %d requests", n)
	}
	if a := p.audit.String(); !strings.Contains(a, `"decision":"refused"`) {
		t.Errorf("audit = %s", a)
	}
	// Streaming asked: the refusal is still a plain problem status.
	resp = p.post(t, "/api/v1/thread/reply", map[string]any{"message": rawRef(mimeMessage("Visite", drBody))}, "Accept", "text/event-stream")
	wantProblem(t, resp, http.StatusForbidden, "refused_marking")
}

func TestMarkedThreadGoesToClearedEndpoint(t *testing.T) {
	p := newPipe(t, pipeOptions{
		endpoints: map[string][]string{"cloud": nil, "interne": {"DIFFUSION RESTREINTE"}},
		order:     []string{"cloud", "interne"},
		answer:    summaryEcho,
	})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("[DR] Visite ministérielle", drBody))})
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	meta := decode(t, resp)["meta"].(map[string]any)
	if meta["endpoint"] != "interne" || fmt.Sprint(meta["markings"]) != "[DIFFUSION RESTREINTE]" {
		t.Errorf("meta = %v", meta)
	}
	if len(p.llms["cloud"].Requests()) != 0 || len(p.llms["interne"].Requests()) == 0 {
		t.Fatalf("cloud got %d, interne got %d requests", len(p.llms["cloud"].Requests()), len(p.llms["interne"].Requests()))
	}
	// Unmarked mail goes to the first endpoint.
	p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	if len(p.llms["cloud"].Requests()) == 0 {
		t.Fatal("unmarked mail did not go to the first endpoint")
	}
}

func TestEncryptedMailIsRefused(t *testing.T) {
	p := newPipe(t, pipeOptions{endpoints: map[string][]string{"cloud": {"*"}}, order: []string{"cloud"}, answer: summaryEcho})
	mime := "From: a@example.fr\nTo: b@example.fr\nSubject: chiffré\nMessage-ID: <enc@x>\nMIME-Version: 1.0\n" +
		"Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggFH\n"
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mime)})
	wantProblem(t, resp, http.StatusForbidden, "refused_encrypted")
	if len(p.llms["cloud"].Requests()) != 0 {
		t.Fatal("encrypted mail reached a model")
	}
}

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct {
	name string
	data string
}

// readSSE reads events until the stream ends; comments are counted.
func readSSE(t *testing.T, r io.Reader) (events []sseEvent, comments int) {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || cur.data != "" {
				events = append(events, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		}
	}
	return events, comments
}

func TestSummaryStreamsRestoredTokens(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))}, "Accept", "text/event-stream")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events, _ := readSSE(t, resp.Body)
	var tokens strings.Builder
	var result map[string]any
	for _, e := range events {
		switch e.name {
		case "token":
			var tok struct{ Text string }
			if err := json.Unmarshal([]byte(e.data), &tok); err != nil {
				t.Fatal(err)
			}
			tokens.WriteString(tok.Text)
		case "result":
			if err := json.Unmarshal([]byte(e.data), &result); err != nil {
				t.Fatal(err)
			}
		case "error":
			t.Fatalf("error event %s", e.data)
		}
	}
	if result == nil || events[len(events)-1].name != "result" {
		t.Fatalf("no final result event: %v", events)
	}
	if !strings.Contains(tokens.String(), "06 12 34 56 78") || placeholderRE.MatchString(tokens.String()) {
		t.Errorf("streamed tokens not restored: %q", tokens.String())
	}
	if s := result["summary"].(map[string]any)["summary"].(string); !strings.Contains(s, "jean.dupont@mairie-exemple.fr") {
		t.Errorf("result not restored: %q", s)
	}
}

// TestLogsHoldNoContent: at debug level, served, refused and failed requests
// log codes and routes, never users, subjects, bodies or personal data.
func TestLogsHoldNoContent(t *testing.T) {
	logs := &syncBuffer{}
	p := newPipe(t, pipeOptions{answer: summaryEcho, log: logs})
	p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("[DR] Visite ministérielle", drBody))})
	p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "raw", "mime": "%%%"}})
	l := logs.String()
	if !strings.Contains(l, `"route":"/api/v1/thread/summary"`) || !strings.Contains(l, "refused_marking") {
		t.Fatalf("logs lack the requests: %s", l)
	}
	for _, bad := range []string{"alice", "Dossier DETR", "Visite ministérielle", "06 12 34 56 78", "jean.dupont", "FR76", "Villers"} {
		if strings.Contains(l, bad) {
			t.Errorf("log holds %q:\n%s", bad, l)
		}
	}
}

// TestJSONRoutesRefuseOtherBodies: a cross-site text/plain POST (sent by
// browsers without a preflight) is refused before anything is read.
func TestJSONRoutesRefuseOtherBodies(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	body := `{"message":` + mustJSON(rawRef(mimeMessage("Dossier DETR", piiBody))) + `}`
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", ""} {
		req, _ := http.NewRequest("POST", p.hs.URL+"/api/v1/thread/summary", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer token-alice-0123456789")
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("%q: status %d", ct, resp.StatusCode)
		}
	}
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("%d model requests", n)
	}
}

// TestRequestIDs: a client's X-Request-Id is kept only in a strict form;
// anything else (content, control characters, log injection) is replaced.
func TestRequestIDs(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	for _, c := range []struct {
		sent string
		kept bool
	}{
		{"panel-7f3a9c21", true},
		{"Demande de Claire Martin", false},
		{"x;fake=log<script>", false},
		{"", false},
	} {
		resp := do(t, "GET", p.hs.URL+"/api/v1/me", "token-alice-0123456789", "", "X-Request-Id", c.sent)
		got := resp.Header.Get("X-Request-Id")
		if (got == c.sent) != c.kept || got == "" {
			t.Errorf("sent %q, got %q", c.sent, got)
		}
	}
}

// TestNoRawLimitsBodies: with mail.no_raw, a task route takes a reference,
// not a message: raw references are refused and bodies capped at
// limits.max_body_bytes.
func TestNoRawLimitsBodies(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho, config: func(c *config.Config) {
		c.Mail.NoRaw = true
		c.Mail.Source = "imap"
		c.Mail.IMAP.Addr = "127.0.0.1:1"
		c.Limits.MaxBodyBytes = 64 << 10
	}})
	wantProblem(t, p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier", piiBody))}), http.StatusBadRequest, "bad_request")
	big := map[string]any{"message": map[string]any{"source": "imap", "messageId": "<" + strings.Repeat("x", 100<<10) + "@y>"}}
	wantProblem(t, p.post(t, "/api/v1/thread/summary", big), http.StatusRequestEntityTooLarge, "too_large")
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("%d model requests", n)
	}
}
