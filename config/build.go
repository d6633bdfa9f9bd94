package config

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/privacy"
)

// This file builds, from a configuration, what every entry point shares:
// the privacy gate, the model endpoints and the audit log. `plume serve`,
// `plume demo` and the CLI commands all use these, so a command and the
// API treat the same input the same way.

// Gate builds the privacy gate of the configuration: markings (with
// privacy.marking_terms and marking_headers), pseudonymisation
// (privacy.pii_*), and each endpoint's clearances. An endpoint given
// without `cleared` is cleared for no marking.
func (c *Config) Gate(auditor *privacy.Auditor, log *slog.Logger, now func() time.Time) (*privacy.Gate, error) {
	det, err := privacy.NewDetector(privacy.MarkingOptions{Terms: c.Privacy.MarkingTerms, Headers: c.Privacy.MarkingHeaders})
	if err != nil {
		return nil, fmt.Errorf("%w: privacy.marking_terms: %w", ErrConfig, err)
	}
	pii := privacy.PIIOptions{Disabled: c.Privacy.PIIDisabled, Kinds: c.Privacy.PIIKinds, Patterns: c.Privacy.PIIPatterns}
	if err := pii.Validate(); err != nil {
		return nil, fmt.Errorf("%w: privacy.pii_kinds: %w", ErrConfig, err)
	}
	var eps []privacy.EndpointPolicy
	for _, e := range c.LLM.Endpoints {
		eps = append(eps, privacy.EndpointPolicy{Name: e.Name, Cleared: e.Cleared, Tasks: e.Tasks,
			Plain: e.Pseudonymize != nil && !*e.Pseudonymize})
	}
	return privacy.NewGate(privacy.GateOptions{
		Endpoints: eps, Detector: det, Pseudonymizer: privacy.NewPseudonymizer(pii), Plain: c.Privacy.PIIDisabled,
		Auditor: auditor, Logger: log, Now: now,
	})
}

// Endpoints builds the model of each llm.endpoints entry; env holds the
// environment, for api_key_env.
func (c *Config) Endpoints(env map[string]string) ([]assist.Endpoint, error) {
	var out []assist.Endpoint
	for i, e := range c.LLM.Endpoints {
		model, err := newModel(e, e.Key(env))
		if err != nil {
			return nil, fmt.Errorf("%w: llm.endpoints[%d]: %w", ErrConfig, i, err)
		}
		var tasks []assist.Task
		for _, t := range e.Tasks {
			tasks = append(tasks, assist.Task(t))
		}
		out = append(out, assist.Endpoint{
			Name: e.Name, Model: model, ModelName: e.Model,
			ContextWindow: e.ContextWindow, MaxOutput: e.MaxOutput, Tasks: tasks,
		})
	}
	return out, nil
}

// AssistantOptions are the assist options of the configuration, models
// built (Endpoints); the caller adds a shared cache if it has one.
func (c *Config) AssistantOptions(env map[string]string, now func() time.Time) (assist.Options, error) {
	eps, err := c.Endpoints(env)
	if err != nil {
		return assist.Options{}, err
	}
	return assist.Options{Endpoints: eps, Actions: c.Actions, Now: now, Timeout: c.LLM.Timeout,
		CacheTTL: c.Cache.TTL, NoCache: c.Cache.Disabled, Organisation: c.Organisation,
		DocumentTokens: c.Limits.DocumentTokens}, nil
}

// Key is the endpoint's API key: api_key, or the api_key_env variable of env.
func (e EndpointConfig) Key(env map[string]string) string {
	if e.APIKeyEnv != "" {
		return env[e.APIKeyEnv]
	}
	return e.APIKey
}

// newModel builds the langchaingo model of one endpoint.
func newModel(e EndpointConfig, key string) (llms.Model, error) {
	switch e.Kind {
	case "ollama":
		return assist.NewOllama(assist.OllamaConfig{ServerURL: e.BaseURL, Model: e.Model, ContextWindow: e.ContextWindow})
	case "mistral":
		return assist.NewMistral(assist.OpenAIConfig{BaseURL: e.BaseURL, Model: e.Model, APIKey: key})
	}
	return assist.NewOpenAICompatible(assist.OpenAIConfig{BaseURL: e.BaseURL, Model: e.Model, APIKey: key})
}

// OpenAudit opens the audit destination of privacy.audit_path: a file, "-"
// (or empty) for stdout (nil means os.Stdout), or "off" for none.
func (c *Config) OpenAudit(stdout io.Writer) (*privacy.Auditor, func() error, error) {
	nop := func() error { return nil }
	salt := []byte(c.Privacy.AuditSalt)
	if len(salt) == 0 {
		salt = make([]byte, 32)
		_, _ = rand.Read(salt)
	}
	switch c.Privacy.AuditPath {
	case "off":
		return nil, nop, nil
	case "-", "":
		if stdout == nil {
			stdout = os.Stdout
		}
		return privacy.NewAuditor(stdout, salt), nop, nil
	}
	f, err := os.OpenFile(c.Privacy.AuditPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nop, fmt.Errorf("%w: privacy.audit_path: %w", ErrConfig, err)
	}
	return privacy.NewAuditor(f, salt), f.Close, nil
}
