// Package assist is Plume's assistant: it turns a cleaned [mail.Thread] or a
// document's text into suggestions — thread summaries with action items,
// reply drafts in French administrative style, document summaries and the
// organisation's own named actions — through any langchaingo [llms.Model].
//
// # Models
//
// An [Endpoint] wraps one llms.Model with its token budget (context window,
// reserved output) and the tasks it serves. [NewOpenAICompatible],
// [NewOllama] and [NewMistral] build models from explicit values (never from
// the environment) behind the package's single retry layer ([Transport]:
// 429/5xx retried honouring Retry-After, bounded in time, a circuit breaker
// per endpoint). With no endpoint at all, or when the model is unavailable,
// the offline extractive engine answers and [Meta.Degraded] says so.
//
// # Context assembly
//
// Prompts are built from what each message adds ([mail.Message.New]) with its
// sender and date; quoted history and signatures are left out, forwarded
// content is kept once and paragraphs already seen earlier in the thread are
// dropped. When the token budget is short the newest messages are kept whole
// and the oldest are shortened or cut; [Meta.Cut] lists what was cut. Mail
// content is untrusted: it is wrapped in blocks delimited by a random
// boundary drawn per request, and the system prompt says that nothing inside
// is an instruction. [Assistant.Preview] shows exactly what would be sent.
//
// # Prompts and cache
//
// Prompts are embedded files (French and English) carrying a version
// ([PromptVersion]) that is part of every cache key, with the task, the
// options, the model and the content hash. [NewMemoryCache] is the default
// in-memory LRU; [Cache] lets a shared store (Redis) take its place.
//
// # Example
//
//	model, _ := assist.NewOpenAICompatible(assist.OpenAIConfig{
//		BaseURL: "http://127.0.0.1:8000/v1", Model: "mistral-small", APIKey: key,
//	})
//	a, _ := assist.New(assist.Options{Endpoints: []assist.Endpoint{{
//		Name: "local", Model: model, ModelName: "mistral-small", ContextWindow: 32768,
//	}}})
//	sum, meta, err := a.SummarizeThread(ctx, assist.ThreadRequest{Thread: t}, assist.Callbacks{})
package assist

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// Sentinel errors of package assist. Callers branch with errors.Is.
var (
	// ErrModelUnavailable reports that no model could answer (circuit open,
	// retries exhausted, stalled stream) and the offline fallback is disabled.
	ErrModelUnavailable = errors.New("assist: model unavailable")
	// ErrInvalidOutput reports that the model's answer did not match the
	// expected JSON schema, even after one retry.
	ErrInvalidOutput = errors.New("assist: invalid model output")
	// ErrUnknownAction reports a RunAction name that is not configured.
	ErrUnknownAction = errors.New("assist: unknown action")
	// ErrInvalidAction reports an action definition rejected by New.
	ErrInvalidAction = errors.New("assist: invalid action")
	// ErrUnknownEndpoint reports a request naming an endpoint not configured.
	ErrUnknownEndpoint = errors.New("assist: unknown endpoint")
	// ErrBadRequest reports a request missing what the task needs (no thread, no text).
	ErrBadRequest = errors.New("assist: bad request")
	// ErrStalled reports a model stream that produced no token within the stall timeout.
	ErrStalled = errors.New("assist: model stream stalled")
)

// Task names a kind of work an endpoint can be given.
type Task string

// Tasks of the assistant.
const (
	TaskSummary  Task = "summary"
	TaskReply    Task = "reply"
	TaskDocument Task = "document"
	TaskAction   Task = "action"
)

// Endpoint is one configured model with its token budget.
type Endpoint struct {
	// Name identifies the endpoint in requests, Meta and the privacy routing.
	Name string
	// Model answers; langchaingo's two-method interface is all assist needs.
	Model llms.Model
	// ModelName is the model's name as reported in Meta and cache keys.
	ModelName string
	// ContextWindow is the model's context size in tokens; zero means 8192.
	ContextWindow int
	// MaxOutput is the number of tokens reserved for the answer; zero means 1024.
	MaxOutput int
	// Tasks lists the tasks this endpoint serves; empty means all.
	Tasks []Task
	// JSONMode asks the server for a JSON object (response_format) on
	// structured tasks; off by default as not every server supports it.
	JSONMode bool
}

