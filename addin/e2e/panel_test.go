package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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
	"github.com/plume-admin/plume/mail/imap"
)

// fakeSummary is the model's JSON summary of any thread: plain facts about
// the demo's DETR grant thread, with a deadline to highlight.
// The summary text is longer than the server's stream-guard piece (240
// bytes), so the panel receives it in several pieces.
const fakeSummary = `{"summary": "La commune de Hangest-le-Petit sollicite une subvention DETR 2026 pour la rénovation énergétique et la mise en accessibilité de son école communale. ` +
	`Le dossier est incomplet : le plan de financement signé, le relevé d'identité bancaire de la commune et l'attestation de non-commencement des travaux sont attendus. ` +
	`La préfecture instruira le dossier dès réception des pièces, puis le présentera à la commission d'élus qui arrête la liste des projets retenus.", ` +
	`"keyPoints": ["Dossier de subvention DETR 2026", "Pièces manquantes à transmettre"], "decisions": ["Instruction suspendue jusqu'à réception des pièces"], ` +
	`"openQuestions": [], "actionItems": [{"who": "La mairie", "what": "Transmettre les pièces manquantes", "due": "2026-07-15", "dueText": "avant le 15 juillet"}], ` +
	`"participants": [{"name": "Julien Caron", "role": "adjoint à la directrice"}]}`

// fakeReply is the model's draft reply.
const fakeReply = "Madame, Monsieur,\n\nJe vous remercie de votre message, dont j'ai bien pris connaissance. " +
	"Je vous propose un rendez-vous mardi prochain afin d'examiner ensemble les points soulevés.\n\n" +
	"Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées."

// fakeDocument is the model's document summary.
const fakeDocument = "Le document fixe les échéances du dossier et les pièces attendues.\n\n# Points d'attention\n- Échéance : avant la date indiquée dans le document."

// fakeCourrier is the model's courrier body (the draft prompt's JSON):
// facts of the DETR thread, a reference to strip, one fact to complete.
const fakeCourrier = `{"objet": "Demande de subvention DETR 2026 – rénovation de l'école communale", "vref": "", "nref": "", "pj": [], ` +
	`"corps": ["Par courriel, vous avez sollicité une subvention au titre de la DETR 2026 pour la rénovation énergétique et la mise en accessibilité de l'école communale [M1].", ` +
	`"Le dossier sera instruit dès réception des pièces manquantes : le plan de financement signé, le relevé d'identité bancaire de la commune et l'attestation de non-commencement des travaux.", ` +
	`"Date de passage devant la commission d'élus : [à compléter]."]}`

// fakeAnswer is the model's answer to a question on the thread; a question
// on the mayor's dog gets the answer for what the thread does not say.
// It is longer than the server's stream-guard piece, so it streams in pieces.
const fakeAnswer = "La délibération du conseil municipal approuvant le projet de rénovation énergétique et de mise en accessibilité de l'école communale a été adoptée le 12 février [M1]. " +
	"La commune sollicite la DETR 2026 pour ce projet et demande la liste des pièces à fournir ainsi que la date limite de dépôt [M1]."

// answer picks the fake model's answer from the prompt's task.
func answer(r fakellm.Request) fakellm.Response {
	p := r.Prompt()
	switch {
	case strings.Contains(p, "Question de l'agent") && strings.Contains(p, "chien"):
		return fakellm.Response{Text: "Le fil ne le précise pas."}
	case strings.Contains(p, "Question de l'agent"):
		return fakellm.Response{Text: fakeAnswer}
	case strings.Contains(p, "courrier administratif adressé"):
		return fakellm.Response{Text: fakeCourrier}
	case strings.Contains(p, "JSON"):
		return fakellm.Response{Text: fakeSummary}
	case strings.Contains(p, "synthèse de ce document") || strings.Contains(p, "summary of this document") || strings.Contains(p, "Voici le document"):
		return fakellm.Response{Text: fakeDocument}
	default:
		return fakellm.Response{Text: fakeReply}
	}
}

