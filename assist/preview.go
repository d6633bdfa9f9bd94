package assist

import (
	"context"
	"fmt"
	"strings"
)

// ActionRequest names an action and its inputs, for [Assistant.Preview].
type ActionRequest struct {
	ThreadRequest
	Name   string
	Inputs map[string]string
}

// Preview returns exactly what would be sent to the model for a task —
// after cleaning, budgeting and the Filter (pseudonymisation) — and its
// token count, without calling any model. req is a ThreadRequest (summary),
// ReplyRequest, DocumentRequest or ActionRequest. For a document in several
// parts every part's prompt is shown; the final step's prompt depends on
// the answers and cannot be shown in advance. Each request draws its own
// boundary, so the boundary differs from one call to the next.
func (a *Assistant) Preview(ctx context.Context, task Task, req any) (prompt string, tokens int, err error) {
	show := func(system, user string) (string, int) {
		var sb strings.Builder
		sb.WriteString("=== system ===\n")
		sb.WriteString(system)
		sb.WriteString("\n=== user ===\n")
		sb.WriteString(user)
		return sb.String(), CountTokens(system) + CountTokens(user)
	}
	switch task {
	case TaskSummary:
		r, ok := req.(ThreadRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: summary preview needs a ThreadRequest", ErrBadRequest)
		}
		p, err := a.previewThread(ctx, TaskSummary, "summary", r, nil)
		if err != nil {
			return "", 0, err
		}
		s, n := show(p.system, p.user)
		return s, n, nil
	case TaskReply:
		r, ok := req.(ReplyRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: reply preview needs a ReplyRequest", ErrBadRequest)
		}
		if err := checkThread(r.Thread); err != nil {
			return "", 0, err
		}
		if err := normReply(&r); err != nil {
			return "", 0, err
		}
		lang, err := a.language(r.Language)
		if err != nil {
			return "", 0, err
		}
		ep, err := a.endpointFor(TaskReply, r.Endpoint)
		if err != nil {
			return "", 0, err
		}
		p, err := a.buildReplyPrompt(ctx, ep, lang, r)
		if err != nil {
			return "", 0, err
		}
		s, n := show(p.system, p.user)
		return s, n, nil
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
		if r.Endpoint == "" {
			r.Endpoint = d.Endpoint
		}
		p, err := a.previewThread(ctx, TaskAction, "", r.ThreadRequest, func(ctx context.Context, ep *Endpoint, lang string, tr ThreadRequest) (*threadPrompt, error) {
			return a.buildActionPrompt(ctx, ep, lang, d, tr, r.Inputs)
		})
		if err != nil {
			return "", 0, err
		}
		s, n := show(p.system, p.user)
		return s, n, nil
	case TaskDocument:
		r, ok := req.(DocumentRequest)
		if !ok {
			return "", 0, fmt.Errorf("%w: document preview needs a DocumentRequest", ErrBadRequest)
		}
		lang, size, ep, err := a.route(TaskDocument, r.Language, r.Length, r.Endpoint)
		if err != nil {
			return "", 0, err
		}
		r.Length = size
		p, err := a.planDocument(ctx, ep, lang, r)
		if err != nil {
			return "", 0, err
		}
		var sb strings.Builder
		total := 0
		for i, u := range p.maps {
			if len(p.maps) > 1 {
				fmt.Fprintf(&sb, "##### part %d/%d\n", i+1, len(p.maps))
			}
			s, n := show(p.system, u)
			sb.WriteString(s)
			sb.WriteString("\n")
			total += n
		}
		if len(p.maps) > 1 {
			sb.WriteString("##### final step: the partial summaries returned by the model, in one prompt (not known in advance)\n")
		}
		return sb.String(), total, nil
	}
	return "", 0, fmt.Errorf("%w: task %q", ErrBadRequest, task)
}

func (a *Assistant) previewThread(ctx context.Context, task Task, name string, r ThreadRequest,
	build func(context.Context, *Endpoint, string, ThreadRequest) (*threadPrompt, error)) (*threadPrompt, error) {
	if err := checkThread(r.Thread); err != nil {
		return nil, err
	}
	lang, size, ep, err := a.route(task, r.Language, r.Length, r.Endpoint)
	if err != nil {
		return nil, err
	}
	r.Length = size
	if build != nil {
		return build(ctx, ep, lang, r)
	}
	return a.buildThreadPrompt(ctx, ep, name, lang, r, nil)
}
