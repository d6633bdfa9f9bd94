package assist

import (
	"context"
	"errors"
	"fmt"
	"github.com/plume-admin/plume/mail"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist/fakellm"
)

func TestBudgetRespected(t *testing.T) {
	f := newFixture(t, fakellm.Options{Default: validSummary}, func(_ *Options, ep *Endpoint, _ *RetryPolicy) {
		ep.ContextWindow, ep.MaxOutput = 2048, 512
	})
	th := parseChain(t, genChain(20, "thunderbird"))
	_, meta, err := f.a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, f.a, th)}, Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	r := f.srv.Requests()[0]
	sent := CountTokens(r.Messages[0].Content) + CountTokens(r.Messages[1].Content)
	if sent > 2048-512 {
		t.Fatalf("prompt of %d tokens exceeds window 2048 - output 512", sent)
	}
	if len(meta.Cut) == 0 || !strings.Contains(strings.Join(meta.Cut, "; "), "left out") {
		t.Fatalf("cut not reported: %v", meta.Cut)
	}
	if r.MaxTokens != 512 {
		t.Fatalf("max tokens %d", r.MaxTokens)
	}
	// The newest message is whole.
	last := th.Latest()
	for _, s := range sentences(last.New) {
		if len(words(s)) >= 3 && !strings.Contains(r.Last(), s) {
			t.Fatalf("latest message cut: %q missing", s)
		}
	}
}

var actionCases = []struct {
	def  ActionDef
	want string // "" = valid
}{
	{ActionDef{Name: "dossier-incomplet", Label: "Réponse type : dossier incomplet", Kind: "template", Text: "Madame, Monsieur,\n\nVotre dossier {{references}} du {{date}} est incomplet : {{input.pieces}}.", Inputs: []ActionInput{{Name: "pieces", Label: "Pièces manquantes", Required: true}}}, ""},
	{ActionDef{Name: "note-cabinet", Label: "Note de synthèse pour le cabinet", Text: "Rédige une note de synthèse pour le cabinet sur « {{subject}} »."}, ""},
	{ActionDef{Name: "Bad Name", Label: "x", Text: "y"}, `action "Bad Name": name`},
	{ActionDef{Name: "nolabel", Text: "y"}, `action "nolabel": label is empty`},
	{ActionDef{Name: "kind", Label: "x", Kind: "script", Text: "y"}, `action "kind": kind "script"`},
	{ActionDef{Name: "empty", Label: "x"}, `action "empty": text is empty`},
	{ActionDef{Name: "unknown", Label: "x", Text: "Bonjour {{destinataire}}"}, `action "unknown": unknown placeholder {{destinataire}}`},
	{ActionDef{Name: "undeclared", Label: "x", Text: "{{input.motif}}"}, `action "undeclared": placeholder {{input.motif}} names an undeclared input`},
	{ActionDef{Name: "unused", Label: "x", Text: "y", Inputs: []ActionInput{{Name: "motif", Label: "Motif"}}}, `action "unused": input "motif" is declared but never used`},
	{ActionDef{Name: "braces", Label: "x", Text: "{{subject"}, `action "braces": unbalanced`},
}

