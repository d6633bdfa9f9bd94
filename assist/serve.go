package assist

import (
	"context"
	"errors"
	"fmt"

	"github.com/plume-admin/plume/privacy"
)

// serve runs one task on an admitted request and ends the request: the
// streamed tokens and the result are restored and guarded by the pass,
// and the pass writes the audit line. Every exported task goes through
// it, so an answer cannot leave assist unrestored, unguarded or unaudited.
func serve[T any, PT result[T]](pass *privacy.Pass, cb Callbacks, run func(Callbacks) (*T, Meta, error)) (*T, Meta, error) {
	if pass == nil {
		return nil, Meta{}, fmt.Errorf("%w: no gate pass", ErrBadRequest)
	}
	inner := cb
	flush := func() {}
	if cb.Token != nil {
		inner.Token, flush = pass.Stream(cb.Token)
	}
	res, meta, err := run(inner)
	flush()
	if err == nil && res == nil {
		err = fmt.Errorf("%w: empty result", ErrInvalidOutput)
	}
	if err != nil {
		pass.Done(privacy.Outcome{Endpoint: meta.Endpoint, Model: meta.Model, TokensIn: meta.PromptTokens,
			TokensOut: meta.CompletionTokens, Code: Code(err)})
		return nil, meta, err
	}
	pass.Finish(PT(res))
	code := "ok"
	if meta.Degraded {
		code = "degraded"
	}
	pass.Done(privacy.Outcome{Endpoint: meta.Endpoint, Model: meta.Model, TokensIn: meta.PromptTokens,
		TokensOut: meta.CompletionTokens, Cached: meta.Cached, Code: code})
	return res, meta, nil
}

// Code is the stable problem code of an error returned by a task, shared
// by the API's problem+json answers, the CLI's messages and the audit.
func Code(err error) string {
	var ref *privacy.Refusal
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ref):
		return ref.Code()
	case errors.Is(err, ErrUnknownAction):
		return "unknown_action"
	case errors.Is(err, ErrBadRequest):
		return "bad_request"
	case errors.Is(err, ErrInvalidOutput):
		return "invalid_output"
	case errors.Is(err, ErrStalled), errors.Is(err, context.DeadlineExceeded):
		return "model_timeout"
	case errors.Is(err, ErrModelUnavailable):
		return "model_unavailable"
	}
	return "internal"
}
