package assist

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// ActionDef is one action of the organisation's prompt library, defined by
// administrators in the configuration and listed for the panel.
type ActionDef struct {
	// Name is the identifier used by the API: lower case letters, digits, - and _.
	Name string `json:"name" yaml:"name"`
	// Label is what the panel shows ("Réponse type : dossier incomplet").
	Label string `json:"label" yaml:"label"`
	// Description says what the action does.
	Description string `json:"description,omitempty" yaml:"description"`
	// Kind is "prompt" (instructions given to the model with the thread) or
	// "template" (a reply filled without any model).
	Kind string `json:"kind" yaml:"kind"`
	// Text is the prompt or the template. Placeholders: {{sender}},
	// {{sender_name}}, {{subject}}, {{date}}, {{references}}, {{today}}, and
	// {{input.NAME}} for each declared input.
	Text string `json:"-" yaml:"text"`
	// Inputs are what the agent types in the panel before running the action.
	Inputs []ActionInput `json:"inputs,omitempty" yaml:"inputs"`
	// Endpoint names the model endpoint for prompt actions; "" means the default.
	Endpoint string `json:"-" yaml:"endpoint"`
}

// ActionInput is one value the agent supplies to an action.
type ActionInput struct {
	Name     string `json:"name" yaml:"name"`
	Label    string `json:"label" yaml:"label"`
	Required bool   `json:"required" yaml:"required"`
}

// ActionResult is the text an action produced.
type ActionResult struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

// MapText applies f to the text; HTML is rebuilt from the mapped text.
func (r *ActionResult) MapText(f func(string) string) {
	if r == nil {
		return
	}
	r.Text = f(r.Text)
	r.HTML = htmlFromText(r.Text)
}

// threadFields are the placeholders filled from the thread.
var threadFields = map[string]bool{"sender": true, "sender_name": true, "subject": true, "date": true, "references": true, "today": true}

var placeholderRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// validateAction checks a definition; errors name the action.
func validateAction(d ActionDef) (ActionDef, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: action %q: %s", ErrInvalidAction, d.Name, fmt.Sprintf(format, args...))
	}
	if !actionNameRE.MatchString(d.Name) {
		return d, bad("name must be lower case letters, digits, - or _ (at most 64)")
	}
	if strings.TrimSpace(d.Label) == "" {
		return d, bad("label is empty")
	}
	switch d.Kind {
	case "":
		d.Kind = "prompt"
	case "prompt", "template":
	default:
		return d, bad("kind %q (want prompt or template)", d.Kind)
	}
	if strings.TrimSpace(d.Text) == "" {
		return d, bad("text is empty")
	}
	if strings.Count(d.Text, "{{") != strings.Count(d.Text, "}}") {
		return d, bad("unbalanced {{ }} in text")
	}
	inputs := map[string]bool{}
	for _, in := range d.Inputs {
		if !actionNameRE.MatchString(in.Name) {
			return d, bad("input name %q must be lower case letters, digits, - or _", in.Name)
		}
		if inputs[in.Name] {
			return d, bad("input %q declared twice", in.Name)
		}
		if strings.TrimSpace(in.Label) == "" {
			return d, bad("input %q has no label", in.Name)
		}
		inputs[in.Name] = true
	}
	used := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(d.Text, -1) {
		ph := m[1]
		if name, ok := strings.CutPrefix(ph, "input."); ok {
			if !inputs[name] {
				return d, bad("placeholder {{%s}} names an undeclared input", ph)
			}
			used[name] = true
			continue
		}
		if !threadFields[ph] {
			return d, bad("unknown placeholder {{%s}} (known: sender, sender_name, subject, date, references, today, input.NAME)", ph)
		}
	}
	for name := range inputs {
		if !used[name] {
			return d, bad("input %q is declared but never used in text", name)
		}
	}
	return d, nil
}

// Actions lists the configured actions in configuration order.
func (a *Assistant) Actions() []ActionDef {
	out := make([]ActionDef, 0, len(a.order))
	for _, n := range a.order {
		out = append(out, a.actions[n])
	}
	return out
}

// referenceRE finds reference numbers: "n° 2024-123", "Réf. : AB/12", "dossier 2024-0042".
var referenceRE = regexp.MustCompile(`(?i)(?:\bn°|\bno\.|\bréf(?:érence)?\.?|\bref\.?|\bdossier(?: n°)?)\s*:?\s*([A-Z0-9][A-Z0-9/_.-]{2,40}[A-Z0-9])`)

