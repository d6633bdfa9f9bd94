package assist

import (
	"context"
	"encoding/json"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// Summary is the structured summary of a thread.
type Summary struct {
	Summary       string        `json:"summary"`
	KeyPoints     []string      `json:"keyPoints"`
	Decisions     []string      `json:"decisions"`
	OpenQuestions []string      `json:"openQuestions"`
	ActionItems   []ActionItem  `json:"actionItems"`
	Participants  []Participant `json:"participants"`
}

// ActionItem is something someone must do, with its deadline.
type ActionItem struct {
	Who  string `json:"who"`
	What string `json:"what"`
	// Due is the deadline as an ISO date (YYYY-MM-DD), "" when none could be inferred.
	Due string `json:"due"`
	// DueText is the deadline as written ("sous huitaine").
	DueText string `json:"dueText"`
}

// Participant is one person of the thread and their role in it.
type Participant struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// MapText applies f to every string field (pseudonym restoration, output guard).
func (s *Summary) MapText(f func(string) string) {
	if s == nil {
		return
	}
	s.Summary = f(s.Summary)
	mapAll(s.KeyPoints, f)
	mapAll(s.Decisions, f)
	mapAll(s.OpenQuestions, f)
	for i := range s.ActionItems {
		it := &s.ActionItems[i]
		it.Who, it.What, it.Due, it.DueText = f(it.Who), f(it.What), f(it.Due), f(it.DueText)
	}
	for i := range s.Participants {
		p := &s.Participants[i]
		p.Name, p.Role = f(p.Name), f(p.Role)
	}
}

func mapAll(ss []string, f func(string) string) {
	for i := range ss {
		ss[i] = f(ss[i])
	}
}

// threadPrompt is a prompt built from a thread, ready to send.
type threadPrompt struct {
	ep             *Endpoint
	lang, length   string
	system, user   string
	keyed          string
	cut            []string
	pass           *privacy.Pass
	thread         *mail.Thread // as it may leave (Pass.Thread)
	promptTemplate string
}

// messages are the prompt's system and user messages, to be sealed.
func (p *threadPrompt) messages() []privacy.Message {
	return []privacy.Message{{Role: privacy.RoleSystem, Text: p.system}, {Role: privacy.RoleUser, Text: p.user}}
}

// buildThreadPrompt fits the thread as it may leave into ep's budget;
// extra fills the template's task-specific fields.
func (a *Assistant) buildThreadPrompt(ep *Endpoint, name, lang string, req ThreadRequest, extra func(*promptData, *mail.Thread)) (*threadPrompt, error) {
	t := req.thread
	if err := checkThread(t); err != nil {
		return nil, err
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
	d := promptData{Boundary: boundary, LengthHint: lengthHints[lang][req.Length], Sentences: summarySentences[req.Length]}
	if extra != nil {
		extra(&d, t)
	}
	fixed, err := render(lang, name, d)
	if err != nil {
		return nil, err
	}
	as := assembleThread(t, lang, boundary, budgetFor(window, maxOut, system, fixed))
	d.Data, d.Cut = as.data, len(as.cut) > 0
	user, err := render(lang, name, d)
	if err != nil {
		return nil, err
	}
	d.Data, d.Boundary = as.keyed, "0"
	keyedUser, _ := render(lang, name, d)
	return &threadPrompt{ep: ep, lang: lang, length: req.Length, system: system, user: user, keyed: keyedUser,
		cut: as.cut, pass: req.Pass, thread: t, promptTemplate: name}, nil
}

func (a *Assistant) meta(ep *Endpoint) Meta {
	if ep == nil {
		return Meta{Endpoint: offlineName, Model: offlineModel, PromptVersion: PromptVersion}
	}
	return Meta{Endpoint: ep.Name, Model: ep.ModelName, PromptVersion: PromptVersion}
}

// cached is what the cache stores: the result before restoration.
type cached[T any] struct {
	Result *T   `json:"result"`
	Meta   Meta `json:"meta"`
}

// cacheGet returns a cached result. Nothing derived from marked content is
// cached (the cache may be shared between replicas, in Redis): a pass with
// markings neither reads nor writes it.
func cacheGet[T any](ctx context.Context, a *Assistant, pass *privacy.Pass, key string) (*T, Meta, bool) {
	if a.cache == nil || len(pass.Markings()) > 0 {
		return nil, Meta{}, false
	}
	b, ok := a.cache.Get(ctx, key)
	if !ok {
		return nil, Meta{}, false
	}
	var c cached[T]
	if err := json.Unmarshal(b, &c); err != nil || c.Result == nil {
		return nil, Meta{}, false
	}
	c.Meta.Cached = true
	return c.Result, c.Meta, true
}

func cachePut[T any](ctx context.Context, a *Assistant, pass *privacy.Pass, key string, v *T, m Meta) {
	if a.cache == nil || len(pass.Markings()) > 0 {
		return
	}
	b, err := json.Marshal(cached[T]{Result: v, Meta: m})
	if err == nil {
		a.cache.Set(ctx, key, b, a.opts.CacheTTL)
	}
}

// SummarizeThread summarises a thread: summary, key points, decisions, open
// questions, action items with deadlines, participants. Without a model (or
// when it fails and fallback is on) the offline engine answers.
//
// The request's Pass restores and guards the answer and writes the audit
// line, whatever the outcome.
func (a *Assistant) SummarizeThread(ctx context.Context, req ThreadRequest, cb Callbacks) (*Summary, Meta, error) {
	return serve(req.Pass, cb, func(cb Callbacks) (*Summary, Meta, error) {
		s, meta, err := a.summarize(ctx, req, cb)
		if err == nil && req.Pass.Thread() != nil {
			if n := outsiders(req.Pass.Thread()); n > 0 {
				lang, _ := a.language(req.Language)
				meta.Outside = n
				meta.Cut = append(meta.Cut, outsidersNote(n, lang))
			}
		}
		return s, meta, err
	})
}

func (a *Assistant) summarize(ctx context.Context, req ThreadRequest, cb Callbacks) (*Summary, Meta, error) {
	if err := req.open(); err != nil {
		return nil, Meta{}, err
	}
	lang, size, ep, err := a.route(TaskSummary, req.Language, req.Length, req.endpoint)
	if err != nil {
		return nil, Meta{}, err
	}
	req.Length = size
	if ep == nil {
		return a.offlineSummary(req, lang, "no model configured"), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.buildThreadPrompt(ep, "summary", lang, req, nil)
	if err != nil {
		return nil, Meta{}, err
	}
	return askModel(ctx, a, p, cb, asking[Summary]{
		key:     sha("summary", lang, req.Length, ep.Name, ep.ModelName, PromptVersion, p.keyed),
		json:    true,
		parse:   ParseSummary,
		offline: func(reason string) *Summary { return a.offlineSummary(req, lang, reason) },
	})
}

// degraded is the Meta of an offline answer.
func (a *Assistant) degraded(cut []string, reason string) Meta {
	m := a.meta(nil)
	m.Degraded, m.DegradedReason, m.Cut = true, reason, cut
	return m
}
