package addin

import (
	"strings"
	"testing"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/mail/demo"
)

// TestDemoReplySignedByMailboxOwner: plume demo's caller is the demo
// mailbox's owner (auth.demo_email), so a reply drafted in demo mode on the
// citizen's residence-permit request is signed "Julien Caron"; without the
// address the offline engine leaves the signature to complete.
func TestDemoReplySignedByMailboxOwner(t *testing.T) {
	for _, c := range []struct{ email, want string }{
		{demo.OwnerAddress, demo.OwnerName},
		{"", "[à compléter]"},
	} {
		p := newPipe(t, pipeOptions{
			endpoints: map[string][]string{}, order: nil, source: demoSource(t),
			config: func(cfg *config.Config) {
				cfg.Auth.Demo, cfg.Auth.StaticTokens, cfg.LLM.Endpoints = true, nil, nil
				cfg.Auth.DemoEmail = c.email
			},
		})
		resp := do(t, "POST", p.hs.URL+"/api/v1/thread/reply", "",
			`{"message":{"source":"imap","messageId":"`+demoMessageID(t, "titre-sejour-rdv-3")+`"},"options":{"tone":"formel"}}`)
		out := decode(t, resp)
		reply, _ := out["reply"].(map[string]any)
		text, _ := reply["text"].(string)
		lines := strings.Split(strings.TrimSpace(text), "\n")
		if resp.StatusCode != 200 || strings.TrimSpace(lines[len(lines)-1]) != c.want {
			t.Errorf("demo_email %q: status %d, reply signed %q, want %q:\n%s", c.email, resp.StatusCode, lines[len(lines)-1], c.want, text)
		}
	}
}