// references lists the unique reference numbers found in the thread.
func references(t *mail.Thread) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range t.Messages {
		for _, s := range []string{m.Subject, newText(m)} {
			for _, x := range referenceRE.FindAllStringSubmatch(s, -1) {
				r := strings.TrimRight(x[1], ".-/")
				if !seen[r] && strings.ContainsAny(r, "0123456789") {
					seen[r] = true
					out = append(out, r)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// actionValues are the placeholder values of a thread and the inputs.
func (a *Assistant) actionValues(d ActionDef, t *mail.Thread, inputs map[string]string) (map[string]string, error) {
	latest := t.Latest()
	vals := map[string]string{
		"subject":    strings.TrimSpace(latest.Subject),
		"references": strings.Join(references(t), ", "),
		"today":      a.opts.Now().Format("02/01/2006"),
	}
	if len(latest.From) > 0 {
		vals["sender"] = latest.From[0].String()
		vals["sender_name"] = firstName(latest.From)
	}
	if !latest.Date.IsZero() {
		vals["date"] = latest.Date.Format("02/01/2006")
	}
	for _, in := range d.Inputs {
		v := strings.TrimSpace(inputs[in.Name])
		if v == "" && in.Required {
			return nil, fmt.Errorf("%w: action %q: input %q is required", ErrBadRequest, d.Name, in.Name)
		}
		if len(v) > 4000 {
			return nil, fmt.Errorf("%w: action %q: input %q longer than 4000 bytes", ErrBadRequest, d.Name, in.Name)
		}
		vals["input."+in.Name] = v
	}
	for k := range inputs {
		if _, ok := vals["input."+k]; !ok {
			return nil, fmt.Errorf("%w: action %q has no input %q", ErrBadRequest, d.Name, k)
		}
	}
	for k, v := range vals {
		if v == "" {
			vals[k] = "[à compléter]"
		}
	}
	return vals, nil
}

// RunAction runs a named action on a thread with the agent's inputs.
// Template actions are filled without a model; prompt actions go to the
// model like the built-in tasks (offline: an extractive summary, degraded).
// The gate picks the endpoint: admit the request with the action's
// [ActionDef.Endpoint] as preference ([Assistant.Action]). The request's
// Pass restores and guards the answer and writes the audit line.
func (a *Assistant) RunAction(ctx context.Context, name string, req ThreadRequest, inputs map[string]string, cb Callbacks) (*ActionResult, Meta, error) {
	return serve(req.Pass, cb, func(cb Callbacks) (*ActionResult, Meta, error) { return a.runAction(ctx, name, req, inputs, cb) })
}

// Action returns the definition of a configured action.
func (a *Assistant) Action(name string) (ActionDef, bool) {
	d, ok := a.actions[name]
	return d, ok
}

func (a *Assistant) runAction(ctx context.Context, name string, req ThreadRequest, inputs map[string]string, cb Callbacks) (*ActionResult, Meta, error) {
	d, ok := a.actions[name]
	if !ok {
		return nil, Meta{}, fmt.Errorf("%w: %q", ErrUnknownAction, name)
	}
	if err := req.open(); err != nil {
		return nil, Meta{}, err
	}
	lang, err := a.language(req.Language)
	if err != nil {
		return nil, Meta{}, err
	}
	if req.Length, err = length(req.Length); err != nil {
		return nil, Meta{}, err
	}
	if d.Kind == "template" {
		vals, err := a.actionValues(d, req.thread, inputs)
		if err != nil {
			return nil, Meta{}, err
		}
		r := &ActionResult{Text: fillPlaceholders(d.Text, vals)}
		r.HTML = htmlFromText(r.Text)
		m := a.meta(nil)
		m.Model = "template"
		return r, m, nil
	}
	ep, err := a.endpointFor(TaskAction, req.endpoint)
	if err != nil {
		return nil, Meta{}, err
	}
	if ep == nil {
		return a.offlineAction(req, lang, "no model configured"), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.buildActionPrompt(ep, lang, d, req, inputs)
	if err != nil {
		return nil, Meta{}, err
	}
	return askModel(ctx, a, p, cb, asking[ActionResult]{
		key: sha("action", d.Name, d.Text, lang, req.Length, ep.Name, ep.ModelName, PromptVersion, p.keyed),
		parse: func(text string) (*ActionResult, error) {
			text = strings.TrimSpace(text)
			if text == "" {
				return nil, fmt.Errorf("%w: empty answer", ErrInvalidOutput)
			}
			return &ActionResult{Text: text, HTML: htmlFromText(text)}, nil
		},
		offline: func(reason string) *ActionResult { return a.offlineAction(req, lang, reason) },
	})
}

func (a *Assistant) buildActionPrompt(ep *Endpoint, lang string, d ActionDef, req ThreadRequest, inputs map[string]string) (*threadPrompt, error) {
	var verr error
	p, err := a.buildThreadPrompt(ep, "action", lang, req, func(pd *promptData, t *mail.Thread) {
		vals, err := a.actionValues(d, t, inputs)
		if err != nil {
			verr = err
			return
		}
		for k, v := range vals {
			if strings.HasPrefix(k, "input.") {
				vals[k] = req.Pass.Text(v)
			}
		}
		pd.Label = d.Label
		pd.Instructions = fillPlaceholders(d.Text, vals)
	})
	if verr != nil {
		return nil, verr
	}
	return p, err
}

// offlineAction answers a prompt action without a model: the extractive summary.
func (a *Assistant) offlineAction(req ThreadRequest, lang, reason string) *ActionResult {
	s := a.offlineSummary(req, lang, reason)
	var sb strings.Builder
	sb.WriteString(s.Summary)
	for _, k := range s.KeyPoints {
		sb.WriteString("\n- " + k)
	}
	r := &ActionResult{Text: sb.String()}
	r.HTML = htmlFromText(r.Text)
	return r
}
