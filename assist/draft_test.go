package assist

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/privacy"
)

var draftNow = func() time.Time { return time.Date(2026, 12, 5, 10, 0, 0, 0, paris) }

func offlineDrafter(t *testing.T) *Assistant {
	t.Helper()
	a, err := New(Options{Organisation: testOrganisation, Now: draftNow})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var draftCases = []struct {
	kind, to string
	want     []string
}{
	{DraftCourrier, "Monsieur le Maire de Provins\nHôtel de ville\n77160 Provins", []string{
		"PRÉFET DE SEINE-ET-MARNE", "Melun, le 5 décembre 2026", "Monsieur le Maire de Provins", "77160 Provins",
		"Affaire suivie par : Paul Bernard", "V/Réf. : Votre courriel du 4 juillet 2024", "Objet : Demande de subvention DETR n° 2024-123",
		"Monsieur le Maire,", "Je vous prie d'agréer, Monsieur le Maire, l'expression de ma considération distinguée.",
		"Pour le préfet et par délégation,", "le secrétaire général", "plan de financement d'ici vendredi", "[à compléter : réponse sur le fond]",
	}},
	{DraftNote, "Monsieur le Préfet", []string{
		"NOTE", "à l'attention de Monsieur le Préfet", "Objet : Demande de subvention DETR n° 2024-123", "Réf. : Courriel du 4 juillet 2024",
		"La présente note a pour objet de [à compléter", "I. Contexte", "Analyse", "Proposition — décision attendue", "[à compléter : proposition",
	}},
}

func TestDraftOffline(t *testing.T) {
	a := offlineDrafter(t)
	for _, c := range draftCases {
		t.Run(c.kind, func(t *testing.T) {
			d, meta, err := a.Draft(context.Background(), DraftRequest{Pass: admit(t, a, sampleThread()), Kind: c.kind, To: c.to,
				Author: addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			if !meta.Degraded {
				t.Error("not degraded")
			}
			text := d.Text()
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in:\n%s", w, text)
				}
			}
		})
	}
}

var appellationCases = []struct{ to, app, closing string }{
	{"Monsieur le Maire de Provins", "Monsieur le Maire", "ma considération distinguée"},
	{"Madame la Préfète de la région Île-de-France", "Madame la Préfète", "ma haute considération"},
	{"Monsieur le ministre de l'intérieur", "Monsieur le Ministre", "très haute considération"},
	{"Madame Claire Martin", "Madame", "mes salutations distinguées"},
	{"Direction départementale des territoires", "Madame, Monsieur", "mes salutations distinguées"},
}

func TestAppellationAndClosing(t *testing.T) {
	for _, c := range appellationCases {
		app, title := appellationFor(c.to)
		if cl := closingFor(Organisation{}, app, title); app != c.app || !strings.Contains(cl, c.closing) || !strings.Contains(cl, app) {
			t.Errorf("%q: %q / %q", c.to, app, cl)
		}
	}
}

// With a model, the parts are the model's (restored and guarded: the
// invented link goes) and the layout is the configuration's.
func TestDraftWithModel(t *testing.T) {
	var prompt string
	f := newFixture(t, fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		prompt = r.Prompt()
		b, _ := json.Marshal(map[string]any{"objet": "Subvention DETR — dossier incomplet", "vref": "Dossier n° 2024-123",
			"pj": []string{"Liste des pièces"}, "corps": []string{"Votre dossier est incomplet [M2] ; voir http://evil.example/x.", "La délibération est attendue [à compléter]."}})
		return fakellm.Response{Text: string(b)}
	}}, func(o *Options, _ *Endpoint, _ *RetryPolicy) { o.Organisation = testOrganisation; o.Now = draftNow })
	d, meta, err := f.a.Draft(context.Background(), DraftRequest{Pass: admit(t, f.a, sampleThread()), To: "Madame la Maire de Provins",
		Instructions: "accorder un délai de quinze jours"}, Callbacks{})
	if err != nil || meta.Degraded {
		t.Fatalf("err %v, degraded %v", err, meta.Degraded)
	}
	for _, w := range []string{"courrier administratif adressé à Madame la Maire de Provins", "accorder un délai de quinze jours", `"corps"`} {
		if !strings.Contains(prompt, w) {
			t.Errorf("prompt lacks %q", w)
		}
	}
	text := d.Text()
	for _, w := range []string{"Objet : Subvention DETR — dossier incomplet", "P.J. : Liste des pièces", "Madame la Maire,", "Votre dossier est incomplet ;", "01 64 71 77 77"} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
	if strings.Contains(text, "evil.example") || strings.Contains(text, "[M2]") {
		t.Errorf("link or reference left:\n%s", text)
	}
}

// TestDraftFiles writes every kind in both formats, reads each back with
// the project's extractor, and has LibreOffice convert it.
func TestDraftFiles(t *testing.T) {
	a := offlineDrafter(t)
	dir := t.TempDir()
	var files []string
	for _, c := range draftCases {
		doc := privacy.Document{Name: "devis.pdf", Text: "Le montant du devis s'élève à 18 400 € TTC."}
		pass := admitAll(t, a, privacy.Request{Task: "draft", Thread: sampleThread(), Documents: []privacy.Document{doc}})
		d, _, err := a.Draft(context.Background(), DraftRequest{Pass: pass, Kind: c.kind, To: c.to,
			Author: addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")}, Callbacks{})
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"odt", "docx"} {
			b, mt, err := d.File(format)
			if err != nil {
				t.Fatal(err)
			}
			got, err := extract.Extract(context.Background(), d.FileName(format), mt, b, extract.Limits{})
			if err != nil {
				t.Fatalf("%s %s: %v", c.kind, format, err)
			}
			for _, w := range []string{"PRÉFET DE SEINE-ET-MARNE", "Melun, le 5 décembre 2026", "Objet : Demande de subvention DETR", "18 400 €", "Pour le préfet et par délégation,"} {
				if !strings.Contains(got.Text, w) {
					t.Errorf("%s %s: extractor lacks %q in:\n%s", c.kind, format, w, got.Text)
				}
			}
			p := filepath.Join(dir, c.kind+"."+format)
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
	}
	soffice := testenv.RequireBinary(t, "soffice", "Debian libreoffice-writer-nogui; make deps")
	out := filepath.Join(dir, "out")
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", out}, files...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for _, f := range files {
		txt := filepath.Join(out, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".txt")
		// both formats of a kind convert to the same name: the last one wins,
		// so check the text exists and holds the letter.
		b, err := os.ReadFile(txt)
		if err != nil {
			t.Fatalf("LibreOffice did not convert %s: %v", f, err)
		}
		for _, w := range []string{"Melun, le 5 décembre 2026", "Objet : Demande de subvention DETR"} {
			if !strings.Contains(string(b), w) {
				t.Errorf("LibreOffice text of %s lacks %q:\n%s", f, w, b)
			}
		}
	}
}
