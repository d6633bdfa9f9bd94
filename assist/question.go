package assist

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// TaskAsk is a question on a thread and its documents.
const TaskAsk Task = "ask"

// notInSources is the answer when the sources do not say.
const notInSources = "Le fil ne le précise pas."

// AskRequest asks a free question on the thread and documents of its Pass.
type AskRequest struct {
	// Pass is the gate's admission of the thread and documents; the
	// thread may be nil when documents are given.
	Pass *privacy.Pass
	// Language of the answer; "" means Options.Language.
	Language string
	// Question is the agent's question (« Quelle est la date limite pour
	// les pièces ? »), at most 1000 bytes.
	Question string
}

// Answer is an answer taken from the sources only.
type Answer struct {
	Question string `json:"question"`
	// Text is the answer, each statement followed by its source in
	// brackets: « (Claire Martin, 4 juillet 2024) », « (devis.pdf, page 2) ».
	Text string `json:"text"`
	// Citations are the sources the answer cites, in order of first use.
	Citations []Citation `json:"citations"`
	// Found is false when the sources do not answer (« Le fil ne le précise pas. »).
	Found bool `json:"found"`
}

// Citation is one source an answer cites.
type Citation struct {
	// Ref is the source's reference in the prompt ("M2", "D1").
	Ref string `json:"ref"`
	// Source says what it is: sender and date, or file name and page.
	Source string `json:"source"`
}

// MapText applies f to every string field.
func (r *Answer) MapText(f func(string) string) {
	if r == nil {
		return
	}
	r.Question, r.Text = f(r.Question), f(r.Text)
	for i := range r.Citations {
		r.Citations[i].Source = f(r.Citations[i].Source)
	}
}

// source is one message or document page the question may be answered from.
type source struct {
	ref, cite, text string
	msg             int // message index, -1 for a document
}

// sources lists the thread's messages (what each adds) and the documents'
// pages, as they may leave (pseudonymised).
func askSources(t *mail.Thread, docs []privacy.Document) []source {
	var out []source
	if t != nil {
		for i, m := range t.Messages {
			who := "?"
			if len(m.From) > 0 {
				who = strings.TrimSpace(m.From[0].Name)
				if who == "" {
					who = m.From[0].Address
				}
			}
			cite := who
			if !m.Date.IsZero() {
				cite += ", " + frenchDate(m.Date)
			}
			out = append(out, source{ref: fmt.Sprintf("M%d", i+1), cite: cite, text: strings.TrimSpace(newText(m)), msg: i})
		}
	}
	n := 0
	for _, d := range docs {
		pages := strings.Split(d.Text, "\f")
		for p, text := range pages {
			if strings.TrimSpace(text) == "" {
				continue
			}
			n++
			cite := d.Name
			if len(pages) > 1 {
				cite += fmt.Sprintf(", page %d", p+1)
			}
			out = append(out, source{ref: fmt.Sprintf("D%d", n), cite: cite, text: strings.TrimSpace(text), msg: -1})
		}
	}
	return out
}

// Ask answers a question from the thread and documents of the request only,
// citing each statement's source; « Le fil ne le précise pas. » when they
// do not say. Without a model the offline engine quotes the sentences that
// match the question, with their sources.
//
// The request's Pass restores and guards the answer and writes the audit
// line, whatever the outcome.
func (a *Assistant) Ask(ctx context.Context, req AskRequest, cb Callbacks) (*Answer, Meta, error) {
	return serve(req.Pass, cb, func(cb Callbacks) (*Answer, Meta, error) { return a.ask(ctx, req, cb) })
}