// startPlume serves the API and panel on the demo mailbox with one model endpoint
// (cleared for no marking) at modelURL. Each of wrap, when given, wraps the routes.
func startPlume(t *testing.T, src addin.ThreadSource, modelURL string, wrap ...func(http.Handler) http.Handler) string {
	t.Helper()
	cfg := &config.Config{}
	cfg.Auth = config.AuthConfig{Demo: true, DemoUser: "agent"}
	cfg.Mail.Source = "imap"
	cfg.Mail.IMAP = config.IMAPConfig{Addr: "127.0.0.1:1", Security: "none", Auth: "plain", Password: "demo"}
	cfg.Privacy.AuditPath = "off"
	cfg.LLM.Endpoints = []config.EndpointConfig{{Name: "fake", BaseURL: modelURL, Model: "fake-model", APIKey: "test-key"}}
	cfg.LLM.Timeout = 10 * time.Second
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, closeAll, err := wire.FromConfig(cfg, wire.Deps{Source: src, Stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = closeAll() })
	h := srv.Routes()
	for _, w := range wrap {
		h = w(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs.URL
}

// leftEarly records the paths of the requests whose client went away before
// the server had answered them: the requests the panel aborted.
type leftEarly struct {
	mu    sync.Mutex
	paths []string
}

func (l *leftEarly) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Context().Err() != nil {
			l.mu.Lock()
			l.paths = append(l.paths, r.URL.Path)
			l.mu.Unlock()
		}
	})
}

func (l *leftEarly) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.paths...)
}

