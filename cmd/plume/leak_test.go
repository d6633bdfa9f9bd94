package main

// The entry-point × leak table: every API route and every CLI command
// that can reach a model is run against a fake model that records what it
// receives, once with a DIFFUSION RESTREINTE mail and once with a mail full
// of personal data, under a configuration whose only endpoint is cleared
// for no marking. A marked request must reach no model and be refused; a
// personal-data request must reach the model with no value in clear, and
// its answer must come back restored and without the link and image the
// model was told to add. Routes and commands are enumerated from the
// server and the command table: one that is in neither list below fails
// the test, so a new entry point is tested from the day it exists.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/wire"

	"github.com/go-chi/chi/v5"

	"github.com/plume-admin/plume/addin"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/config"
	"github.com/plume-admin/plume/internal/docwrite"
)

const leakToken = "leak-test-token-0123456789"

// markedMail is DIFFUSION RESTREINTE, with a secret in its body.
const markedMail = "From: Jeanne Dupont <jeanne.dupont@interieur.gouv.fr>\r\n" +
	"To: Paul Bernard <paul.bernard@prefecture.gouv.fr>\r\n" +
	"Date: Mon, 02 Dec 2024 09:00:00 +0100\r\n" +
	"Subject: DIFFUSION RESTREINTE - Dispositif de sécurité du sommet\r\n" +
	"Message-ID: <dr-1@interieur.gouv.fr>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"DIFFUSION RESTREINTE\r\n\r\nMonsieur,\r\n\r\nLe code d'accès au PC sécurité est SECRET-7731-ALPHA. " +
	"Merci de me confirmer la liste des agents habilités.\r\n\r\nJeanne Dupont\r\n"

// piiMail is ordinary mail full of personal data.
const piiMail = "From: Claire Martin <claire.martin@mairie-exemple.fr>\r\n" +
	"To: Paul Bernard <paul.bernard@prefecture.gouv.fr>\r\n" +
	"Date: Thu, 04 Jul 2024 11:00:00 +0200\r\n" +
	"Subject: Demande de remboursement\r\n" +
	"Message-ID: <pii-1@mairie-exemple.fr>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"Monsieur,\r\n\r\nJe vous transmets la demande de remboursement de Mme Claire Martin, " +
	"NIR 1 85 05 78 006 084 91, IBAN FR76 3000 6000 0112 3456 7890 189. " +
	"Vous pouvez la joindre au 06 12 34 56 78 ou à claire.martin@mairie-exemple.fr. " +
	"Merci de me dire sous huitaine si le dossier est complet.\r\n\r\nCordialement,\r\n\r\nClaire Martin\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=utf-8; name=\"demande.txt\"\r\n" +
	"Content-Disposition: attachment; filename=\"demande.txt\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"Demande de remboursement de Mme Claire Martin, NIR 1 85 05 78 006 084 91, " +
	"IBAN FR76 3000 6000 0112 3456 7890 189, téléphone 06 12 34 56 78, claire.martin@mairie-exemple.fr.\r\n" +
	"--b1--\r\n"

// innerMail is marked only by its classification header, with a subject
// that says nothing.
const innerMail = "From: Jeanne Dupont <jeanne.dupont@interieur.gouv.fr>\r\n" +
	"To: Paul Bernard <paul.bernard@prefecture.gouv.fr>\r\n" +
	"Date: Mon, 02 Dec 2024 09:00:00 +0100\r\n" +
	"Subject: Point de situation\r\n" +
	"X-Classification: DIFFUSION RESTREINTE\r\n" +
	"Message-ID: <dr-2@interieur.gouv.fr>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"Monsieur,\r\n\r\nLe code d'accès au PC sécurité est SECRET-7731-ALPHA.\r\n\r\nJeanne Dupont\r\n"

// carrierMail is unmarked and carries innerMail as an attached message.
const carrierMail = "From: Paul Bernard <paul.bernard@prefecture.gouv.fr>\r\n" +
	"To: Marc Petit <marc.petit@prefecture.gouv.fr>\r\n" +
	"Date: Mon, 02 Dec 2024 10:00:00 +0100\r\n" +
	"Subject: Pour information\r\n" +
	"Message-ID: <carrier-1@prefecture.gouv.fr>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"c1\"\r\n\r\n" +
	"--c1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPour information, ci-joint.\r\n" +
	"--c1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"point.eml\"\r\n\r\n" +
	innerMail + "\r\n--c1--\r\n"

// markedDoc is a document marked DIFFUSION RESTREINTE.
const markedDoc = "DIFFUSION RESTREINTE\n\nNote sur le dispositif de sécurité.\n\nLe code d'accès est SECRET-7731-ALPHA.\n"

