package assist

import (
	"context"
	"fmt"
	"strings"

	"github.com/plume-admin/plume/privacy"
)

// DocumentRequest asks for the summary of a document's text (an attachment
// read by package mail/extract).
type DocumentRequest struct {
	// Pass is the gate's admission of the document (its first Document:
	// the file name, shown to the model, and the extracted text, "#"
	// headings and "|" tables kept as such); required.
	Pass *privacy.Pass
	// Language of the answer; "" means Options.Language.
	Language string
	// Length is "short", "standard" (default) or "detailed".
	Length string

	name, text, endpoint string // from Pass, set by open
}

// open fills the request's document and endpoint from its Pass.
func (r *DocumentRequest) open() error {
	if r.Pass == nil {
		return fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	docs := r.Pass.Documents()
	if len(docs) == 0 || strings.TrimSpace(docs[0].Text) == "" {
		return fmt.Errorf("%w: document has no text", ErrBadRequest)
	}
	r.name, r.text, r.endpoint = docs[0].Name, docs[0].Text, r.Pass.Endpoint()
	return nil
}

// DocumentSummary is the summary of a document, in Markdown (headings kept,
// tables summarised as tables).
type DocumentSummary struct {
	Name    string `json:"name"`
	Summary string `json:"summary"`
	// Chunks is the number of parts the document was summarised in.
	Chunks int `json:"chunks"`
}

// MapText applies f to every string field.
func (d *DocumentSummary) MapText(f func(string) string) {
	if d == nil {
		return
	}
	d.Name, d.Summary = f(d.Name), f(d.Summary)
}

// maxReduceRounds bounds the re-summarising of partial summaries too long
// for one prompt.
const maxReduceRounds = 3

// docPlan is the prompts of a document summary, before any model call.
type docPlan struct {
	ep     *Endpoint
	lang   string
	name   string
	system string
	chunks []string // data blocks, already wrapped
	maps   []string // map prompts, one per chunk (a single "document" prompt when one chunk)
	budget int
	pass   *privacy.Pass
	keyed  string
	length string
}

// seal seals one prompt of the plan.
func (p *docPlan) seal(system, user string) (privacy.Prompt, error) {
	return p.pass.Seal(privacy.Message{Role: privacy.RoleSystem, Text: system}, privacy.Message{Role: privacy.RoleUser, Text: user})
}

func (a *Assistant) planDocument(ep *Endpoint, lang string, req DocumentRequest) (*docPlan, error) {
	text, name := req.text, req.name
	if name == "" {
		name = "document"
	}
	window, maxOut := 8192, 1024
	if ep != nil {
		window, maxOut = ep.ContextWindow, ep.MaxOutput
	}
	boundary := newBoundary(a.opts.Rand)
	system, err := render(lang, "system", promptData{Boundary: boundary})
	if err != nil {
		return nil, err
	}
	d := promptData{Boundary: boundary, Name: name, LengthHint: lengthHints[lang][req.Length], Part: 1, Parts: 99}
	fixed, err := render(lang, "document_map", d)
	if err != nil {
		return nil, err
	}
	wrap := CountTokens(assembleText("", lang, boundary, ""))
	budget := budgetFor(window, maxOut, system, fixed) - wrap
	p := &docPlan{ep: ep, lang: lang, name: name, system: system, budget: budget, pass: req.Pass, length: req.Length,
		keyed: sha(name, text)}
	parts := splitDocument(text, budget)
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: document has no text", ErrBadRequest)
	}
	for i, part := range parts {
		block := assembleText(neutralise(part, boundary), lang, boundary, "")
		p.chunks = append(p.chunks, block)
		d.Data, d.Part, d.Parts = block, i+1, len(parts)
		tmpl := "document_map"
		if len(parts) == 1 {
			tmpl = "document"
		}
		u, err := render(lang, tmpl, d)
		if err != nil {
			return nil, err
		}
		p.maps = append(p.maps, u)
	}
	return p, nil
}

// SummarizeDocument summarises a document: one prompt when it fits, else
// map-reduce over token-sized chunks with Progress ("chunk" i of n, then
// "reduce"). Tokens stream during the final step only.
//
// The request's Pass restores and guards the answer and writes the audit
// line, whatever the outcome.
func (a *Assistant) SummarizeDocument(ctx context.Context, req DocumentRequest, cb Callbacks) (*DocumentSummary, Meta, error) {
	return serve(req.Pass, cb, func(cb Callbacks) (*DocumentSummary, Meta, error) { return a.summarizeDocument(ctx, req, cb) })
}