func (a *Assistant) ask(ctx context.Context, req AskRequest, cb Callbacks) (*Answer, Meta, error) {
	if req.Pass == nil {
		return nil, Meta{}, fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	q := strings.TrimSpace(req.Question)
	if q == "" || len(q) > 1000 {
		return nil, Meta{}, fmt.Errorf("%w: the question must have 1 to 1000 bytes", ErrBadRequest)
	}
	srcs := askSources(req.Pass.Thread(), req.Pass.Documents())
	if len(srcs) == 0 {
		return nil, Meta{}, fmt.Errorf("%w: nothing to answer from", ErrBadRequest)
	}
	lang, _, ep, err := a.route(TaskAsk, req.Language, "", req.Pass.Endpoint())
	if err != nil {
		return nil, Meta{}, err
	}
	q = req.Pass.Text(q)
	if ep == nil {
		return offlineAnswer(q, srcs, req.Pass.Thread(), lang), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.buildSourcesPrompt(ep, lang, "ask", promptData{Question: q}, srcs, req.Pass)
	if err != nil {
		return nil, Meta{}, err
	}
	return askModel(ctx, a, p, cb, asking[Answer]{
		key:     sha("ask", lang, ep.Name, ep.ModelName, PromptVersion, p.keyed),
		parse:   func(text string) (*Answer, error) { return parseAnswer(q, text, srcs) },
		offline: func(string) *Answer { return offlineAnswer(q, srcs, req.Pass.Thread(), lang) },
	})
}

// buildSourcesPrompt renders template tmpl with d and the sources, each
// in its own data block carrying its reference (M2, D1) and provenance,
// oldest first, within the endpoint's budget; what does not fit is cut
// and said.
func (a *Assistant) buildSourcesPrompt(ep *Endpoint, lang, tmpl string, d promptData, srcs []source, pass *privacy.Pass) (*threadPrompt, error) {
	boundary := newBoundary(a.opts.Rand)
	system, err := render(lang, "system", promptData{Boundary: boundary})
	if err != nil {
		return nil, err
	}
	d.Boundary = boundary
	fixed, err := render(lang, tmpl, d)
	if err != nil {
		return nil, err
	}
	budget := budgetFor(ep.ContextWindow, ep.MaxOutput, system, fixed)
	tag := dataTag(lang)
	var data, keyed strings.Builder
	var cut []string
	for _, s := range srcs {
		attrs := fmt.Sprintf(" ref=%q source=%q", s.ref, s.cite)
		body := s.text
		overhead := CountTokens(renderBlock(tag, boundary, attrs, ""))
		if left := budget - overhead; CountTokens(body) > left {
			if left < 32 {
				cut = append(cut, s.ref+" ("+s.cite+"): left out to fit the context window")
				continue
			}
			body = truncateTokens(body, left-4) + " […]"
			cut = append(cut, s.ref+" ("+s.cite+"): truncated to fit the context window")
		}
		block := renderBlock(tag, boundary, attrs, body)
		budget -= CountTokens(block)
		data.WriteString(block)
		keyed.WriteString(renderBlock(tag, "0", attrs, body))
	}
	d.Data = data.String()
	user, err := render(lang, tmpl, d)
	if err != nil {
		return nil, err
	}
	d.Data, d.Boundary = keyed.String(), "0"
	keyedUser, _ := render(lang, tmpl, d)
	return &threadPrompt{ep: ep, lang: lang, system: system, user: user, keyed: keyedUser, cut: cut, pass: pass,
		thread: pass.Thread(), promptTemplate: tmpl}, nil
}

// refRE finds the model's references to sources: [M2], [D1, M3].
var (
	refRE    = regexp.MustCompile(`\[\s*((?:[MD]\d+)(?:\s*[,;]\s*[MD]\d+)*)\s*\]`)
	refOneRE = regexp.MustCompile(`[MD]\d+`)
)

// parseAnswer replaces the model's [M2] references by their sources.
func parseAnswer(question, text string, srcs []source) (*Answer, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, fmt.Errorf("%w: empty answer", ErrInvalidOutput)
	}
	byRef := map[string]source{}
	for _, s := range srcs {
		byRef[s.ref] = s
	}
	ans := &Answer{Question: question}
	seen := map[string]bool{}
	text = refRE.ReplaceAllStringFunc(text, func(m string) string {
		var cites []string
		for _, r := range refOneRE.FindAllString(m, -1) {
			s, ok := byRef[r]
			if !ok {
				continue // a reference to nothing is dropped
			}
			cites = append(cites, s.cite)
			if !seen[r] {
				seen[r] = true
				ans.Citations = append(ans.Citations, Citation{Ref: r, Source: s.cite})
			}
		}
		if len(cites) == 0 {
			return ""
		}
		return "(" + strings.Join(cites, " ; ") + ")"
	})
	ans.Text = strings.TrimSpace(text)
	ans.Found = !strings.Contains(strings.ToLower(ans.Text), "ne le précise pas") && !strings.Contains(strings.ToLower(ans.Text), "does not say")
	if ans.Citations == nil {
		ans.Citations = []Citation{}
	}
	return ans, nil
}

// previewSources seals the prompt of a question (AskRequest) or a draft
// (DraftRequest), for Preview.
func (a *Assistant) previewSources(task Task, req any) ([]privacy.Prompt, error) {
	var pass *privacy.Pass
	var language string
	var build func(ep *Endpoint, lang string, srcs []source) (*threadPrompt, error)
	switch r := req.(type) {
	case AskRequest:
		pass, language = r.Pass, r.Language
		build = func(ep *Endpoint, lang string, srcs []source) (*threadPrompt, error) {
			return a.buildSourcesPrompt(ep, lang, "ask", promptData{Question: r.Pass.Text(r.Question)}, srcs, r.Pass)
		}
	case DraftRequest:
		pass, language = r.Pass, r.Language
		if r.Kind == "" {
			r.Kind = DraftCourrier
		}
		build = func(ep *Endpoint, lang string, srcs []source) (*threadPrompt, error) {
			return a.buildDraftPrompt(ep, lang, r, srcs)
		}
	default:
		return nil, fmt.Errorf("%w: %s preview needs an AskRequest or a DraftRequest", ErrBadRequest, task)
	}
	if pass == nil {
		return nil, fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	lang, _, ep, err := a.route(task, language, "", pass.Endpoint())
	if err != nil {
		return nil, err
	}
	if ep == nil {
		ep = &Endpoint{Name: offlineName, ContextWindow: 8192, MaxOutput: 1024}
	}
	p, err := build(ep, lang, askSources(pass.Thread(), pass.Documents()))
	if err != nil {
		return nil, err
	}
	pr, err := pass.Seal(p.messages()...)
	if err != nil {
		return nil, err
	}
	return []privacy.Prompt{pr}, nil
}