// secrets may never reach a model in clear; markedSecret never at all.
var (
	secrets      = []string{"claire.martin@mairie-exemple.fr", "Claire Martin", "1 85 05 78 006 084 91", "FR76 3000 6000 0112 3456 7890 189", "06 12 34 56 78"}
	markedSecret = "SECRET-7731-ALPHA"
	placeholder  = regexp.MustCompile(`\[[A-Z]+_\d+\]`)
)

// leakModel answers every prompt with what an injected instruction would
// make a model write — an image and a link to an outside address — and
// echoes the first placeholder it was given, to check restoration.
func leakModel(r fakellm.Request) fakellm.Response {
	echo := placeholder.FindString(r.Prompt())
	text := "Demande de " + echo + ". ![x](http://evil.example/p.png?d=1) Voir http://evil.example/collect?d=2"
	b, _ := json.Marshal(map[string]any{"summary": text, "keyPoints": []string{text}, "objet": text, "corps": []string{text}})
	return fakellm.Response{Text: string(b)}
}

// leakEnv is one run of the table: a fake model, a configuration file
// naming it (cleared for no marking), and the audit log.
type leakEnv struct {
	model  *fakellm.Server
	config string
	audit  string
	files  map[string]string // name → path of the test inputs
}

func newLeakEnv(t *testing.T) *leakEnv {
	t.Helper()
	e := &leakEnv{model: fakellm.New(fakellm.Options{Answer: leakModel}), files: map[string]string{}}
	t.Cleanup(e.model.Close)
	dir := t.TempDir()
	e.audit = filepath.Join(dir, "audit.jsonl")
	e.config = filepath.Join(dir, "plume.yaml")
	yaml := "auth:\n  static_tokens: [{token: " + leakToken + ", user: agent, email: paul.bernard@prefecture.gouv.fr}]\n" +
		"llm:\n  endpoints: [{name: cloud, base_url: '" + e.model.URL() + "', model: fake}]\n" +
		"privacy: {audit_path: '" + e.audit + "'}\n" +
		"cache: {disabled: true}\n" +
		"actions:\n  - {name: note, label: Note, kind: prompt, text: 'Rédige une note sur « {{subject}} ».'}\n"
	for name, body := range map[string]string{"plume.yaml": yaml, "marked.eml": markedMail, "pii.eml": piiMail, "inner.eml": innerMail,
		"marked.txt": markedDoc, "pii.txt": "Demande de Mme Claire Martin, NIR 1 85 05 78 006 084 91, IBAN FR76 3000 6000 0112 3456 7890 189, claire.martin@mairie-exemple.fr, 06 12 34 56 78.\n"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		e.files[name] = p
	}
	return e
}

// auditLines counts the audit log's lines.
func (e *leakEnv) auditLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(e.audit)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// outcome is what an entry point did with one input.
type outcome struct {
	refused bool   // HTTP 403 refused_* or exit status 3
	output  string // what the agent sees
	skip    bool   // the case does not apply to this input
}

// apiCase runs one API route on one mail.
type apiCase func(t *testing.T, base string, mime string) outcome

// cliCase runs one CLI command on one input file.
type cliCase func(t *testing.T, e *leakEnv, mail bool, path string) outcome

func rawRef(mime string) map[string]any {
	return map[string]any{"source": "raw", "mime": base64.StdEncoding.EncodeToString([]byte(mime))}
}

func postJSON(t *testing.T, url string, body any, sse bool) outcome {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+leakToken)
	req.Header.Set("Content-Type", "application/json")
	if sse {
		req.Header.Set("Accept", "text/event-stream")
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) outcome {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusForbidden && strings.Contains(string(out), "refused_") {
		return outcome{refused: true, output: string(out)}
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", req.Method, req.URL.Path, resp.StatusCode, out)
	}
	return outcome{output: string(out)}
}

func threadRoute(path string, sse bool) apiCase {
	return func(t *testing.T, base, mime string) outcome {
		return postJSON(t, base+path, map[string]any{"message": rawRef(mime)}, sse)
	}
}