func TestActionValidation(t *testing.T) {
	for _, c := range actionCases {
		t.Run(c.def.Name, func(t *testing.T) {
			_, err := New(Options{Actions: []ActionDef{c.def}})
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidAction) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := New(Options{Actions: []ActionDef{actionCases[0].def, actionCases[0].def}}); !errors.Is(err, ErrInvalidAction) {
		t.Fatalf("duplicate accepted: %v", err)
	}
}

func TestRunAction(t *testing.T) {
	f := newFixture(t, fakellm.Options{Default: "Note pour le cabinet : la commune demande un délai."}, func(o *Options, _ *Endpoint, _ *RetryPolicy) {
		o.Actions = []ActionDef{actionCases[0].def, actionCases[1].def}
	})
	if got := f.a.Actions(); len(got) != 2 || got[0].Name != "dossier-incomplet" {
		t.Fatalf("actions %+v", got)
	}
	th := sampleThread()
	r, meta, err := f.a.RunAction(context.Background(), "dossier-incomplet", ThreadRequest{Pass: admit(t, f.a, th)}, map[string]string{"pieces": "le plan de financement"}, Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Madame, Monsieur,\n\nVotre dossier 2024-123 du 04/07/2024 est incomplet : le plan de financement." || meta.Model != "template" {
		t.Fatalf("template result %q meta %+v", r.Text, meta)
	}
	if len(f.srv.Requests()) != 0 {
		t.Fatal("template action called the model")
	}
	if _, _, err := f.a.RunAction(context.Background(), "dossier-incomplet", ThreadRequest{Pass: admit(t, f.a, th)}, nil, Callbacks{}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("missing required input: %v", err)
	}
	r, _, err = f.a.RunAction(context.Background(), "note-cabinet", ThreadRequest{Pass: admit(t, f.a, th)}, nil, Callbacks{})
	if err != nil || !strings.Contains(r.Text, "Note pour le cabinet") {
		t.Fatalf("prompt action: %v %+v", err, r)
	}
	if p := f.srv.Requests()[0].Last(); !strings.Contains(p, "Rédige une note de synthèse pour le cabinet sur « RE: Demande de subvention DETR n° 2024-123 »") {
		t.Fatalf("action prompt:\n%s", p)
	}
	if _, _, err := f.a.RunAction(context.Background(), "nope", ThreadRequest{Pass: admit(t, f.a, th)}, nil, Callbacks{}); !errors.Is(err, ErrUnknownAction) {
		t.Fatalf("unknown action: %v", err)
	}
}

var deadlineCases = []struct {
	text, due, as string
}{
	{"Merci de transmettre ces pièces sous huitaine.", "2024-07-10", "sous huitaine"},
	{"Réponse attendue avant le 15 juillet.", "2024-07-15", "avant le 15 juillet"},
	{"Nous transmettrons le plan d'ici vendredi.", "2024-07-05", "d'ici vendredi"},
	{"Dossier à rendre au plus tard le 3 janvier 2025.", "2025-01-03", "au plus tard le 3 janvier 2025"},
	{"Retour attendu le 20/07.", "2024-07-20", "le 20/07"},
	{"Merci de répondre sous 10 jours.", "2024-07-12", "sous 10 jours"},
	{"À rendre d'ici la fin du mois.", "2024-07-31", "fin du mois"},
	{"Please reply by Friday.", "2024-07-05", "by Friday"},
	{"Nous en reparlerons la semaine prochaine.", "", "la semaine prochaine"},
	{"Pour mémoire, avant le 5 mai.", "2025-05-05", "avant le 5 mai"},
	{"Rappel : réponse attendue avant le 28 juin.", "2024-06-28", "avant le 28 juin"}, // a late reminder stays in the past
	{"Il vous appartient d'afficher cet arrêté sous 48 heures.", "2024-07-04", "sous 48 heures"},
	{"Vous disposez d'un délai de trois mois pour produire les pièces.", "2024-10-02", "d'un délai de trois mois"},
	{"Merci de vous déconnecter vendredi soir.", "2024-07-05", "vendredi soir"},
	{"Je vous adresserai la note mardi prochain.", "2024-07-09", "mardi prochain"},
	{"Vérifiez les pièces rafraîchies dès aujourd'hui.", "2024-07-02", "dès aujourd'hui"},
	{"Déclarez les logements dans les 8 jours de la libération.", "", "dans les 8 jours de la"},
	{"Transmettez votre pouvoir avant la séance.", "", "avant la séance"}, // the meeting's day comes from the message (actionDeadline)
}

func TestFindDeadline(t *testing.T) {
	ref := time.Date(2024, 7, 2, 14, 5, 0, 0, paris) // a Tuesday
	for _, c := range deadlineCases {
		d, ok := findDeadline(c.text, ref)
		if !ok || isoDate(d.due) != c.due || d.text != c.as {
			t.Errorf("findDeadline(%q) = %q %q %v, want %q %q", c.text, isoDate(d.due), d.text, ok, c.due, c.as)
		}
	}
	if _, ok := findDeadline("Bonne journée.", ref); ok {
		t.Error("deadline found in a sentence without one")
	}
}

func TestOfflineSummary(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, meta, err := a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, a, sampleThread())}, Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	if !meta.Degraded || meta.Endpoint != "offline" || meta.DegradedReason != "no model configured" || !strings.HasPrefix(s.Summary, "[Résumé automatique hors ligne") {
		t.Fatalf("not marked offline: %+v %q", meta, s.Summary)
	}
	var dues []string
	for _, it := range s.ActionItems {
		dues = append(dues, it.Due+"|"+it.DueText)
	}
	if !strings.Contains(strings.Join(dues, ","), "2024-07-10|sous huitaine") {
		t.Fatalf("action items %+v", s.ActionItems)
	}
	if len(s.Participants) != 2 || !strings.Contains(s.Participants[0].Role, "a ouvert l'échange") || !strings.Contains(s.Participants[0].Role, "Secrétaire générale") {
		t.Fatalf("participants %+v", s.Participants)
	}
	if len(s.OpenQuestions) == 0 || !strings.HasSuffix(s.OpenQuestions[0], "?") {
		t.Fatalf("open questions %+v", s.OpenQuestions)
	}
}