// Options configures an [Assistant]. The zero value runs the offline engine only.
type Options struct {
	// Endpoints are the models; none means the offline engine answers everything.
	Endpoints []Endpoint
	// Cache holds results; nil means an in-memory LRU of 512 entries.
	Cache Cache
	// CacheTTL is how long results are kept; zero means 1 hour.
	CacheTTL time.Duration
	// NoCache disables caching entirely.
	NoCache bool
	// DocumentTokens is the token budget of one document summary; a longer
	// document is summarised from a selection. Zero means DefaultDocumentTokens.
	DocumentTokens int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Actions are the organisation's named actions, validated by New.
	Actions []ActionDef
	// NoFallback returns ErrModelUnavailable instead of an offline answer
	// when the model fails.
	NoFallback bool
	// Timeout bounds one model call, retries included; zero means 2 minutes.
	Timeout time.Duration
	// StallTimeout ends a stream that sends no token for this long (the
	// first token included); zero means 45 seconds.
	StallTimeout time.Duration
	// Rand supplies the per-request boundary of the data blocks; nil means crypto/rand.
	Rand io.Reader
	// Language is the default answer language, "fr" or "en"; empty means "fr".
	Language string
	// Organisation is what letters and accusés de réception say of the
	// organisation (bloc-marque, service, signature, procedures); the zero
	// value leaves those parts [à compléter].
	Organisation Organisation
}

// Assistant runs the tasks. It is safe for concurrent use.
type Assistant struct {
	opts      Options
	endpoints []Endpoint
	actions   map[string]ActionDef
	order     []string
	cache     Cache
}

// Callbacks receive streamed tokens and progress; both may be nil.
type Callbacks struct {
	// Token receives the model's answer as it is generated. For JSON tasks
	// it is the raw JSON; a Progress stage "retry" announces a restart.
	Token func(string)
	// Progress reports stages: "chunk" (i of n) for documents, "reduce", "retry".
	Progress func(done, total int, stage string)
}

// Meta says how an answer was produced.
type Meta struct {
	// Endpoint and Model name what answered; "offline" for the offline engine.
	Endpoint string `json:"endpoint"`
	Model    string `json:"model"`
	// PromptVersion is the version of the embedded prompts.
	PromptVersion string `json:"promptVersion"`
	// PromptTokens and CompletionTokens are reported by the server or counted.
	PromptTokens     int `json:"promptTokens"`
	CompletionTokens int `json:"completionTokens"`
	// Cached is true when the result came from the cache.
	Cached bool `json:"cached"`
	// Degraded is true when the offline engine answered; DegradedReason says why.
	Degraded       bool   `json:"degraded"`
	DegradedReason string `json:"degradedReason,omitempty"`
	// Cut lists what was shortened or left out: to fit the budget, or
	// withheld from a reply's context, or flagged (outside senders).
	Cut []string `json:"cut,omitempty"`
	// Withheld counts the messages left out of a reply's context because
	// its recipients neither sent nor received them.
	Withheld int `json:"withheld,omitempty"`
	// Outside counts the messages of a summarised thread whose sender
	// appears nowhere else in it (mail from outside linking itself in).
	Outside int `json:"outside,omitempty"`
	// Estimate is a document summary's cost as planned before any call.
	Estimate *DocumentEstimate `json:"estimate,omitempty"`
}

// ThreadRequest asks for work on one thread.
type ThreadRequest struct {
	// Pass is the gate's admission of the thread; required. The thread is
	// Pass.Thread() and the endpoint Pass.Endpoint().
	Pass *privacy.Pass
	// Language of the answer, "fr" or "en"; "" means Options.Language.
	Language string
	// Length is "short", "standard" (default) or "detailed".
	Length string

	thread   *mail.Thread // Pass.Thread(), set by open
	endpoint string       // Pass.Endpoint(), set by open
}