func (a *Assistant) summarizeDocument(ctx context.Context, req DocumentRequest, cb Callbacks) (*DocumentSummary, Meta, error) {
	if err := req.open(); err != nil {
		return nil, Meta{}, err
	}
	lang, size, ep, err := a.route(TaskDocument, req.Language, req.Length, req.endpoint)
	if err != nil {
		return nil, Meta{}, err
	}
	req.Length = size
	if ep == nil {
		return offlineDocument(req, lang, "no model configured"), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.planDocument(ep, lang, req)
	if err != nil {
		return nil, Meta{}, err
	}
	meta := a.meta(ep)
	key := sha("document", lang, req.Length, ep.Name, ep.ModelName, PromptVersion, p.keyed)
	if r, m, ok := cacheGet[DocumentSummary](ctx, a, req.Pass, key); ok {
		return r, m, nil
	}
	progress := func(done, total int, stage string) {
		if cb.Progress != nil {
			cb.Progress(done, total, stage)
		}
	}
	degrade := func(err error) (*DocumentSummary, Meta, error) {
		reason, fatal := a.failure(ctx, err)
		if fatal != nil {
			return nil, meta, fatal
		}
		return offlineDocument(req, lang, reason), a.degraded(nil, reason), nil
	}
	n := len(p.maps)
	write := cb.Token
	gen := func(system, user string, token func(string)) (answer, error) {
		pr, err := p.seal(system, user)
		if err != nil {
			return answer{}, err
		}
		return a.generate(ctx, call{prompt: pr, token: token})
	}
	if n == 1 {
		progress(0, 1, "chunk")
		ans, err := gen(p.system, p.maps[0], write)
		if err != nil {
			return degrade(err)
		}
		progress(1, 1, "chunk")
		meta.PromptTokens, meta.CompletionTokens = ans.promptTokens, ans.completion
		return a.finishDocument(ctx, key, p, ans.text, 1, meta)
	}
	partials := make([]string, n)
	for i, u := range p.maps {
		progress(i, n, "chunk")
		ans, err := gen(p.system, u, nil)
		if err != nil {
			return degrade(err)
		}
		meta.PromptTokens += ans.promptTokens
		meta.CompletionTokens += ans.completion
		partials[i] = strings.TrimSpace(ans.text)
	}
	progress(n, n, "chunk")
	// Reduce; partial summaries too long for one prompt are summarised again.
	for round := 0; ; round++ {
		joined := joinPartials(partials, p.lang)
		if CountTokens(joined) <= p.budget || round >= maxReduceRounds {
			if CountTokens(joined) > p.budget {
				joined = truncateTokens(joined, p.budget)
				meta.Cut = append(meta.Cut, "partial summaries truncated to fit the final prompt")
			}
			progress(0, 1, "reduce")
			boundary := newBoundary(a.opts.Rand)
			system, _ := render(lang, "system", promptData{Boundary: boundary})
			u, err := render(lang, "document_reduce", promptData{Name: p.name, Parts: len(partials), LengthHint: lengthHints[lang][p.length],
				Data: assembleText(neutralise(joined, boundary), lang, boundary, "")})
			if err != nil {
				return nil, meta, err
			}
			ans, err := gen(system, u, write)
			if err != nil {
				return degrade(err)
			}
			meta.PromptTokens += ans.promptTokens
			meta.CompletionTokens += ans.completion
			progress(1, 1, "reduce")
			return a.finishDocument(ctx, key, p, ans.text, n, meta)
		}
		groups := splitDocument(joined, p.budget)
		next := make([]string, 0, len(groups))
		for i, g := range groups {
			progress(i, len(groups), "reduce")
			boundary := newBoundary(a.opts.Rand)
			system, _ := render(lang, "system", promptData{Boundary: boundary})
			u, err := render(lang, "document_map", promptData{Name: p.name, Part: i + 1, Parts: len(groups),
				Data: assembleText(neutralise(g, boundary), lang, boundary, "")})
			if err != nil {
				return nil, meta, err
			}
			ans, err := gen(system, u, nil)
			if err != nil {
				return degrade(err)
			}
			meta.PromptTokens += ans.promptTokens
			meta.CompletionTokens += ans.completion
			next = append(next, strings.TrimSpace(ans.text))
		}
		partials = next
	}
}

func joinPartials(ps []string, lang string) string {
	label := "Partie"
	if lang == "en" {
		label = "Part"
	}
	var sb strings.Builder
	for i, s := range ps {
		fmt.Fprintf(&sb, "[%s %d/%d]\n%s\n\n", label, i+1, len(ps), s)
	}
	return sb.String()
}

func (a *Assistant) finishDocument(ctx context.Context, key string, p *docPlan, text string, chunks int, meta Meta) (*DocumentSummary, Meta, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, meta, fmt.Errorf("%w: empty summary", ErrInvalidOutput)
	}
	r := &DocumentSummary{Name: p.name, Summary: text, Chunks: chunks}
	cachePut(ctx, a, p.pass, key, r, meta)
	return r, meta, nil
}
