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
	// estimate is the cost of the plan, known before any call.
	estimate DocumentEstimate
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
	p.estimate.Budget = a.opts.DocumentTokens
	if p.estimate.Budget <= 0 {
		p.estimate.Budget = DefaultDocumentTokens
	}
	p.estimate.SourceTokens = CountTokens(text)
	// The parts may take every call but the final step's: the selection
	// shrinks until they fit, and the parts past the cap are dropped.
	limit := min(p.estimate.Budget, max(budget, 1)*(maxDocumentCalls-1))
	full := text
	var parts []string
	for try := 0; ; try++ {
		text, p.estimate.Selected = budgeted(full, limit, lang)
		parts = splitDocument(text, budget)
		if len(parts) < maxDocumentCalls || try == 3 {
			break
		}
		limit = limit * (maxDocumentCalls - 2) / len(parts)
	}
	if len(parts) >= maxDocumentCalls {
		parts, p.estimate.Selected = parts[:maxDocumentCalls-1], true
	}
	p.estimate.Budget = min(p.estimate.Budget, limit)
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
		p.estimate.Tokens += CountTokens(p.system) + CountTokens(u)
	}
	p.estimate.Calls = len(p.maps)
	if len(p.maps) > 1 {
		p.estimate.Calls++
		p.estimate.Tokens += CountTokens(p.system) + len(p.maps)*maxOut
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
	meta.Estimate = &p.estimate
	if p.estimate.Selected {
		meta.Cut = append(meta.Cut, fmt.Sprintf("document above its budget of %d tokens (%d): a selection was summarised", p.estimate.Budget, p.estimate.SourceTokens))
	}
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
	if p.estimate.Selected {
		text = selectionNotice(p.lang, p.estimate) + "\n\n" + text
	}
	r := &DocumentSummary{Name: p.name, Summary: text, Chunks: chunks}
	cachePut(ctx, a, p.pass, key, r, meta)
	return r, meta, nil
}

// selectUnits keeps the headings of a document, the first perSection
// sentences of each section and each table's header with its first rows.
func selectUnits(text string, perSection int, lang string) string {
	var sb strings.Builder
	taken := 0
	for _, u := range docUnits(text) {
		switch u.kind {
		case unitHeading:
			sb.WriteString(u.text + "\n\n")
			taken = 0
		case unitTable:
			rows := strings.Split(u.text, "\n")
			keep := min(len(rows), 4)
			sb.WriteString(strings.Join(rows[:keep], "\n") + "\n")
			if len(rows) > keep {
				if lang == "en" {
					fmt.Fprintf(&sb, "\n(table of %d rows, first %d shown)\n", len(rows), keep)
				} else {
					fmt.Fprintf(&sb, "\n(tableau de %d lignes, %d premières reprises)\n", len(rows), keep)
				}
			}
			sb.WriteString("\n")
		default:
			if taken >= perSection {
				continue
			}
			ss := sentences(u.text)
			k := min(len(ss), perSection-taken)
			if k > 0 {
				sb.WriteString(strings.Join(ss[:k], " ") + "\n\n")
				taken += k
			}
		}
	}
	return strings.TrimSpace(sb.String())
}

// DefaultDocumentTokens is the token budget of one document summary when
// Options.DocumentTokens is zero.
const DefaultDocumentTokens = 60000

// maxDocumentCalls caps the model calls of one document summary, final
// step included, whatever the model's context window.
const maxDocumentCalls = 24

// DocumentEstimate is what a document summary will cost, known before
// any model call.
type DocumentEstimate struct {
	// SourceTokens counts the tokens of the extracted text.
	SourceTokens int `json:"sourceTokens"`
	// Budget is the token budget applied: Options.DocumentTokens, or less
	// when the model's context window would need more than 24 calls.
	Budget int `json:"budget"`
	// Selected is true when the document passed its budget and a selection
	// of it is summarised: headings, first sentences, tables shortened.
	Selected bool `json:"selected,omitempty"`
	// Tokens bounds the prompt tokens sent: every part, and the partial
	// summaries (at most the model's output each) for the final step.
	Tokens int `json:"tokens"`
	// Calls is the number of model calls: one per part, plus the final step.
	Calls int `json:"calls"`
}

// String says the estimate in one line.
func (e DocumentEstimate) String() string {
	s := fmt.Sprintf("estimate: %d model call(s), at most %d prompt tokens; document %d tokens, budget %d", e.Calls, e.Tokens, e.SourceTokens, e.Budget)
	if e.Selected {
		s += " — above the budget: a selection is summarised (headings, first sentences, tables shortened)"
	}
	return s
}

// budgeted returns the text to summarise within limit tokens: the text
// itself, or a selection of it when it is longer.
func budgeted(text string, limit int, lang string) (string, bool) {
	if CountTokens(text) <= limit {
		return text, false
	}
	sel := selectUnits(text, 1, lang)
	if CountTokens(sel) > limit {
		sel = truncateTokens(sel, limit)
	}
	return sel, true
}

// selectionNotice opens a summary of a selection.
func selectionNotice(lang string, e DocumentEstimate) string {
	if lang == "en" {
		return fmt.Sprintf("_This document (%d tokens) is longer than the budget of %d tokens: this summary covers a selection of it (headings, opening sentences, tables shortened)._", e.SourceTokens, e.Budget)
	}
	return fmt.Sprintf("_Ce document (%d jetons) dépasse le budget de %d jetons : ce résumé porte sur une sélection (titres, premières phrases, tableaux abrégés)._", e.SourceTokens, e.Budget)
}