// apiRoutes are the routes that can reach a model, each with how to call it.
var apiRoutes = map[string][]apiCase{
	"POST /api/v1/thread/summary": {threadRoute("/api/v1/thread/summary", false), threadRoute("/api/v1/thread/summary", true)},
	"POST /api/v1/thread/reply":   {threadRoute("/api/v1/thread/reply", false), threadRoute("/api/v1/thread/reply", true)},
	"POST /api/v1/actions/{name}": {threadRoute("/api/v1/actions/note", false)},
	"POST /api/v1/thread/ask": {
		func(t *testing.T, base, mime string) outcome {
			return postJSON(t, base+"/api/v1/thread/ask", map[string]any{"message": rawRef(mime), "question": "Que demande Claire Martin ?"}, false)
		},
		func(t *testing.T, base, mime string) outcome {
			return postJSON(t, base+"/api/v1/thread/ask", map[string]any{"message": rawRef(mime), "question": "Quel est le code ?"}, true)
		},
	},
	"POST /api/v1/draft": {
		func(t *testing.T, base, mime string) outcome {
			return postJSON(t, base+"/api/v1/draft", map[string]any{"message": rawRef(mime), "options": map[string]any{"kind": "note", "to": "Claire Martin", "format": "docx"}}, false)
		},
		func(t *testing.T, base, mime string) outcome {
			return postJSON(t, base+"/api/v1/draft", map[string]any{"message": rawRef(mime), "options": map[string]any{"instructions": "écrire à claire.martin@mairie-exemple.fr"}}, true)
		},
		// the file itself, read back: what the agent opens
		func(t *testing.T, base, mime string) outcome {
			b, _ := json.Marshal(map[string]any{"message": rawRef(mime)})
			req, _ := http.NewRequest("POST", base+"/api/v1/draft", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+leakToken)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/vnd.oasis.opendocument.text")
			o := send(t, req)
			if !o.refused {
				o.output = odtText(t, []byte(o.output))
			}
			return o
		},
	},
	"POST /api/v1/attachment/summary": {
		// the first attachment of the message, by part path
		func(t *testing.T, base, mime string) outcome {
			if !strings.Contains(mime, "multipart/") {
				return postJSON(t, base+"/api/v1/attachment/summary", map[string]any{"message": rawRef(mime), "attachment": map[string]any{"partPath": "1"}}, false)
			}
			return postJSON(t, base+"/api/v1/attachment/summary", map[string]any{"message": rawRef(mime), "attachment": map[string]any{"partPath": "2"}}, true)
		},
		// an upload of the mail itself, as a file, with no carrying message
		func(t *testing.T, base, mime string) outcome {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "courrier.eml")
			fw.Write([]byte(mime))
			mw.Close()
			req, _ := http.NewRequest("POST", base+"/api/v1/attachment/summary", &body)
			req.Header.Set("Authorization", "Bearer "+leakToken)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return send(t, req)
		},
	},
}

// apiNoModel are the routes that never reach a model, and why.
var apiNoModel = map[string]string{
	"GET /healthz":              "health",
	"GET /readyz":               "readiness",
	"GET /metrics":              "metrics",
	"GET /":                     "redirect to the panel",
	"GET /panel":                "panel files",
	"GET /panel/*":              "panel files",
	"GET /api/v1/openapi.json":  "API description",
	"GET /api/v1/me":            "the caller and the configured models",
	"GET /api/v1/threads":       "the caller's newest messages, for the panel (no model)",
	"POST /api/v1/thread/check": "the gate's decision before any request: markings and refusals (no model, no audit)",
	"GET /manifest.xml":         "manifest",
	"GET /manifest.json":        "manifest",
	"GET /outlook-app.zip":      "manifest package",
	"GET /plume.xpi":            "Thunderbird package",
}

func runCLI(t *testing.T, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, nil, &out, &errb)
	switch code {
	case 0:
		return outcome{output: out.String()}
	case exitRefused:
		return outcome{refused: true, output: errb.String()}
	}
	t.Fatalf("plume %v: exit %d\n%s\n%s", args, code, out.String(), errb.String())
	return outcome{}
}

// cliCommands are the commands that can reach a model, each with how to call it.
var cliCommands = map[string][]cliCase{
	"summarize": {
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			return runCLI(t, "summarize", "--config", e.config, path)
		},
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			return runCLI(t, "summarize", "--config", e.config, "--json", path)
		},
	},
	"ask": {
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			return runCLI(t, "ask", "--config", e.config, path, "Que demande Claire Martin ?")
		},
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			return runCLI(t, "ask", "--config", e.config, "--json", path, "Quel est le code ?")
		},
	},
	"draft": {
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			out := filepath.Join(t.TempDir(), "courrier.odt")
			o := runCLI(t, "draft", "--config", e.config, "--to", "Madame Claire Martin", "-o", out, path)
			if !o.refused {
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				o.output += odtText(t, b)
			}
			return o
		},
		func(t *testing.T, e *leakEnv, _ bool, path string) outcome {
			return runCLI(t, "draft", "--config", e.config, "--kind", "note", "--json", "-o", "-", path)
		},
	},
	"reply": {
		func(t *testing.T, e *leakEnv, mail bool, path string) outcome {
			if !mail {
				return outcome{skip: true}
			}
			return runCLI(t, "reply", "--config", e.config, "--instructions", "répondre à claire.martin@mairie-exemple.fr", path)
		},
	},
}

