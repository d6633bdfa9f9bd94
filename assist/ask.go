package assist

import (
	"context"

	"github.com/plume-admin/plume/privacy"
)

// route checks the language and length asked for a task and picks its
// endpoint; a nil endpoint means the offline engine answers.
func (a *Assistant) route(task Task, language, size, endpoint string) (lang, l string, ep *Endpoint, err error) {
	if lang, err = a.language(language); err != nil {
		return "", "", nil, err
	}
	if l, err = length(size); err != nil {
		return "", "", nil, err
	}
	if ep, err = a.endpointFor(task, endpoint); err != nil {
		return "", "", nil, err
	}
	return lang, l, ep, nil
}

// result is what a task returns: its text fields can be mapped, to restore
// pseudonyms or to guard them.
type result[T any] interface {
	*T
	MapText(f func(string) string)
}

// asking says how one thread task reads the model's answer.
type asking[T any] struct {
	// key is the cache key of the answer.
	key string
	// json asks for a JSON answer; when parse fails on it, the model is
	// told what was wrong and asked once again.
	json bool
	// parse makes the result of the answer text.
	parse func(text string) (*T, error)
	// offline answers without the model, saying why.
	offline func(reason string) *T
}

// askModel sends a thread prompt and returns its result: from the cache
// when there, else sealed by the request's pass, streamed, parsed and
// cached. A model failure that is not fatal gives the offline result,
// marked degraded. The result is still pseudonymised: serve restores it
// after caching, so the cache holds none of the values.
func askModel[T any, PT result[T]](ctx context.Context, a *Assistant, p *threadPrompt, cb Callbacks, q asking[T]) (*T, Meta, error) {
	meta := a.meta(p.ep)
	meta.Cut = p.cut
	if r, m, ok := cacheGet[T](ctx, a, p.pass, q.key); ok {
		return r, m, nil
	}
	send := func(msgs ...privacy.Message) (answer, error) {
		pr, err := p.pass.Seal(msgs...)
		if err != nil {
			return answer{}, err
		}
		ans, err := a.generate(ctx, call{prompt: pr, json: q.json, token: cb.Token})
		if err == nil {
			meta.PromptTokens += ans.promptTokens
			meta.CompletionTokens += ans.completion
		}
		return ans, err
	}
	degrade := func(err error) (*T, Meta, error) {
		reason, fatal := a.failure(ctx, err)
		if fatal != nil {
			return nil, meta, fatal
		}
		return q.offline(reason), a.degraded(nil, reason), nil
	}
	first := p.messages()
	ans, err := send(first...)
	if err != nil {
		return degrade(err)
	}
	r, perr := q.parse(ans.text)
	if perr != nil && q.json {
		// One retry, telling the model what was wrong.
		if cb.Progress != nil {
			cb.Progress(1, 1, "retry")
		}
		repair, err := render(p.lang, "repair", promptData{Problem: schemaProblem(perr)})
		if err != nil {
			return nil, meta, err
		}
		ans2, err := send(append(first,
			privacy.Message{Role: privacy.RoleAssistant, Text: ans.text},
			privacy.Message{Role: privacy.RoleUser, Text: repair})...)
		if err != nil {
			return degrade(err)
		}
		r, perr = q.parse(ans2.text)
	}
	if perr != nil {
		return nil, meta, perr
	}
	cachePut(ctx, a, p.pass, q.key, r, meta)
	return r, meta, nil
}