var replyConventionCases = []struct {
	tone, signature, name    string
	appellation, closingPart string
}{
	{"formel", "Claire Martin\nDirectrice de la citoyenneté", "Claire Martin", "Madame la directrice,", "ma haute considération"},
	{"formel", "Jean Petit\nLe préfet", "Jean Petit", "Monsieur le préfet,", "Je vous prie d'agréer, Monsieur le préfet, l'expression de ma haute considération."},
	{"formel", "Cabinet du préfet", "Jean Petit", "Madame, Monsieur,", "mes salutations distinguées"},
	{"formel", "Mme Durand\nMaire de Exemple-sur-Loire", "Mme Durand", "Madame la maire,", "haute considération"},
	{"neutre", "", "Jean Petit", "Bonjour,", "Cordialement,"},
	{"cordial", "", "Jean Petit", "Bonjour Jean,", "Bien cordialement,"},
}

// threadTitleCases are titles the thread gives the correspondent outside
// the signature of the message answered.
var threadTitleCases = []struct {
	name                     string
	edit                     func(th *mail.Thread)
	appellation, closingPart string
}{
	{"signature of an earlier message", func(th *mail.Thread) {
		th.Messages[0].Signature = "Claire Martin\nDirectrice générale des services"
		th.Messages[2].Signature = "Claire Martin"
	}, "Madame la directrice,", "Je vous prie d'agréer, Madame la directrice, l'expression de ma haute considération."},
	{"appellation written to the correspondent", func(th *mail.Thread) {
		th.Messages[0].Signature, th.Messages[2].Signature = "Claire Martin", "Claire Martin"
		th.Messages[1].New = "Monsieur le Maire,\n\nLe dossier est incomplet. Merci de transmettre les pièces sous huitaine."
	}, "Monsieur le Maire,", "Je vous prie d'agréer, Monsieur le Maire, l'expression de ma haute considération."},
	{"military title in the signature", func(th *mail.Thread) {
		th.Messages[2].Signature = "Général de brigade Claire Martin\nCommandant la région de gendarmerie"
	}, "Mon Général,", "l'expression de ma haute considération."},
	{"a plain appellation gives no title", func(th *mail.Thread) {
		th.Messages[0].Signature, th.Messages[2].Signature = "Claire Martin", "Claire Martin"
	}, "Madame, Monsieur,", "mes salutations distinguées"},
}

func TestReplyConventionsFromThread(t *testing.T) {
	a, _ := New(Options{})
	for _, c := range threadTitleCases {
		t.Run(c.name, func(t *testing.T) {
			th := sampleThread()
			c.edit(th)
			r, _, err := a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, a, th)}, Tone: "formel", Kind: "reply"}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, "\n"+c.appellation+"\n") || !strings.Contains(r.Text, c.closingPart) {
				t.Errorf("reply\n%s", r.Text)
			}
		})
	}
}