func TestPanelInChromium(t *testing.T) {
	chromium := testenv.RequireBinary(t, "chromium", "apt-get install -y --no-install-recommends chromium (make deps)")
	node := testenv.RequireBinary(t, "node", "apt-get install -y --no-install-recommends nodejs (make deps)")
	modules := testenv.NodeModules(t)
	if _, err := os.Stat(filepath.Join(modules, "playwright-core")); err != nil {
		testenv.Missing(t, "npm playwright-core", "make deps (npm ci in tools/node)")
	}

	imapSrv, err := demo.ServeLoopback(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { imapSrv.Close() })
	imapOpts := imapSrv.IMAPOptions()
	imapOpts.Timeout = 10 * time.Second
	src, err := imap.New(imapOpts)
	if err != nil {
		t.Fatal(err)
	}

	model := fakellm.New(fakellm.Options{Answer: answer, ChunkRunes: 6})
	t.Cleanup(model.Close)
	down := fakellm.New(fakellm.Options{Answer: func(fakellm.Request) fakellm.Response { return fakellm.Response{Status: 503, RetryAfter: "3600"} }})
	t.Cleanup(down.Close)

	// slow answers after a delay, long enough for the agent to move to another message.
	slow := fakellm.New(fakellm.Options{ChunkRunes: 6, Answer: func(r fakellm.Request) fakellm.Response {
		resp := answer(r)
		resp.FirstTokenDelay = slowAnswer
		return resp
	}})
	t.Cleanup(slow.Close)

	base := startPlume(t, src, model.URL())
	var aborted leftEarly
	slowBase := startPlume(t, src, slow.URL(), aborted.wrap)
	downBase := startPlume(t, src, down.URL())
	gf := startGraphPlume(t)

	artifacts := os.Getenv("PLUME_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	} else if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(map[string]any{
		"base": base, "downBase": downBase, "slowBase": slowBase, "artifacts": artifacts, "chromium": chromium,
		"nodeModules": modules, "userDataDir": t.TempDir(), "officeStub": filepath.Join("testdata", "office-stub.js"),
		"graph": gf.item, "markedSecret": markedSecret,
	})
	cmd := exec.Command(node, "panel.mjs")
	cmd.Env = append(os.Environ(), "PLUME_E2E="+string(cfg))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	t.Logf("screenshots in %s", artifacts)
	var got struct {
		Threads            int
		SummaryStreamSteps int
		SummaryText        string
		SummarySections    []string
		Deadlines          []string
		ReplyStreamSteps   int
		ReplyDraft         string
		RefusalCode        string
		RefusalText        string
		DegradedNotice     string
		DegradedAlert      string
		PartPathSummary    string
		PartPathRefusal    string
		UploadSummary      string
		OutlookSubject     string
		OutlookAttachment  string
		OutlookDrop        string
		OutlookDocMarkdown []string
		OutlookMarked      struct {
			Refusal, RefusalText, DropRefusal string
			Uploads                           []struct{ ContentType, Message string }
		}
		OfficeCalls []struct {
			Fn, HTMLBody, ID, Version string
			Attachments               []struct{ Type, Name, Base64file string }
		}
		OutlookLetterStatus string
		Letter              letterObserved
		OutlookFlagged      struct {
			Badge            string
			Summarize, Draft bool
		}
		Layout       layoutObserved
		OutlookStale staleObserved
		Graph        graphObserved
		Timings      map[string]int
	}
	if err := json.Unmarshal(lastLine(stdout.Bytes()), &got); err != nil {
		t.Fatalf("panel.mjs output: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if runErr != nil {
		t.Fatalf("panel.mjs: %v\n%s\nobserved so far: %+v", runErr, stderr.String(), got)
	}
	t.Logf("scenario times (ms): %v", got.Timings)

	if !strings.Contains(got.SummaryText, "subvention DETR 2026") || got.SummaryStreamSteps < 2 {
		t.Errorf("summary: %q after %d streamed steps", got.SummaryText, got.SummaryStreamSteps)
	}
	if strings.Join(got.SummarySections, ",") != "keyPoints,decisions,actionItems,participants" {
		t.Errorf("summary sections = %v", got.SummarySections)
	}
	if len(got.Deadlines) != 1 {
		t.Errorf("deadlines = %v", got.Deadlines)
	}
	if !strings.Contains(got.ReplyDraft, "rendez-vous mardi") || got.ReplyStreamSteps < 2 {
		t.Errorf("reply draft %q after %d streamed steps", got.ReplyDraft, got.ReplyStreamSteps)
	}
	if got.RefusalCode != "refused_marking" || !strings.Contains(got.RefusalText, "DIFFUSION RESTREINTE") {
		t.Errorf("refusal: code %q text %q", got.RefusalCode, got.RefusalText)
	}
	if !strings.Contains(got.DegradedNotice, "moteur hors ligne") {
		t.Errorf("degraded notice %q (alert %q)", got.DegradedNotice, got.DegradedAlert)
	}
	if got.PartPathRefusal != "refused_marking" {
		t.Errorf("the DIFFUSION RESTREINTE attachment by part path: %q, want refused_marking", got.PartPathRefusal)
	}
	if got.PartPathSummary != "" && !strings.Contains(got.PartPathSummary, "échéances du dossier") {
		t.Errorf("attachment summary by part path: %q", got.PartPathSummary)
	}
	if !strings.Contains(got.UploadSummary, "échéances du dossier") {
		t.Errorf("uploaded file summary: %q", got.UploadSummary)
	}

	var reply, replyAll, content, rest, letter bool
	for _, c := range got.OfficeCalls {
		switch {
		case c.Fn == "displayReplyFormAsync" && len(c.Attachments) > 0:
			a := c.Attachments[0]
			b, err := base64.StdEncoding.DecodeString(a.Base64file)
			letter = err == nil && c.HTMLBody == "" && a.Type == "base64" && strings.HasSuffix(a.Name, ".docx") && bytes.HasPrefix(b, []byte("PK\x03\x04"))
		case c.Fn == "displayReplyFormAsync":
			reply = strings.Contains(c.HTMLBody, "<p>") && strings.Contains(c.HTMLBody, "rendez-vous mardi") && len(c.HTMLBody) <= 32<<10
		case c.Fn == "displayReplyAllFormAsync":
			replyAll = strings.Contains(c.HTMLBody, "rendez-vous mardi")
		case c.Fn == "getAttachmentContentAsync":
			content = c.ID == "att-1"
		case c.Fn == "convertToRestId":
			rest = c.Version == "v2.0"
		}
	}
	if !reply || !replyAll || !content || !rest {
		t.Errorf("Office calls: reply %v, reply-all %v, attachment content %v, REST id %v: %+v", reply, replyAll, content, rest, got.OfficeCalls)
	}
	if !letter || !strings.Contains(got.OutlookLetterStatus, "joint à une réponse") {
		t.Errorf("Outlook: the courrier was not attached to a reply as a DOCX (status %q)", got.OutlookLetterStatus)
	}
	got.Letter.check(t)
	if !strings.Contains(got.OutlookAttachment, "échéances du dossier") || !strings.Contains(got.OutlookDrop, "arrete-glisse.txt") {
		t.Errorf("Outlook attachments: %q / drop %q", got.OutlookAttachment, got.OutlookDrop)
	}
	// fakeDocument's "# Points d'attention" and "- Échéance" are a heading and a list item, not raw markdown.
	if md := strings.Join(got.OutlookDocMarkdown, "\n"); !strings.Contains(md, "h4:Points d'attention") || !strings.Contains(md, "ul:Échéance") || strings.Contains(md, "# ") {
		t.Errorf("document summary markdown rendered as %q", got.OutlookDocMarkdown)
	}
	checkMarkedUpload(t, got.OutlookMarked.Refusal, got.OutlookMarked.RefusalText, got.OutlookMarked.DropRefusal)
	if f := got.OutlookFlagged; f.Badge != "DIFFUSION RESTREINTE" || !f.Summarize || !f.Draft {
		t.Errorf("Outlook pane on the marked message, before any click: %+v", f)
	}
	checkLayout(t, got.Layout)
	var drRef bool
	for _, u := range got.OutlookMarked.Uploads {
		var ref struct{ Source, MessageID string }
		if !strings.HasPrefix(u.ContentType, "multipart/form-data") || json.Unmarshal([]byte(u.Message), &ref) != nil {
			t.Errorf("Outlook upload on the marked message: %q with message field %q", u.ContentType, u.Message)
			continue
		}
		drRef = drRef || (ref.Source == "imap" && strings.HasPrefix(strings.TrimPrefix(ref.MessageID, "<"), "note-dispositif-dr-"))
	}
	if len(got.OutlookMarked.Uploads) != 2 || !drRef {
		t.Errorf("Outlook uploads on the marked message = %+v, want two naming the DIFFUSION RESTREINTE message", got.OutlookMarked.Uploads)
	}
	for _, r := range model.Requests() {
		if strings.Contains(r.Prompt(), markedSecret) {
			t.Fatal("the model received a document carried by the DIFFUSION RESTREINTE message")
		}
	}
	got.OutlookStale.check(t, aborted.list())
	gf.check(t, got.Graph)
}

