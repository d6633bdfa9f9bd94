package addin

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// Assistant is what the API asks of package assist; *assist.Assistant
// satisfies it.
type Assistant interface {
	SummarizeThread(ctx context.Context, req assist.ThreadRequest, cb assist.Callbacks) (*assist.Summary, assist.Meta, error)
	DraftReply(ctx context.Context, req assist.ReplyRequest, cb assist.Callbacks) (*assist.Reply, assist.Meta, error)
	SummarizeDocument(ctx context.Context, req assist.DocumentRequest, cb assist.Callbacks) (*assist.DocumentSummary, assist.Meta, error)
	Actions() []assist.ActionDef
	RunAction(ctx context.Context, name string, req assist.ThreadRequest, inputs map[string]string, cb assist.Callbacks) (*assist.ActionResult, assist.Meta, error)
}

var _ Assistant = (*assist.Assistant)(nil)

// Ref names the message a request is about.
type Ref struct {
	// Source is "imap", "graph" or "raw".
	Source string `json:"source"`
	// MessageID is the Message-ID (imap).
	MessageID string `json:"messageId,omitempty"`
	// ID and ConversationID are Graph ids (graph).
	ID             string `json:"id,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
	// MIME is the whole message, base64 (raw).
	MIME string `json:"mime,omitempty"`
}

// mapper is implemented by every assist result: it rewrites each text field.
type mapper interface {
	MapText(func(string) string)
}

// job is one request travelling through the pipeline.
type job struct {
	id       Identity
	task     assist.Task
	source   string
	thread   *mail.Thread // as read; never sent to a model
	safe     *mail.Thread // pseudonymised copy sent to the model
	markings []mail.Marking
	labels   []string
	endpoint string
	session  *privacy.Session // nil when pseudonymisation is off
	sources  []string         // texts the output guard accepts links and numbers from
	// guard is built from sources on first use (outputGuard), once per request.
	guard     *privacy.Guard
	guardOnce sync.Once
	hidden    int
	removed   int
	// injections counts suspected injected instructions in the mail (audit only).
	injections int
	// label is the audited task name ("summary", "action:NAME").
	label     string
	requestID string
	start     time.Time
}

// outputGuard is the request's output guard, read from j.sources once;
// call it only once the sources are complete.
func (j *job) outputGuard() *privacy.Guard {
	j.guardOnce.Do(func() { j.guard = privacy.NewGuard(j.sources...) })
	return j.guard
}

// problemError carries a problem to the client and its cause to the log.
type problemError struct {
	p     *Problem
	cause error
}

func (e *problemError) Error() string {
	if e.cause != nil {
		return e.p.Code + ": " + e.cause.Error()
	}
	return e.p.Code
}

func (e *problemError) Unwrap() error { return e.cause }

func problemErr(code string, cause error) *problemError {
	return &problemError{p: newProblem(code), cause: cause}
}

// resolve fetches the thread named by ref, for the caller only.
func (s *Server) resolve(ctx context.Context, id Identity, ref Ref) (*mail.Thread, error) {
	switch ref.Source {
	case "imap":
		if ref.MessageID == "" {
			return nil, problemErr("bad_request", errors.New("addin: imap reference without messageId"))
		}
		if s.source == nil {
			return nil, problemErr("not_implemented", errors.New("addin: no IMAP source configured"))
		}
		t, err := s.source.Thread(ctx, id.Caller, ref.MessageID)
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		if t == nil || len(t.Messages) == 0 {
			return nil, problemErr("message_not_found", mail.ErrNotFound)
		}
		return t, nil
	case "raw":
		raw, err := s.decodeRaw(ref.MIME)
		if err != nil {
			return nil, err
		}
		m, err := mail.Parse(raw, mail.Limits{MaxSize: s.cfg.Mail.MaxRawBytes})
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		return mail.BuildThread([]*mail.Message{m}), nil
	case "graph":
		if ref.ID == "" {
			return nil, problemErr("bad_request", errors.New("addin: graph reference without id"))
		}
		if s.graph == nil {
			return nil, problemErr("not_implemented", errors.New("addin: no Microsoft Graph source configured"))
		}
		t, err := s.graph.Thread(ctx, id.Caller, ref.ID, ref.ConversationID)
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		if t == nil || len(t.Messages) == 0 {
			return nil, problemErr("message_not_found", mail.ErrNotFound)
		}
		return t, nil
	}
	return nil, problemErr("bad_request", fmt.Errorf("addin: unknown message source %q", ref.Source))
}

// decodeRaw decodes a base64 MIME message within the configured cap.
func (s *Server) decodeRaw(b64 string) ([]byte, error) {
	if b64 == "" {
		return nil, problemErr("bad_request", errors.New("addin: raw reference without mime"))
	}
	if int64(base64.StdEncoding.DecodedLen(len(b64))) > s.cfg.Mail.MaxRawBytes+3 {
		return nil, problemErr("too_large", mail.ErrTooLarge)
	}
	clean := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, b64)
	raw, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	}
	if err != nil {
		return nil, problemErr("bad_request", fmt.Errorf("addin: raw mime is not base64: %w", err))
	}
	if int64(len(raw)) > s.cfg.Mail.MaxRawBytes {
		return nil, problemErr("too_large", mail.ErrTooLarge)
	}
	return raw, nil
}

// prepare runs everything before the model: fetch, markings, routing,
// pseudonymisation. A refusal is audited here.
func (s *Server) prepare(ctx context.Context, task assist.Task, label string, ref Ref) (*job, error) {
	j := s.newJob(ctx, task, ref.Source)
	if label != "" {
		j.label = label
	}
	t, err := s.resolve(ctx, j.id, ref)
	if err != nil {
		return nil, err
	}
	j.thread = t
	j.markings = s.detector.Thread(t)
	j.labels = uniqueLabels(j.markings)
	encrypted := false
	for _, m := range t.Messages {
		encrypted = encrypted || m.Security.Encrypted()
		j.hidden += m.Cleaning.HiddenElements
	}
	j.injections = injectionCues(t)
	j.sources = privacy.SourcesOf(t)
	if err := s.route(j, encrypted); err != nil {
		return nil, err
	}
	j.safe = t
	if s.pseudonymize(j.endpoint) {
		j.session = s.pseudo.Session()
		j.session.LearnThread(t)
		j.safe = j.session.Thread(t)
	}
	return j, nil
}

// route applies the marking gate; refusals are audited and counted.
func (s *Server) route(j *job, encrypted bool) error {
	ep, err := privacy.Route(j.markings, encrypted, s.candidates(j.task))
	if err == nil {
		j.endpoint = ep
		return nil
	}
	var ref *privacy.Refusal
	if !errors.As(err, &ref) {
		return problemErr("internal", err)
	}
	p := newProblem(ref.Code())
	p.Message = Bilingual{FR: ref.French(), EN: ref.English()}
	p.Marking = ref.Marking.Label
	p.Detail = p.Message.EN
	s.metrics.refusals.WithLabelValues(p.Code).Inc()
	s.audit(j, assist.Meta{}, p.Code)
	return &problemError{p: p, cause: err}
}

// candidates lists the endpoints that serve task, in configuration order,
// with their clearances. With none, the in-process offline engine (nothing
// leaves the server) is the only candidate and may receive anything.
func (s *Server) candidates(task assist.Task) []privacy.Clearance {
	var out []privacy.Clearance
	for _, e := range s.cfg.LLM.Endpoints {
		if len(e.Tasks) > 0 && !containsString(e.Tasks, string(task)) {
			continue
		}
		out = append(out, privacy.Clearance{Endpoint: e.Name, Cleared: e.Cleared})
	}
	if len(out) == 0 {
		out = append(out, privacy.Clearance{Endpoint: offlineEndpoint, Cleared: []string{"*"}})
	}
	return out
}

// offlineEndpoint is assist's name for its offline engine.
const offlineEndpoint = "offline"

// pseudonymize reports whether text is pseudonymised for endpoint.
func (s *Server) pseudonymize(endpoint string) bool {
	if s.cfg.Privacy.PIIDisabled {
		return false
	}
	for _, e := range s.cfg.LLM.Endpoints {
		if e.Name == endpoint && e.Pseudonymize != nil {
			return *e.Pseudonymize
		}
	}
	return true
}

// finish restores pseudonyms and guards every text of the result with the
// request's guard (the one the stream used). The fields are guarded together
// in one call, joined by a separator line the guard leaves alone; should the
// separators not survive, each field is guarded on its own.
func (s *Server) finish(j *job, res mapper) {
	var texts []string
	res.MapText(func(text string) string {
		if j.session != nil {
			text = j.session.Restore(text)
		}
		texts = append(texts, text)
		return text
	})
	guard := j.outputGuard()
	guarded, rep := guard.Apply(strings.Join(texts, fieldSep))
	parts := strings.Split(guarded, fieldSep)
	if len(parts) != len(texts) {
		parts = parts[:0]
		rep.Removed = 0
		for _, t := range texts {
			g, r := guard.Apply(t)
			parts = append(parts, g)
			rep.Removed += r.Removed
		}
	}
	j.removed += rep.Removed
	i := 0
	res.MapText(func(string) string {
		i++
		return parts[i-1]
	})
}

// fieldSep separates answer fields guarded together: blank lines around an
// invisible marker that no URL, address or number can span.
const fieldSep = "\n\n\u2063\u2063plume-field\u2063\u2063\n\n"

// answerMeta is assist's Meta plus what the privacy guard did.
type answerMeta struct {
	assist.Meta
	Pseudonymized map[string]int `json:"pseudonymized"`
	Markings      []string       `json:"markings"`
	HiddenDropped int            `json:"hiddenDropped"`
	Guard         guardMeta      `json:"guard"`
}

type guardMeta struct {
	Removed int `json:"removed"`
}

func (j *job) meta(m assist.Meta) answerMeta {
	counts := map[string]int{}
	if j.session != nil {
		counts = j.session.Counts()
	}
	return answerMeta{Meta: m, Pseudonymized: counts, Markings: j.labels, HiddenDropped: j.hidden, Guard: guardMeta{j.removed}}
}

// modelCode maps an assistant error to its problem code.
func modelCode(err error) string {
	switch {
	case errors.Is(err, assist.ErrUnknownAction):
		return "unknown_action"
	case errors.Is(err, assist.ErrBadRequest):
		return "bad_request"
	case errors.Is(err, assist.ErrInvalidOutput):
		return "invalid_output"
	case errors.Is(err, assist.ErrStalled), errors.Is(err, context.DeadlineExceeded):
		return "model_timeout"
	case errors.Is(err, assist.ErrModelUnavailable):
		return "model_unavailable"
	}
	return "internal"
}

// injectionCues counts suspected injected instructions in what the
// messages add, and in the history quoted by the oldest one (the rest of the
// quoted history is the thread itself, counted once).
func injectionCues(t *mail.Thread) int {
	n := 0
	for i, m := range t.Messages {
		n += privacy.InjectionCues(m.New)
		if i == 0 {
			n += privacy.InjectionCues(m.Quoted)
		}
	}
	return n
}

// newJob starts the record of one request.
func (s *Server) newJob(ctx context.Context, task assist.Task, source string) *job {
	id, _ := IdentityFrom(ctx)
	return &job{id: id, task: task, label: string(task), source: source, requestID: middleware.GetReqID(ctx), start: s.now()}
}

// audit writes the request's audit record; it never holds content.
func (s *Server) audit(j *job, meta assist.Meta, outcome string) {
	if s.auditor == nil {
		return
	}
	decision := privacy.DecisionAllowed
	switch outcome {
	case "refused_marking":
		decision = privacy.DecisionRefused
	case "refused_encrypted":
		decision = privacy.DecisionEncrypted
	}
	endpoint := meta.Endpoint
	if endpoint == "" {
		endpoint = j.endpoint
	}
	var counts map[string]int
	if j.session != nil {
		counts = j.session.Counts()
	}
	err := s.auditor.Record(privacy.AuditRecord{
		Time: s.now(), User: j.id.User, RequestID: j.requestID, Task: j.label, Source: j.source,
		Markings: j.labels, Decision: decision, Endpoint: endpoint, Model: meta.Model,
		TokensIn: meta.PromptTokens, TokensOut: meta.CompletionTokens, Pseudonymized: counts,
		HiddenDropped: j.hidden, Injections: j.injections, GuardRemoved: j.removed, Cached: meta.Cached,
		Outcome: outcome, DurationMS: s.now().Sub(j.start).Milliseconds(),
	})
	if err != nil {
		s.log.Error("audit record not written", "cause", err.Error())
	}
}

func uniqueLabels(ms []mail.Marking) []string {
	labels := []string{}
	seen := map[string]bool{}
	for _, m := range ms {
		if !seen[m.Label] {
			seen[m.Label] = true
			labels = append(labels, m.Label)
		}
	}
	return labels
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// failErr answers err: a *problemError as is, anything else as internal.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var pe *problemError
	if !errors.As(err, &pe) {
		pe = problemErr("internal", err)
	}
	s.logProblem(r, pe.p, pe.cause)
	writeProblem(w, pe.p)
}
