package privacy

import (
	"fmt"
	"strings"
)

// Role is who speaks in a prompt message.
type Role string

// Roles of a prompt's messages.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one message of a prompt.
type Message struct {
	Role Role
	Text string
}

// Prompt is text that may go to a model: only [Pass.Seal] makes one, so a
// Prompt has always been through the gate — markings checked, routed to a
// cleared endpoint, pseudonymised. Package assist sends nothing else to a
// model. The zero Prompt is not sealed and is refused.
type Prompt struct {
	pass *Pass
	msgs []Message
}

// Seal makes the prompt of msgs for the pass's endpoint. The text is built
// by the caller from [Pass.Thread], [Pass.Documents] and [Pass.Text]; as a
// last check, Seal looks for markings again in every message but the
// system prompt and refuses, with a *Refusal, one the endpoint is not
// cleared for.
func (p *Pass) Seal(msgs ...Message) (Prompt, error) {
	if p == nil || p.gate == nil {
		return Prompt{}, ErrNotSealed
	}
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done {
		return Prompt{}, fmt.Errorf("%w: the request has ended", ErrNotSealed)
	}
	c := p.gate.clearance(p.endpoint)
	for _, m := range msgs {
		if m.Role == RoleSystem {
			continue
		}
		for _, mk := range p.gate.opts.Detector.Text("body", m.Text) {
			if !c.clears(mk.Label) {
				return Prompt{}, &Refusal{Marking: mk, Labels: []string{mk.Label}, Endpoints: []string{p.endpoint}}
			}
		}
	}
	return Prompt{pass: p, msgs: append([]Message(nil), msgs...)}, nil
}

// Sealed reports whether the prompt was made by a Pass.
func (pr Prompt) Sealed() bool { return pr.pass != nil }

// Endpoint is the endpoint the prompt may be sent to.
func (pr Prompt) Endpoint() string {
	if pr.pass == nil {
		return ""
	}
	return pr.pass.endpoint
}

// Messages returns a copy of the prompt's messages.
func (pr Prompt) Messages() []Message { return append([]Message(nil), pr.msgs...) }

// String shows the prompt as `plume … --show-prompt` prints it.
func (pr Prompt) String() string {
	var sb strings.Builder
	for i, m := range pr.msgs {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "=== %s ===\n%s", m.Role, m.Text)
	}
	return sb.String()
}