// odtText is the content.xml of an ODT file: what a reader shows.
func odtText(t *testing.T, b []byte) string {
	t.Helper()
	x, err := docwrite.ReadEntry(b, "content.xml")
	if err != nil {
		t.Fatalf("not an ODT file: %v", err)
	}
	return string(x)
}

// cliNoModel are the commands that never reach a model, and why.
var cliNoModel = map[string]string{
	"extract":  "parses mail locally and prints it",
	"redact":   "shows locally what a model would receive",
	"manifest": "writes client manifests",
	"config":   "checks a configuration and builds the model clients without calling them",
	"version":  "prints the version",
	"serve":    "the API server: its routes are in apiRoutes",
	"demo":     "the API server with an embedded mailbox: its routes are in apiRoutes",
}

func TestEveryEntryPointIsInTheLeakTable(t *testing.T) {
	e := newLeakEnv(t)
	srv := leakServer(t, e)
	var missing []string
	err := chi.Walk(srv.Routes().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		k := method + " " + strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/")
		if k == "GET " {
			k = "GET /"
		}
		if _, ok := apiRoutes[k]; !ok && apiNoModel[k] == "" {
			missing = append(missing, k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range commands {
		if _, ok := cliCommands[name]; !ok && cliNoModel[name] == "" {
			missing = append(missing, "plume "+name)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("entry points in neither the leak table nor the no-model list: %v", missing)
	}
}

func leakServer(t *testing.T, e *leakEnv) *addin.Server {
	t.Helper()
	cfg, err := config.Load(e.config, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeAll() })
	return srv
}

func TestNoEntryPointLeaks(t *testing.T) {
	e := newLeakEnv(t)
	hs := httptest.NewServer(leakServer(t, e).Routes())
	t.Cleanup(hs.Close)
	check := func(t *testing.T, marked bool, o outcome, before int) {
		t.Helper()
		got := e.model.Requests()[before:]
		if marked {
			if !o.refused || len(got) != 0 {
				t.Fatalf("marked input: refused %v, %d model request(s)", o.refused, len(got))
			}
			if strings.Contains(o.output, markedSecret) {
				t.Fatal("the refusal repeats the marked content")
			}
			return
		}
		if o.refused || len(got) == 0 {
			t.Fatalf("personal-data input: refused %v, %d model request(s)\n%s", o.refused, len(got), o.output)
		}
		for _, r := range got {
			for _, s := range secrets {
				if strings.Contains(r.Prompt(), s) {
					t.Errorf("%q reached the model in clear", s)
				}
			}
		}
		if strings.Contains(o.output, "evil.example") {
			t.Errorf("the model's outside link reached the agent:\n%s", o.output)
		}
		if placeholder.MatchString(o.output) {
			t.Errorf("a placeholder was not restored:\n%s", o.output)
		}
	}
	audited := func(t *testing.T, before int) {
		t.Helper()
		lines := e.auditLines(t)
		if len(lines) <= before {
			t.Fatal("no audit line")
		}
		for _, s := range append(secrets, markedSecret) {
			if strings.Contains(strings.Join(lines, "\n"), s) {
				t.Fatalf("the audit log holds %q", s)
			}
		}
	}
	type input struct {
		name, mime string
		marked     bool
	}
	for route, cases := range apiRoutes {
		inputs := []input{{"marked", markedMail, true}, {"pii", piiMail, false}, {"inner", innerMail, true}}
		if strings.Contains(route, "/attachment/") {
			// the attached mail, by part path or uploaded with its carrier
			inputs = append(inputs, input{"carrier", carrierMail, true})
		}
		for i, c := range cases {
			for _, in := range inputs {
				t.Run(route+"/"+string(rune('a'+i))+"/"+in.name, func(t *testing.T) {
					before, lines := len(e.model.Requests()), len(e.auditLines(t))
					check(t, in.marked, c(t, hs.URL, in.mime), before)
					audited(t, lines)
				})
			}
		}
	}
	for name, cases := range cliCommands {
		for i, c := range cases {
			for _, in := range []string{"marked.eml", "pii.eml", "inner.eml", "marked.txt", "pii.txt"} {
				t.Run(name+"/"+string(rune('a'+i))+"/"+in, func(t *testing.T) {
					before, lines := len(e.model.Requests()), len(e.auditLines(t))
					o := c(t, e, strings.HasSuffix(in, ".eml"), e.files[in])
					if o.skip {
						return
					}
					check(t, !strings.HasPrefix(in, "pii"), o, before)
					audited(t, lines)
				})
			}
		}
	}
}