func TestReplyConventions(t *testing.T) {
	a, _ := New(Options{})
	for _, c := range replyConventionCases {
		th := sampleThread()
		for _, m := range th.Messages {
			if m.From[0].Address == th.Latest().From[0].Address {
				m.Signature, m.From[0].Name = c.signature, c.name
			}
		}
		r, meta, err := a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, a, th)}, Tone: c.tone, Kind: "missing_documents"}, Callbacks{})
		if err != nil {
			t.Fatal(err)
		}
		if !meta.Degraded || !strings.Contains(r.Text, "hors ligne") {
			t.Fatal("offline reply not marked")
		}
		if !strings.Contains(r.Text, "\n"+c.appellation+"\n") || !strings.Contains(r.Text, c.closingPart) || !strings.Contains(r.Text, "[à compléter]") {
			t.Errorf("%s/%q: reply\n%s", c.tone, c.signature, r.Text)
		}
	}
}

func TestDocumentMapReduce(t *testing.T) {
	f := newFixture(t, fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		if strings.Contains(r.Last(), "résumés successifs") {
			return fakellm.Response{Text: "# Synthèse\n\nLe rapport décrit 12 sections."}
		}
		return fakellm.Response{Text: "## Résumé partiel\n\n| Poste | Montant |\n|---|---|\n| Travaux | 100 |"}
	}}, func(_ *Options, ep *Endpoint, _ *RetryPolicy) { ep.ContextWindow, ep.MaxOutput = 1500, 300 })
	var sb strings.Builder
	sb.WriteString("# Rapport d'activité 2023\n\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&sb, "## Section %d\n\n", i)
		for k := 0; k < 6; k++ {
			fmt.Fprintf(&sb, "Le service a traité %d dossiers au titre de l'action %d, avec un délai moyen de %d jours et un taux de satisfaction de %d pour cent. ", 100*i+k, k, 10+k, 80+k)
		}
		sb.WriteString("\n\n| Indicateur | 2022 | 2023 |\n|---|---|---|\n")
		for k := 0; k < 8; k++ {
			fmt.Fprintf(&sb, "| Indicateur %d.%d | %d | %d |\n", i, k, k*3, k*4)
		}
		sb.WriteString("\n")
	}
	var progress []string
	var tokens strings.Builder
	d, meta, err := f.a.SummarizeDocument(context.Background(), DocumentRequest{Pass: admitDoc(t, f.a, "rapport.pdf", sb.String())},
		Callbacks{Progress: func(done, total int, stage string) {
			progress = append(progress, fmt.Sprintf("%s %d/%d", stage, done, total))
		},
			Token: func(s string) { tokens.WriteString(s) }})
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.srv.Requests()
	if d.Chunks < 3 || len(reqs) != d.Chunks+1 || d.Summary != "# Synthèse\n\nLe rapport décrit 12 sections." || tokens.String() != d.Summary {
		t.Fatalf("chunks %d, %d requests, summary %q, streamed %q", d.Chunks, len(reqs), d.Summary, tokens.String())
	}
	for i, r := range reqs[:d.Chunks] {
		sent := CountTokens(r.Messages[0].Content) + CountTokens(r.Messages[1].Content)
		if sent > 1500-300 {
			t.Errorf("part %d: %d tokens", i+1, sent)
		}
		if !strings.Contains(r.Last(), "# ") || !strings.Contains(r.Last(), fmt.Sprintf("partie %d sur %d", i+1, d.Chunks)) {
			t.Errorf("part %d lacks its heading or position", i+1)
		}
		// a table never loses its header row
		for _, line := range strings.Split(r.Last(), "\n") {
			if strings.HasPrefix(line, "| Indicateur ") && !strings.Contains(r.Last(), "| Indicateur | 2022 | 2023 |") {
				t.Errorf("part %d: table rows without header", i+1)
				break
			}
		}
	}
	if progress[0] != fmt.Sprintf("chunk 0/%d", d.Chunks) || progress[len(progress)-1] != "reduce 1/1" {
		t.Fatalf("progress %v", progress)
	}
	if meta.PromptTokens == 0 || meta.Degraded {
		t.Fatalf("meta %+v", meta)
	}
}