// slowAnswer is how long the slow model waits before its first token.
const slowAnswer = 1500 * time.Millisecond

// staleObserved is what panel.mjs saw in the pinned Outlook pane when the
// agent moved to another message while an answer was being written.
type staleObserved struct {
	Aborted          []string // "path net::ERR_…" of the API requests Chromium saw fail
	SubjectAfterMove string
	SummaryAfterMove string // every text of the summary view once A's request ended, B selected
	SummaryB         string
	DraftAfterMove   string // every text of the reply view once B's request ended, C selected
	InsertAfterMove  bool
	DraftC           string
	SwitchedInsert   string // the problem code when Outlook had switched to D before telling the pane
	OfficeCalls      []struct{ Fn, HTMLBody, ItemID string }
	Errors           []string
}

// check asserts that an answer for a message the agent has left is never
// shown nor insertable, and that its request was aborted: Chromium saw it
// fail and the server (serverAborted: paths whose client left before the
// answer) saw the client leave while the slow model was still thinking.
func (s staleObserved) check(t *testing.T, serverAborted []string) {
	t.Helper()
	if s.SummaryAfterMove != "" {
		t.Errorf("after moving to another message, the summary view shows %q: the old message's answer must be dropped", s.SummaryAfterMove)
	}
	if s.DraftAfterMove != "" || s.InsertAfterMove {
		t.Errorf("after moving to another message, the reply view shows %q (insert visible: %v): the old draft must be dropped", s.DraftAfterMove, s.InsertAfterMove)
	}
	for _, path := range []string{"/api/v1/thread/summary", "/api/v1/thread/reply"} {
		var inBrowser, onServer bool
		for _, a := range s.Aborted {
			inBrowser = inBrowser || (strings.HasPrefix(a, path+" ") && strings.Contains(a, "ERR_ABORTED"))
		}
		for _, p := range serverAborted {
			onServer = onServer || p == path
		}
		if !inBrowser || !onServer {
			t.Errorf("the request %s for the message left was not aborted: failed in Chromium %q, left early on the server %q", path, s.Aborted, serverAborted)
		}
	}
	if !strings.Contains(s.SummaryB, "subvention DETR 2026") {
		t.Errorf("summary of the new message after the move: %q", s.SummaryB)
	}
	if !strings.Contains(s.DraftC, "rendez-vous mardi") {
		t.Errorf("draft of the new message after the move: %q", s.DraftC)
	}
	if s.SwitchedInsert != "message_changed" || len(s.OfficeCalls) != 0 {
		t.Errorf("Insert after Outlook switched items: problem %q, reply forms opened %+v; want message_changed and none", s.SwitchedInsert, s.OfficeCalls)
	}
	if len(s.Errors) != 0 {
		t.Errorf("page errors: %q", s.Errors)
	}
}

// markedSecret is the text of the unmarked documents the Outlook scenario
// uploads from the DIFFUSION RESTREINTE message: no model may receive it.
const markedSecret = "Accueil du ministre en salle Vauban à 9 h 40, itinéraire B."

// checkMarkedUpload asserts that an attachment of the DIFFUSION RESTREINTE
// message, and a file dropped on its pane, were refused.
func checkMarkedUpload(t *testing.T, refusal, text, dropRefusal string) {
	t.Helper()
	if refusal != "refused_marking" || !strings.Contains(text, "DIFFUSION RESTREINTE") {
		t.Errorf("Outlook attachment of the marked message: code %q, text %q; want refused_marking naming the marking", refusal, text)
	}
	if dropRefusal != "refused_marking" {
		t.Errorf("file dropped on the marked message's pane: code %q, want refused_marking", dropRefusal)
	}
}

// lastLine is the last non-empty line of b.
func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

