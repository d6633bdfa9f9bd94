package assist

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// TaskDraft is a courrier or a note drafted from a thread and documents.
const TaskDraft Task = "draft"

// Kinds of drafts.
const (
	DraftCourrier = "courrier"
	DraftNote     = "note"
)

// DraftRequest asks for a courrier (a letter the service signs) or a note
// (an internal note to a superior) from the thread and documents of its Pass.
type DraftRequest struct {
	// Pass is the gate's admission of the sources; the thread may be nil
	// when documents are given.
	Pass *privacy.Pass
	// Language of the text; "" means Options.Language.
	Language string
	// Kind is "courrier" (default) or "note".
	Kind string
	// To is the addressee, one line per line of the address block
	// ("Monsieur le Maire de Provins\nHôtel de ville\n77160 Provins");
	// its first line gives the appellation and the closing. Empty: the
	// latest correspondent of the thread, else [à compléter].
	To string
	// Instructions are the agent's free instructions.
	Instructions string
	// Author is the caller: « Affaire suivie par », and the signer under
	// the delegation.
	Author mail.Address
}

// Draft is a courrier or a note in parts. The parts from the sources —
// object, references, attachments, body, request, proposal — are the
// model's (or the offline engine's), restored and guarded; the layout —
// bloc-marque, contact, place and date, addressee, appellation, closing,
// signature — comes from the configuration and the caller, added after.
type Draft struct {
	Kind string `json:"kind"`

	Letterhead  []string `json:"letterhead"`
	Contact     []string `json:"contact"`
	PlaceDate   string   `json:"placeDate"`
	Addressee   []string `json:"addressee"`
	Appellation string   `json:"appellation,omitempty"`
	Closing     string   `json:"closing,omitempty"`
	Signature   []string `json:"signature"`

	Object      string    `json:"object"`
	YourRef     string    `json:"yourRef,omitempty"`
	OurRef      string    `json:"ourRef,omitempty"`
	Attachments []string  `json:"attachments"`
	Ask         string    `json:"ask,omitempty"`
	Body        []Section `json:"body"`
	Proposal    string    `json:"proposal,omitempty"`
}

// Section is a paragraph of a courrier, or a titled part of a note.
type Section struct {
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
}

// MapText applies f to the parts that come from the sources; the layout
// from the configuration and the caller is not model output.
func (d *Draft) MapText(f func(string) string) {
	if d == nil {
		return
	}
	d.Object, d.YourRef, d.OurRef, d.Ask, d.Proposal = f(d.Object), f(d.YourRef), f(d.OurRef), f(d.Ask), f(d.Proposal)
	mapAll(d.Attachments, f)
	for i := range d.Body {
		d.Body[i].Title, d.Body[i].Text = f(d.Body[i].Title), f(d.Body[i].Text)
	}
}

// Draft drafts a courrier or a note: the model (or, offline, a template
// filled with the facts extracted from the sources) writes the parts, the
// configuration's organisation and the caller give the layout. Facts the
// sources do not give are [à compléter].
//
// The request's Pass restores and guards the answer and writes the audit
// line, whatever the outcome.
func (a *Assistant) Draft(ctx context.Context, req DraftRequest, cb Callbacks) (*Draft, Meta, error) {
	d, meta, err := serve(req.Pass, cb, func(cb Callbacks) (*Draft, Meta, error) { return a.draft(ctx, req, cb) })
	if err == nil {
		a.layout(d, req)
	}
	return d, meta, err
}

