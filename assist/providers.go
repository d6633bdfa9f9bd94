package assist

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// ErrConfig reports a provider configuration that cannot work.
var ErrConfig = errors.New("assist: invalid model configuration")

// OpenAIConfig describes an OpenAI-compatible chat-completions endpoint:
// vLLM, LocalAI, Ollama's /v1, DINUM's Albert API, Mistral's API, OpenAI.
type OpenAIConfig struct {
	// BaseURL is the API root including /v1, e.g. "http://127.0.0.1:8000/v1"; required.
	BaseURL string
	// Model is the model name sent with each request; required.
	Model string
	// APIKey is the bearer token; empty sends a placeholder (local servers ignore it).
	APIKey string
	// Retry is the retry and circuit-breaker policy; zero value works.
	Retry RetryPolicy
	// Base is the underlying transport; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// NewOpenAICompatible builds a langchaingo model for an OpenAI-compatible
// endpoint, behind the package's retry layer. It never reads the environment.
func NewOpenAICompatible(c OpenAIConfig) (llms.Model, error) {
	m, _, err := newOpenAI(c)
	return m, err
}

// NewOpenAICompatibleTransport is NewOpenAICompatible that also returns the
// endpoint's Transport, whose Open method reports the circuit state.
func NewOpenAICompatibleTransport(c OpenAIConfig) (llms.Model, *Transport, error) {
	return newOpenAI(c)
}

func newOpenAI(c OpenAIConfig) (llms.Model, *Transport, error) {
	if c.BaseURL == "" || c.Model == "" {
		return nil, nil, fmt.Errorf("%w: an OpenAI-compatible endpoint needs a base URL and a model", ErrConfig)
	}
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return nil, nil, fmt.Errorf("%w: base URL %q is not http(s)", ErrConfig, c.BaseURL)
	}
	key := c.APIKey
	if key == "" {
		key = "none" // langchaingo refuses an empty token; local servers ignore it
	}
	tr := NewTransport(c.Base, c.Retry)
	m, err := openai.New(
		openai.WithBaseURL(strings.TrimRight(c.BaseURL, "/")),
		openai.WithModel(c.Model),
		openai.WithToken(key),
		openai.WithOrganization(""),
		openai.WithHTTPClient(tr),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return m, tr, nil
}

// MistralBaseURL is the root of Mistral's hosted API.
const MistralBaseURL = "https://api.mistral.ai/v1"

// NewMistral builds a model for Mistral's hosted API. Mistral's native chat
// API is OpenAI-compatible, so this uses the same client with Mistral's URL
// (an empty BaseURL means [MistralBaseURL]) rather than a second SDK with its
// own retries: the package keeps exactly one retry layer.
func NewMistral(c OpenAIConfig) (llms.Model, error) {
	if c.BaseURL == "" {
		c.BaseURL = MistralBaseURL
	}
	if c.APIKey == "" {
		return nil, fmt.Errorf("%w: Mistral's API needs an API key", ErrConfig)
	}
	return NewOpenAICompatible(c)
}

// OllamaConfig describes an Ollama server reached through its native API.
type OllamaConfig struct {
	// ServerURL is the server root, e.g. "http://127.0.0.1:11434"; required.
	ServerURL string
	// Model is the model name, e.g. "mistral-small3.1"; required.
	Model string
	// ContextWindow, when set, is passed as num_ctx.
	ContextWindow int
	// Retry is the retry and circuit-breaker policy; zero value works.
	Retry RetryPolicy
	// Base is the underlying transport; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// NewOllama builds a model for Ollama's native API behind the retry layer.
func NewOllama(c OllamaConfig) (llms.Model, error) {
	if c.ServerURL == "" || c.Model == "" {
		return nil, fmt.Errorf("%w: an Ollama endpoint needs a server URL and a model", ErrConfig)
	}
	opts := []ollama.Option{
		ollama.WithServerURL(strings.TrimRight(c.ServerURL, "/")),
		ollama.WithModel(c.Model),
		ollama.WithHTTPClient(&http.Client{Transport: NewTransport(c.Base, c.Retry)}),
	}
	if c.ContextWindow > 0 {
		opts = append(opts, ollama.WithRunnerNumCtx(c.ContextWindow))
	}
	m, err := ollama.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return m, nil
}
