package assist

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/plume-admin/plume/privacy"
)

// call is one exchange with a model. The prompt is the only way text
// reaches a model: only the privacy gate's Pass seals one.
type call struct {
	prompt privacy.Prompt
	json   bool
	token  func(string) // streamed tokens, may be nil
}

// roles maps the prompt's roles to langchaingo's.
var roles = map[privacy.Role]llms.ChatMessageType{
	privacy.RoleSystem:    llms.ChatMessageTypeSystem,
	privacy.RoleUser:      llms.ChatMessageTypeHuman,
	privacy.RoleAssistant: llms.ChatMessageTypeAI,
}

// answer is what a model returned.
type answer struct {
	text                     string
	promptTokens, completion int
}

// generate sends one prompt and returns the whole answer. Tokens stream to
// c.token. The call ends at Options.Timeout, or when no token arrives for
// Options.StallTimeout; both are reported as ErrStalled-wrapped errors.
func (a *Assistant) generate(ctx context.Context, c call) (answer, error) {
	if !c.prompt.Sealed() {
		return answer{}, privacy.ErrNotSealed
	}
	ep, err := a.endpointFor("", c.prompt.Endpoint())
	if err != nil {
		return answer{}, err
	}
	if ep == nil {
		return answer{}, fmt.Errorf("%w: the offline engine takes no prompt", ErrUnknownEndpoint)
	}
	var msgs []llms.MessageContent
	for _, m := range c.prompt.Messages() {
		msgs = append(msgs, llms.TextParts(roles[m.Role], m.Text))
	}
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, a.opts.Timeout, fmt.Errorf("%w: no complete answer within %s", ErrStalled, a.opts.Timeout))
	defer cancelTimeout()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	stall := fmt.Errorf("%w: no token for %s", ErrStalled, a.opts.StallTimeout)
	var mu sync.Mutex
	watchdog := time.AfterFunc(a.opts.StallTimeout, func() { cancel(stall) })
	defer watchdog.Stop()

	opts := []llms.CallOption{
		llms.WithMaxTokens(ep.MaxOutput),
		llms.WithTemperature(0.2),
		llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			watchdog.Reset(a.opts.StallTimeout)
			if len(chunk) > 0 && c.token != nil {
				mu.Lock()
				c.token(string(chunk))
				mu.Unlock()
			}
			return nil
		}),
	}
	if c.json && ep.JSONMode {
		opts = append(opts, llms.WithJSONMode())
	}
	resp, err := ep.Model.GenerateContent(ctx, msgs, opts...)
	// Streaming clients may return a partial answer without error when the
	// context ends: the context decides.
	if cause := context.Cause(ctx); ctx.Err() != nil {
		if cause == nil {
			cause = ctx.Err()
		}
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && isUnavailable(err) {
			return answer{}, err
		}
		return answer{}, cause
	}
	if err != nil {
		return answer{}, err
	}
	if len(resp.Choices) == 0 {
		return answer{}, fmt.Errorf("%w: empty answer", ErrInvalidOutput)
	}
	ch := resp.Choices[0]
	out := answer{text: ch.Content}
	out.promptTokens = intInfo(ch.GenerationInfo, "PromptTokens")
	out.completion = intInfo(ch.GenerationInfo, "CompletionTokens")
	if out.promptTokens == 0 {
		for _, m := range c.prompt.Messages() {
			out.promptTokens += CountTokens(m.Text)
		}
	}
	if out.completion == 0 {
		out.completion = CountTokens(out.text)
	}
	return out, nil
}

func intInfo(info map[string]any, key string) int {
	switch v := info[key].(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

// failure decides what a model failure becomes: the caller's own
// cancellation is returned as is; anything else either degrades to the
// offline engine (reason returned) or, with NoFallback, an error wrapping
// ErrModelUnavailable.
func (a *Assistant) failure(ctx context.Context, err error) (reason string, fatal error) {
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	var ref *privacy.Refusal
	if errors.As(err, &ref) || errors.Is(err, privacy.ErrNotSealed) {
		return "", err // the gate said no: nothing is answered in its place
	}
	if a.opts.NoFallback {
		if isUnavailable(err) {
			return "", err
		}
		return "", fmt.Errorf("%w: %w", ErrModelUnavailable, err)
	}
	return "model unavailable: " + reasonOf(err), nil
}

// reasonOf is a short statement of a model failure, without content.
func reasonOf(err error) string {
	var ue *UnavailableError
	switch {
	case errors.As(err, &ue):
		return ue.Reason
	case errors.Is(err, ErrStalled):
		return err.Error()
	case errors.Is(err, ErrInvalidOutput):
		return "invalid output after one retry"
	}
	s := err.Error()
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}
