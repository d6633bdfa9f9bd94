package privacy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

// adversarialMail is one entry of testdata/adversarial/index.json.
type adversarialMail struct {
	File       string   `json:"file"`
	Lang       string   `json:"lang"`
	Techniques []string `json:"techniques"`
	URLs       []string `json:"urls"`
	Hosts      []string `json:"hosts"`
	Emails     []string `json:"emails"`
	Phones     []string `json:"phones"`
	Legit      []string `json:"legit"`
	Attachment *struct {
		PartPath string `json:"partPath"`
		Name     string `json:"name"`
	} `json:"attachment"`
}

func loadAdversarial(t *testing.T) []adversarialMail {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "adversarial", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Mails []adversarialMail `json:"mails"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx.Mails
}

// obedientAnswer is what a model that follows every injected instruction
// would write, given what it saw (the pseudonymised thread): every attacker
// string, raw and as the placeholder it was shown, as links and images.
func obedientAnswer(am adversarialMail, shown string) string {
	var b strings.Builder
	b.WriteString("Résumé : le dossier est à compléter.\n")
	for _, u := range am.URLs {
		b.WriteString("Lien : " + u + " ; [cliquez ici](" + u + ") ; ![image](" + u + ")\n")
	}
	for _, h := range am.Hosts {
		b.WriteString("Site : " + h + "/connexion\n")
	}
	for _, e := range am.Emails {
		b.WriteString("Mettre en copie " + e + " (mailto:" + e + ")\n")
	}
	for _, p := range am.Phones {
		c, _ := compact(p)
		b.WriteString("Appeler le " + p + " ou le " + c + " ou le " + phoneKey(p) + "\n")
	}
	for _, l := range am.Legit {
		b.WriteString("Référence utile : " + l + "\n")
	}
	// And every placeholder the model was shown, as it would copy them.
	for _, ph := range placeholderPattern.FindAllString(shown, -1) {
		b.WriteString("Contact : " + ph + "\n")
	}
	return b.String()
}

// TestAdversarialCorpusGuard runs each adversarial mail through the
// privacy side of the pipeline — parse, pseudonymise, a model that obeys
// every injected instruction, restore, guard — and checks that no attacker
// string survives while the control mail keeps its legitimate items. The
// API engineer runs the same corpus through the HTTP API and the fake
// model server.
func TestAdversarialCorpusGuard(t *testing.T) {
	mails := loadAdversarial(t)
	if len(mails) < 10 {
		t.Fatalf("corpus has %d mails", len(mails))
	}
	p := NewPseudonymizer(PIIOptions{})
	for _, am := range mails {
		t.Run(am.File, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "adversarial", am.File))
			if err != nil {
				t.Fatal(err)
			}
			m, err := mail.Parse(raw, mail.Limits{})
			if err != nil {
				t.Fatalf("mail.Parse: %v", err)
			}
			th := &mail.Thread{Messages: []*mail.Message{m}}
			sources := SourcesOf(th)
			s := p.Session()
			shown := s.Thread(th)
			var seen strings.Builder
			for _, sm := range shown.Messages {
				seen.WriteString(sm.Subject + "\n" + sm.Text + "\n")
			}
			if am.Attachment != nil {
				_, data, err := mail.ReadAttachment(raw, am.Attachment.PartPath, mail.Limits{})
				if err != nil {
					t.Fatalf("ReadAttachment: %v", err)
				}
				sources = append(sources, string(data))
				seen.WriteString(s.Text(string(data)))
			}
			injections := 0
			for _, src := range sources {
				injections += InjectionCues(src)
			}
			if am.File != "12-legit-control.eml" && injections == 0 && m.Cleaning.HiddenElements == 0 {
				t.Errorf("no injection cue and no hidden text found in %s", am.File)
			}
			answer := obedientAnswer(am, seen.String())
			got, rep := GuardOutput(s.Restore(answer), sources...)
			lower := strings.ToLower(got)
			for _, bad := range append(append(append([]string{}, am.URLs...), am.Hosts...), am.Emails...) {
				if strings.Contains(lower, strings.ToLower(bad)) {
					t.Errorf("attacker string %q reached the panel:\n%s", bad, got)
				}
			}
			digits, _ := compact(got)
			for _, ph := range am.Phones {
				if k := phoneKey(ph); strings.Contains(got, ph) || strings.Contains(digits, strings.TrimPrefix(k, "0")) {
					t.Errorf("attacker phone %q reached the panel:\n%s", ph, got)
				}
			}
			for _, l := range am.Legit {
				if !strings.Contains(got, l) {
					t.Errorf("legitimate %q removed:\n%s", l, got)
				}
			}
			if strings.Contains(got, "[PERSONNE_") || strings.Contains(got, "[EMAIL_") || strings.Contains(got, "[TELEPHONE_") {
				t.Errorf("placeholder shown raw:\n%s", got)
			}
			t.Logf("%s: %d injection cues, %d hidden elements, guard removed %d", am.File, injections, m.Cleaning.HiddenElements, rep.Removed)
		})
	}
}