func (a *Assistant) draft(ctx context.Context, req DraftRequest, cb Callbacks) (*Draft, Meta, error) {
	if req.Pass == nil {
		return nil, Meta{}, fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	if req.Kind == "" {
		req.Kind = DraftCourrier
	}
	if req.Kind != DraftCourrier && req.Kind != DraftNote {
		return nil, Meta{}, fmt.Errorf("%w: kind %q (want courrier or note)", ErrBadRequest, req.Kind)
	}
	if len(req.Instructions) > 2000 || len(req.To) > 500 {
		return nil, Meta{}, fmt.Errorf("%w: instructions longer than 2000 bytes or addressee longer than 500", ErrBadRequest)
	}
	srcs := askSources(req.Pass.Thread(), req.Pass.Documents())
	if len(srcs) == 0 {
		return nil, Meta{}, fmt.Errorf("%w: nothing to draft from", ErrBadRequest)
	}
	lang, _, ep, err := a.route(TaskDraft, req.Language, "", req.Pass.Endpoint())
	if err != nil {
		return nil, Meta{}, err
	}
	if ep == nil {
		return a.offlineDraft(req, srcs, lang), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.buildDraftPrompt(ep, lang, req, srcs)
	if err != nil {
		return nil, Meta{}, err
	}
	return askModel(ctx, a, p, cb, asking[Draft]{
		key:     sha("draft", lang, req.Kind, req.To, req.Instructions, ep.Name, ep.ModelName, PromptVersion, p.keyed),
		json:    true,
		parse:   func(text string) (*Draft, error) { return parseDraft(req.Kind, text, srcs) },
		offline: func(string) *Draft { return a.offlineDraft(req, srcs, lang) },
	})
}

// buildDraftPrompt is the draft prompt: the sources in data blocks, the
// kind, the addressee and the instructions (through the Pass).
func (a *Assistant) buildDraftPrompt(ep *Endpoint, lang string, req DraftRequest, srcs []source) (*threadPrompt, error) {
	to := strings.TrimSpace(req.To)
	if to == "" {
		to = map[string]string{"fr": "le correspondant du dernier message", "en": "the latest correspondent"}[lang]
	}
	return a.buildSourcesPrompt(ep, lang, "draft", promptData{DraftKind: req.Kind, To: req.Pass.Text(to),
		Instructions: req.Pass.Text(strings.TrimSpace(req.Instructions))}, srcs, req.Pass)
}

// draftJSON is the model's answer.
type draftJSON struct {
	Object      string   `json:"objet"`
	YourRef     string   `json:"vref"`
	OurRef      string   `json:"nref"`
	Attachments []string `json:"pj"`
	Ask         string   `json:"demande"`
	Body        []string `json:"corps"`
	Parts       []struct {
		Title string `json:"titre"`
		Text  string `json:"texte"`
	} `json:"parties"`
	Proposal string `json:"proposition"`
}

// spacedRefRE is a source reference with the space before it.
var spacedRefRE = regexp.MustCompile(`\s*` + refRE.String())

// parseDraft reads the model's JSON answer; [M2] references become their sources.
func parseDraft(kind, text string, srcs []source) (*Draft, error) {
	text = strings.TrimSpace(text)
	text = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(text, "```json"), "```"), "```")
	var j draftJSON
	if err := json.Unmarshal([]byte(strings.TrimSpace(text)), &j); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, err)
	}
	d := &Draft{Kind: kind, Object: j.Object, YourRef: j.YourRef, OurRef: j.OurRef, Attachments: j.Attachments,
		Ask: j.Ask, Proposal: j.Proposal}
	for _, p := range j.Body {
		if strings.TrimSpace(p) != "" {
			d.Body = append(d.Body, Section{Text: p})
		}
	}
	for _, p := range j.Parts {
		if strings.TrimSpace(p.Text) != "" || strings.TrimSpace(p.Title) != "" {
			d.Body = append(d.Body, Section{Title: p.Title, Text: p.Text})
		}
	}
	if len(d.Body) == 0 {
		return nil, fmt.Errorf(`%w: no "corps" or "parties"`, ErrInvalidOutput)
	}
	// Citations of sources are for the agent, not for the letter.
	strip := func(s string) string { return strings.TrimSpace(spacedRefRE.ReplaceAllString(s, "")) }
	d.MapText(strip)
	if d.Attachments == nil {
		d.Attachments = []string{}
	}
	return d, nil
}
