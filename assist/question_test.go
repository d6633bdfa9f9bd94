package assist

import (
	"context"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/privacy"
)

var offlineAskCases = []struct {
	question string
	found    bool
	want     []string
}{
	{"Quelle est la date limite pour les pièces ?", true, []string{"sous huitaine", "(Paul Bernard, 2 juillet 2024)"}},
	{"Quand la délibération sera-t-elle votée ?", true, []string{"conseil municipal du 10 juillet", "(Claire Martin, 4 juillet 2024)"}},
	{"Quel est le montant du devis ?", true, []string{"18 400 €", "(devis.pdf, page 2)"}},
	{"Qui est le maire de Provins ?", false, []string{"Le fil ne le précise pas."}},
}

func TestAskOffline(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc := privacy.Document{Name: "devis.pdf", Text: "Devis de rénovation de l'école.\fLe montant total du devis s'élève à 18 400 € TTC."}
	for _, c := range offlineAskCases {
		t.Run(c.question, func(t *testing.T) {
			pass := admitAll(t, a, privacy.Request{Task: "ask", Thread: sampleThread(), Documents: []privacy.Document{doc}})
			ans, meta, err := a.Ask(context.Background(), AskRequest{Pass: pass, Question: c.question}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			if !meta.Degraded || ans.Found != c.found {
				t.Errorf("degraded %v, found %v", meta.Degraded, ans.Found)
			}
			for _, w := range c.want {
				if !strings.Contains(ans.Text, w) {
					t.Errorf("missing %q in:\n%s", w, ans.Text)
				}
			}
			if c.found && len(ans.Citations) == 0 {
				t.Error("no citation")
			}
		})
	}
}

func TestAskWithModel(t *testing.T) {
	var prompt string
	f := newFixture(t, fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		prompt = r.Prompt()
		return fakellm.Response{Text: "La délibération sera votée le 10 juillet [M3] ; le plan de financement manquait [M2, M9]."}
	}}, nil)
	ans, meta, err := f.a.Ask(context.Background(), AskRequest{Pass: admit(t, f.a, sampleThread()), Question: "Où en est la délibération ?"}, Callbacks{})
	if err != nil || meta.Degraded {
		t.Fatalf("err %v, degraded %v", err, meta.Degraded)
	}
	for _, w := range []string{`ref="M3"`, `source="Claire Martin, 4 juillet 2024"`, "Où en est la délibération ?", "Le fil ne le précise pas"} {
		if !strings.Contains(prompt, w) {
			t.Errorf("prompt lacks %q", w)
		}
	}
	if want := "votée le 10 juillet (Claire Martin, 4 juillet 2024) ; le plan de financement manquait (Paul Bernard, 2 juillet 2024)."; !strings.Contains(ans.Text, want) {
		t.Errorf("answer %q, want %q", ans.Text, want)
	}
	if len(ans.Citations) != 2 || ans.Citations[0].Ref != "M3" || !ans.Found {
		t.Errorf("citations %+v, found %v", ans.Citations, ans.Found)
	}
}