// open fills the request's thread and endpoint from its Pass.
func (r *ThreadRequest) open() error {
	if r.Pass == nil {
		return fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	r.thread, r.endpoint = r.Pass.Thread(), r.Pass.Endpoint()
	return checkThread(r.thread)
}

var actionNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// New validates the options and returns an Assistant.
func New(opts Options) (*Assistant, error) {
	a := &Assistant{opts: opts, actions: map[string]ActionDef{}}
	if a.opts.Now == nil {
		a.opts.Now = time.Now
	}
	if a.opts.Rand == nil {
		a.opts.Rand = rand.Reader
	}
	if a.opts.CacheTTL <= 0 {
		a.opts.CacheTTL = time.Hour
	}
	if a.opts.Timeout <= 0 {
		a.opts.Timeout = 2 * time.Minute
	}
	if a.opts.StallTimeout <= 0 {
		a.opts.StallTimeout = 45 * time.Second
	}
	switch a.opts.Language {
	case "":
		a.opts.Language = "fr"
	case "fr", "en":
	default:
		return nil, fmt.Errorf("%w: language %q (want fr or en)", ErrBadRequest, a.opts.Language)
	}
	seen := map[string]bool{}
	for i, ep := range opts.Endpoints {
		if ep.Name == "" {
			return nil, fmt.Errorf("%w: endpoint %d has no name", ErrBadRequest, i)
		}
		if seen[ep.Name] {
			return nil, fmt.Errorf("%w: endpoint %q defined twice", ErrBadRequest, ep.Name)
		}
		seen[ep.Name] = true
		if ep.Model == nil {
			return nil, fmt.Errorf("%w: endpoint %q has no model", ErrBadRequest, ep.Name)
		}
		if ep.ContextWindow <= 0 {
			ep.ContextWindow = 8192
		}
		if ep.MaxOutput <= 0 {
			ep.MaxOutput = 1024
		}
		if ep.MaxOutput >= ep.ContextWindow/2 {
			return nil, fmt.Errorf("%w: endpoint %q reserves %d of %d tokens for output", ErrBadRequest, ep.Name, ep.MaxOutput, ep.ContextWindow)
		}
		if ep.ModelName == "" {
			ep.ModelName = ep.Name
		}
		a.endpoints = append(a.endpoints, ep)
	}
	for _, def := range opts.Actions {
		d, err := validateAction(def)
		if err != nil {
			return nil, err
		}
		if _, dup := a.actions[d.Name]; dup {
			return nil, fmt.Errorf("%w: action %q defined twice", ErrInvalidAction, d.Name)
		}
		a.actions[d.Name] = d
		a.order = append(a.order, d.Name)
	}
	switch {
	case opts.NoCache:
		a.cache = nil
	case opts.Cache != nil:
		a.cache = opts.Cache
	default:
		a.cache = NewMemoryCache(512, a.opts.Now)
	}
	return a, nil
}

// endpointFor returns the endpoint for a task, nil when none (offline).
func (a *Assistant) endpointFor(task Task, name string) (*Endpoint, error) {
	if name != "" {
		for i := range a.endpoints {
			if a.endpoints[i].Name == name {
				return &a.endpoints[i], nil
			}
		}
		if name == offlineName {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownEndpoint, name)
	}
	for i := range a.endpoints {
		ep := &a.endpoints[i]
		if len(ep.Tasks) == 0 {
			return ep, nil
		}
		for _, t := range ep.Tasks {
			if t == task {
				return ep, nil
			}
		}
	}
	return nil, nil
}

// language resolves the answer language of a request.
func (a *Assistant) language(l string) (string, error) {
	switch l {
	case "":
		return a.opts.Language, nil
	case "fr", "en":
		return l, nil
	}
	return "", fmt.Errorf("%w: language %q (want fr or en)", ErrBadRequest, l)
}

// length normalises a length option.
func length(l string) (string, error) {
	switch l {
	case "", "standard":
		return "standard", nil
	case "short", "detailed":
		return l, nil
	}
	return "", fmt.Errorf("%w: length %q (want short, standard or detailed)", ErrBadRequest, l)
}

func checkThread(t *mail.Thread) error {
	if t == nil || len(t.Messages) == 0 {
		return fmt.Errorf("%w: empty thread", ErrBadRequest)
	}
	for _, m := range t.Messages {
		if m == nil {
			return fmt.Errorf("%w: nil message in thread", ErrBadRequest)
		}
	}
	return nil
}