// placement is where panel.mjs found an element at 400 (or 320) × 600.
type placement struct {
	Top, Bottom, BarBottom, BarTop, Height int
	Focused, InView                        bool
	Missing, ClassName, Text               string
}

// tabsRow is what panel.mjs saw of the tab list at one width.
type tabsRow struct {
	Rows                 int
	Overflow, ActionsTab bool
	MeActions            int
}

// marked is the panel on the DIFFUSION RESTREINTE thread before any click.
type marked struct {
	Badge, Reason               string
	Summarize, Draft, Described bool
	Attachments                 []bool
}

// layoutObserved is what the 400 × 600 (and 320 × 600) scenario saw.
type layoutObserved struct {
	Tabs400, Tabs320                                   tabsRow
	Summary400, Summary320, Draft400, Draft320         placement
	Insert400, Insert320, Attachment400, Attachment320 placement
	BarAfterScroll400, BarAfterScroll320, Refusal      placement
	Marked400, Marked320                               marked
	Clutter                                            string
	Audits                                             map[string][]string
	Requests                                           []string
	DR                                                 string
}

// checkLayout asserts issue 22's "done when" for the Chromium suite.
func checkLayout(t *testing.T, l layoutObserved) {
	t.Helper()
	for w, tr := range map[int]tabsRow{400: l.Tabs400, 320: l.Tabs320} {
		if tr.Rows != 1 || tr.Overflow {
			t.Errorf("%d px: tabs on %d rows (overflow %v)", w, tr.Rows, tr.Overflow)
		}
		if tr.ActionsTab != (tr.MeActions > 0) {
			t.Errorf("%d px: Actions tab shown %v with %d organisation actions", w, tr.ActionsTab, tr.MeActions)
		}
	}
	for name, p := range map[string]placement{
		"summary 400": l.Summary400, "summary 320": l.Summary320, "draft 400": l.Draft400, "draft 320": l.Draft320,
		"attachment card 400": l.Attachment400, "attachment card 320": l.Attachment320, "refusal 400": l.Refusal,
	} {
		if p.Missing != "" || !p.InView || !p.Focused {
			t.Errorf("%s not brought into view and focused: %+v", name, p)
		}
	}
	for name, p := range map[string]placement{"Insert 400": l.Insert400, "Insert 320": l.Insert320} {
		if p.Bottom > p.Height || p.Top < p.BarBottom {
			t.Errorf("%s button below the fold or under the bar: %+v", name, p)
		}
	}
	for name, p := range map[string]placement{"400": l.BarAfterScroll400, "320": l.BarAfterScroll320} {
		if p.BarTop != 0 {
			t.Errorf("%s px: the bar scrolled away (top %d)", name, p.BarTop)
		}
	}
	for _, s := range []string{"masquée", "Modèle", "fake-model", "cache"} {
		if strings.Contains(l.Clutter, s) {
			t.Errorf("summary view says %q: %q", s, l.Clutter)
		}
	}
	if strings.Count(l.Clutter, "échéance") != 1 {
		t.Errorf("the deadline is not said once: %q", l.Clutter)
	}
	for w, m := range map[int]marked{400: l.Marked400, 320: l.Marked320} {
		if m.Badge != "DIFFUSION RESTREINTE" || !m.Summarize || !m.Draft || !m.Described || !strings.Contains(m.Reason, "DIFFUSION RESTREINTE") {
			t.Errorf("%d px: marked thread before any click: %+v", w, m)
		}
		for i, d := range m.Attachments {
			if !d {
				t.Errorf("%d px: attachment %d of the marked thread left enabled", w, i)
			}
		}
	}
	for _, r := range l.Requests {
		if (strings.Contains(r, "/thread/summary") || strings.Contains(r, "/thread/reply")) && strings.Contains(r, l.DR) {
			t.Errorf("a request was sent for the flagged thread: %s", r)
		}
	}
	if !strings.Contains(l.Refusal.ClassName, "alert--refusal") || strings.Contains(l.Refusal.Text, "refused_marking") || strings.Contains(l.Refusal.Text, "Code") ||
		!strings.Contains(l.Refusal.Text, "DIFFUSION RESTREINTE") || !strings.Contains(l.Refusal.Text, "Détails techniques") {
		t.Errorf("refusal card: class %q text %q", l.Refusal.ClassName, l.Refusal.Text)
	}
	for state, v := range l.Audits {
		if len(v) > 0 {
			t.Errorf("accessibility, %s: %q", state, v)
		}
	}
	if len(l.Audits) < 7 {
		t.Errorf("accessibility audits run: %d", len(l.Audits))
	}
}
