package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/plume-admin/plume/mail"
)

// OfflineEndpoint names the in-process offline engine: nothing sent to it
// leaves the process, so with no endpoint configured it is cleared for
// every marking.
const OfflineEndpoint = "offline"

// ErrNothingToSend reports a Request with neither a thread nor a document.
var ErrNothingToSend = errors.New("privacy: nothing to send")

// ErrEndpointName reports an endpoint without a name or named like the
// offline engine (which the gate clears for everything and sends plain text).
var ErrEndpointName = errors.New("privacy: endpoint name empty or reserved")

// ErrNotSealed reports a Prompt that no Pass sealed (the zero Prompt), or a
// Pass used after its audit line was written.
var ErrNotSealed = errors.New("privacy: prompt not sealed by the gate")

// EndpointPolicy is what the gate knows of one model endpoint.
type EndpointPolicy struct {
	// Name is the endpoint's configured name.
	Name string
	// Cleared lists the marking labels the endpoint may receive ("*": all).
	// An endpoint given without clearances is cleared for no marking.
	Cleared []string
	// Tasks lists the tasks the endpoint serves; empty means all.
	Tasks []string
	// Plain sends text to this endpoint without pseudonymisation (an
	// endpoint inside the administration that needs the real names).
	Plain bool
}

// GateOptions configures a [Gate]. The zero value routes everything to the
// offline engine, pseudonymises with every kind and writes no audit line.
type GateOptions struct {
	// Endpoints are the model endpoints in order of preference; none means
	// the offline engine, cleared for everything.
	Endpoints []EndpointPolicy
	// Detector finds markings; nil means NewDetector(MarkingOptions{}).
	Detector *Detector
	// Pseudonymizer replaces personal data; nil means every kind.
	Pseudonymizer *Pseudonymizer
	// Plain turns pseudonymisation off for every endpoint.
	Plain bool
	// Auditor receives one record per request; nil writes none.
	Auditor *Auditor
	// Logger receives audit write failures; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Gate is the one door between mail and a model. [Gate.Admit] detects the
// markings of everything a request would send, routes it to a cleared
// endpoint or refuses, and pseudonymises; only the [Pass] it returns can
// seal a [Prompt], and a Prompt is the only thing package assist sends to
// a model. It is safe for concurrent use.
type Gate struct {
	opts GateOptions
}

// NewGate returns a Gate; options are taken as given, defaults applied.
func NewGate(opts GateOptions) (*Gate, error) {
	for _, e := range opts.Endpoints {
		if e.Name == OfflineEndpoint || e.Name == "" {
			return nil, fmt.Errorf("%w: %q", ErrEndpointName, e.Name)
		}
	}
	if opts.Detector == nil {
		d, err := NewDetector(MarkingOptions{})
		if err != nil {
			return nil, err
		}
		opts.Detector = d
	}
	if opts.Pseudonymizer == nil {
		opts.Pseudonymizer = NewPseudonymizer(PIIOptions{})
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Gate{opts: opts}, nil
}

// Document is one document a request sends: an attachment's or a file's text.
type Document struct {
	// Name is the file name; it is checked for markings and pseudonymised.
	Name string
	// Text is what is sent.
	Text string
	// Mails are the messages read inside the document (an attached or
	// uploaded mail, at any depth): their markings are detected with the
	// rules of a top-level message (headers, subject, attachment names),
	// and an encrypted one is refused like an encrypted thread. Never sent
	// as such: their text is in Text.
	Mails []*mail.Message
}

// Request is everything a request would send to a model, and who asks.
type Request struct {
	// User is the verified caller, audited as a salted hash.
	User string
	// RequestID correlates the audit line with the server logs.
	RequestID string
	// Task is the kind of work ("summary", "reply", "document", "action", …).
	Task string
	// Label is the audited task name ("action:NAME"); "" means Task.
	Label string
	// Source says where the content came from ("imap", "graph", "raw", "file", "upload").
	Source string
	// Prefer names the endpoint to try first; "" keeps the configured order.
	Prefer string
	// Thread is the thread sent, or carrying the documents; may be nil
	// when Documents are given.
	Thread *mail.Thread
	// Documents are sent as well (attachments, files).
	Documents []Document
}

// Admit checks what r would send. Encrypted content and marked content
// with no cleared endpoint are refused with a [*Refusal], audited here.
// Otherwise the returned Pass holds the pseudonymised thread and documents
// for the endpoint chosen; the caller must end it with [Pass.Done].
func (g *Gate) Admit(ctx context.Context, r Request) (*Pass, error) {
	if (r.Thread == nil || len(r.Thread.Messages) == 0) && len(r.Documents) == 0 {
		return nil, ErrNothingToSend
	}
	label := r.Label
	if label == "" {
		label = r.Task
	}
	p := &Pass{gate: g, user: r.User, requestID: r.RequestID, task: label, source: r.Source, start: g.opts.Now()}
	sc := g.Scan(r.Thread, r.Documents)
	p.labels, p.hidden, p.injections, p.sources = sc.Labels(), sc.HiddenDropped, sc.Injections, sc.sources
	ep, err := Route(sc.Markings, sc.Encrypted, g.candidates(r.Task, r.Prefer))
	if err != nil {
		var ref *Refusal
		if errors.As(err, &ref) {
			p.Done(Outcome{Code: ref.Code()})
		}
		return nil, err
	}
	p.endpoint = ep
	p.thread = r.Thread
	p.docs = slices.Clone(r.Documents)
	if g.pseudonymize(ep) {
		p.session = g.opts.Pseudonymizer.Session()
		if r.Thread != nil {
			p.session.LearnThread(r.Thread)
			p.thread = p.session.Thread(r.Thread)
		}
		for i := range p.docs {
			p.docs[i].Name = p.session.Text(p.docs[i].Name)
			p.docs[i].Text = p.session.Text(p.docs[i].Text)
		}
	}
	return p, nil
}

// Check tells, before anything is sent, what [Gate.Admit] would decide for
// task on thread t: the marking labels found, and the refusal (a
// [*Refusal]) when no endpoint may receive it. It sends nothing, audits
// nothing and pseudonymises nothing: it lets a panel flag a marked message
// and disable what would be refused before the agent clicks.
func (g *Gate) Check(t *mail.Thread, task string) (labels []string, err error) {
	if t == nil || len(t.Messages) == 0 {
		return nil, ErrNothingToSend
	}
	sc := g.Scan(t, nil)
	_, err = Route(sc.Markings, sc.Encrypted, g.candidates(task, ""))
	return sc.Labels(), err
}

// candidates lists the endpoints that serve task, the preferred one first.
// With none, the offline engine is the only candidate and may receive
// anything: nothing sent to it leaves the process.
func (g *Gate) candidates(task, prefer string) []Clearance {
	var out []Clearance
	for _, e := range g.opts.Endpoints {
		if len(e.Tasks) > 0 && !slices.Contains(e.Tasks, task) {
			continue
		}
		c := Clearance{Endpoint: e.Name, Cleared: e.Cleared}
		if e.Name == prefer {
			out = slices.Insert(out, 0, c)
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		out = append(out, Clearance{Endpoint: OfflineEndpoint, Cleared: []string{"*"}})
	}
	return out
}

// pseudonymize reports whether text is pseudonymised for endpoint. The
// offline engine gets plain text: nothing sent to it leaves the process,
// and it needs the real names to greet and sign.
func (g *Gate) pseudonymize(endpoint string) bool {
	if g.opts.Plain || endpoint == OfflineEndpoint {
		return false
	}
	for _, e := range g.opts.Endpoints {
		if e.Name == endpoint {
			return !e.Plain
		}
	}
	return true
}

// clearance returns the clearance of endpoint.
func (g *Gate) clearance(endpoint string) Clearance {
	for _, e := range g.opts.Endpoints {
		if e.Name == endpoint {
			return Clearance{Endpoint: e.Name, Cleared: e.Cleared}
		}
	}
	return Clearance{Endpoint: endpoint, Cleared: []string{"*"}} // the offline engine
}

// Pass is one admitted request: the content as it may leave, the endpoint
// it may go to, and what the privacy layer did to it. Only the Gate makes
// one. It is safe for concurrent use once admitted.
type Pass struct {
	gate      *Gate
	user      string
	requestID string
	task      string
	source    string
	start     time.Time

	endpoint string
	session  *Session // nil when the endpoint gets plain text
	thread   *mail.Thread
	docs     []Document

	labels     []string
	hidden     int
	injections int
	sources    []string

	guardOnce sync.Once
	guard     *Guard

	mu      sync.Mutex
	removed int
	done    bool
}

// Endpoint is the endpoint the content may go to (OfflineEndpoint for the
// offline engine).
func (p *Pass) Endpoint() string { return p.endpoint }

// Thread is the thread as it may leave (pseudonymised unless the endpoint
// gets plain text); nil for a request without a thread.
func (p *Pass) Thread() *mail.Thread { return p.thread }

// Documents are the documents as they may leave.
func (p *Pass) Documents() []Document { return p.docs }

// Text makes a text the caller adds (instructions, action inputs, the
// signer's name) safe to send, with the request's placeholders.
func (p *Pass) Text(s string) string {
	if p.session == nil {
		return s
	}
	return p.session.Text(s)
}

// Restore puts the original values back into one string of the answer.
func (p *Pass) Restore(s string) string {
	if p.session == nil {
		return s
	}
	return p.session.Restore(s)
}

// Markings are the labels of the markings found anywhere in the request.
func (p *Pass) Markings() []string { return slices.Clone(p.labels) }

// Counts counts the pseudonymised items by kind.
func (p *Pass) Counts() map[string]int {
	if p.session == nil {
		return map[string]int{}
	}
	return p.session.Counts()
}

// Replacements lists what was pseudonymised and why (nil when the
// endpoint gets plain text). It holds personal data: never log it.
func (p *Pass) Replacements() []Replacement {
	if p.session == nil {
		return nil
	}
	return p.session.Replacements()
}

// HiddenDropped counts the hidden HTML elements dropped from the mail.
func (p *Pass) HiddenDropped() int { return p.hidden }

// GuardRemoved counts what the output guard removed so far.
func (p *Pass) GuardRemoved() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.removed
}

// outputGuard is the request's guard, built from its sources once.
func (p *Pass) outputGuard() *Guard {
	p.guardOnce.Do(func() { p.guard = NewGuard(p.sources...) })
	return p.guard
}

func (p *Pass) addRemoved(n int) {
	p.mu.Lock()
	p.removed += n
	p.mu.Unlock()
}
