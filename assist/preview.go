package assist

import (
	"context"
	"fmt"
	"strings"

	"github.com/plume-admin/plume/privacy"
)

// ActionRequest names an action and its inputs, for [Assistant.Preview].
type ActionRequest struct {
	ThreadRequest
	Name   string
	Inputs map[string]string
}

// Preview returns exactly what would be sent to the model for a task — the
// prompts as the request's Pass seals them, after cleaning, budgeting and
// pseudonymisation — and their token count, without calling any model.
// req is a ThreadRequest (summary), ReplyRequest, DocumentRequest or
// ActionRequest. For a document in several parts every part's prompt is
// shown; the final step's prompt depends on the answers and cannot be
// shown in advance. Each request draws its own boundary (Options.Rand), so
// the boundary differs from one call to the next.
func (a *Assistant) Preview(ctx context.Context, task Task, req any) (prompt string, tokens int, err error) {
	var prompts []privacy.Prompt
	switch task {
	case TaskSummary:
		r, ok := req.(ThreadRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: summary preview needs a ThreadRequest", ErrBadRequest)
		}
		prompts, err = a.previewThread(TaskSummary, r, func(ep *Endpoint, lang string, tr ThreadRequest) (*threadPrompt, error) {
			return a.buildThreadPrompt(ep, "summary", lang, tr, nil)
		})
	case TaskReply:
		r, ok := req.(ReplyRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: reply preview needs a ReplyRequest", ErrBadRequest)
		}
		if err := openReply(&r); err != nil {
			return "", 0, err
		}
		if err := normReply(&r); err != nil {
			return "", 0, err
		}
		prompts, err = a.previewThread(TaskReply, r.ThreadRequest, func(ep *Endpoint, lang string, tr ThreadRequest) (*threadPrompt, error) {
			r.ThreadRequest = tr
			return a.buildReplyPrompt(ep, lang, r)
		})
	case TaskAction:
		r, ok := req.(ActionRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: action preview needs an ActionRequest", ErrBadRequest)
		}
		d, ok := a.actions[r.Name]
		if !ok {
			return "", 0, fmt.Errorf("%w: %q", ErrUnknownAction, r.Name)
		}
		if d.Kind == "template" {
			return "", 0, nil // nothing is sent
		}
		prompts, err = a.previewThread(TaskAction, r.ThreadRequest, func(ep *Endpoint, lang string, tr ThreadRequest) (*threadPrompt, error) {
			return a.buildActionPrompt(ep, lang, d, tr, r.Inputs)
		})
	case TaskDocument:
		r, ok := req.(DocumentRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: document preview needs a DocumentRequest", ErrBadRequest)
		}
		return a.previewDocument(r)
	case TaskAsk, TaskDraft:
		prompts, err = a.previewSources(task, req)
	default:
		return "", 0, fmt.Errorf("%w: task %q", ErrBadRequest, task)
	}
	if err != nil {
		return "", 0, err
	}
	return showPrompts(prompts)
}

// previewThread opens a thread request, routes it and seals the prompt build makes.
func (a *Assistant) previewThread(task Task, r ThreadRequest, build func(*Endpoint, string, ThreadRequest) (*threadPrompt, error)) ([]privacy.Prompt, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	lang, size, ep, err := a.route(task, r.Language, r.Length, r.endpoint)
	if err != nil {
		return nil, err
	}
	r.Length = size
	p, err := build(ep, lang, r)
	if err != nil {
		return nil, err
	}
	pr, err := r.Pass.Seal(p.messages()...)
	if err != nil {
		return nil, err
	}
	return []privacy.Prompt{pr}, nil
}

// previewDocument shows every part's prompt of a document summary.
func (a *Assistant) previewDocument(r DocumentRequest) (string, int, error) {
	if err := r.open(); err != nil {
		return "", 0, err
	}
	lang, size, ep, err := a.route(TaskDocument, r.Language, r.Length, r.endpoint)
	if err != nil {
		return "", 0, err
	}
	r.Length = size
	p, err := a.planDocument(ep, lang, r)
	if err != nil {
		return "", 0, err
	}
	var sb strings.Builder
	total := 0
	for i, u := range p.maps {
		pr, err := p.seal(p.system, u)
		if err != nil {
			return "", 0, err
		}
		if len(p.maps) > 1 {
			fmt.Fprintf(&sb, "##### part %d/%d\n", i+1, len(p.maps))
		}
		s, n, _ := showPrompts([]privacy.Prompt{pr})
		sb.WriteString(s)
		sb.WriteString("\n")
		total += n
	}
	if len(p.maps) > 1 {
		sb.WriteString("##### final step: the partial summaries returned by the model, in one prompt (not known in advance)\n")
	}
	sb.WriteString("##### " + p.estimate.String() + "\n")
	return sb.String(), total, nil
}

// showPrompts prints sealed prompts and counts their tokens.
func showPrompts(prompts []privacy.Prompt) (string, int, error) {
	var sb strings.Builder
	n := 0
	for _, pr := range prompts {
		sb.WriteString(pr.String())
		for _, m := range pr.Messages() {
			n += CountTokens(m.Text)
		}
	}
	return sb.String(), n, nil
}
