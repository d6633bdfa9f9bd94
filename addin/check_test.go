package addin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestThreadCheck: POST /thread/check names the markings and the refusal of
// each task before any request, sends nothing to a model and audits nothing.
func TestThreadCheck(t *testing.T) {
	p := newPipe(t, pipeOptions{})
	for _, c := range []struct {
		subject, marking string
	}{
		{"Visite ministérielle - DIFFUSION RESTREINTE", "DIFFUSION RESTREINTE"},
		{"Subvention DETR", ""},
	} {
		resp := p.post(t, "/api/v1/thread/check", map[string]any{"message": rawRef(mimeMessage(c.subject, "Bonjour, voici le programme."))})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", c.subject, resp.StatusCode)
		}
		var got checkAnswer
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if c.marking == "" {
			if len(got.Markings) != 0 || len(got.Refused) != 0 {
				t.Errorf("%s: %+v", c.subject, got)
			}
			continue
		}
		if strings.Join(got.Markings, ",") != c.marking {
			t.Errorf("%s: markings %q", c.subject, got.Markings)
		}
		for _, task := range []string{"summary", "reply", "action", "document", "draft", "ask"} {
			pr := got.Refused[task]
			if pr == nil || pr.Code != "refused_marking" || pr.Marking != c.marking || pr.Message.FR == "" {
				t.Errorf("%s: %s refusal %+v", c.subject, task, pr)
			}
		}
	}
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Errorf("the model received %d requests", n)
	}
	if a := p.audit.String(); a != "" {
		t.Errorf("a check was audited: %s", a)
	}
	wantProblem(t, p.post(t, "/api/v1/thread/check", map[string]any{"message": map[string]any{"source": "pop"}}), http.StatusBadRequest, "bad_request")
}
