package assist

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
)

// testOrganisation is a préfecture with two procedures: one where silence
// means acceptance (subvention DETR, two months) and one where it means
// rejection (titre de séjour, four months, CESEDA R432-2).
var testOrganisation = Organisation{
	Letterhead: []string{"PRÉFET DE SEINE-ET-MARNE", "Liberté Égalité Fraternité", "Direction de la citoyenneté"},
	Name:       "préfecture de Seine-et-Marne", Place: "Melun",
	Service: "Bureau du séjour", Address: "12 rue des Saints-Pères, 77010 Melun Cedex",
	Phone: "01 64 71 77 77", Email: "pref-sejour@seine-et-marne.gouv.fr",
	Signatory: "Le préfet", Delegation: "Pour le préfet et par délégation,", SignerTitle: "le secrétaire général",
	Court: "tribunal administratif de Melun",
	Procedures: []Procedure{
		{Name: "detr", Label: "demande de subvention DETR", Keywords: []string{"DETR"}, Silence: SilenceAccepts, DelayMonths: 2,
			Service: "Bureau des finances locales", PiecesDays: 30},
		{Name: "titre_sejour", Label: "demande de titre de séjour", Keywords: []string{"titre de séjour"}, Silence: SilenceRejects,
			DelayMonths: 4, Basis: "article R432-2 du CESEDA", PiecesDays: 15},
	},
}

// sejourThread is one request for a titre de séjour, received on 31 October.
func sejourThread() *mail.Thread {
	return &mail.Thread{Messages: []*mail.Message{{
		MessageID: "<s1@exemple.fr>",
		From:      []mail.Address{addr("Amadou Diallo", "amadou.diallo@exemple.fr")},
		To:        []mail.Address{addr("Bureau du séjour", "pref-sejour@seine-et-marne.gouv.fr")},
		Date:      time.Date(2024, 10, 31, 9, 0, 0, 0, paris),
		Subject:   "Demande de renouvellement de titre de séjour", NormSubject: "Demande de renouvellement de titre de séjour",
		New: "Madame, Monsieur,\n\nJe sollicite le renouvellement de mon titre de séjour, qui expire le 15 décembre. " +
			"Vous trouverez ci-joint mon passeport et un justificatif de domicile.\n\nAmadou Diallo",
	}}}
}

var receiptCases = []struct {
	name       string
	thread     func() *mail.Thread
	procedure  string
	missing    []string
	want, deny []string
}{
	{name: "silence vaut acceptation", thread: sampleThread, want: []string{
		"Date de réception de votre demande : 4 juillet 2024.",
		"Bureau des finances locales, préfecture de Seine-et-Marne",
		"pref-sejour@seine-et-marne.gouv.fr", "01 64 71 77 77", "12 rue des Saints-Pères",
		"décision implicite d'acceptation", "réputée acceptée le 4 septembre 2024", "deux mois", "article L231-1",
		"attestation", "L232-3", "L112-3 et R112-5",
	}, deny: []string{"rejet", "recours", "[à compléter"}},
	{name: "silence vaut rejet", thread: sejourThread, want: []string{
		"Date de réception de votre demande : 31 octobre 2024.",
		"Bureau du séjour, préfecture de Seine-et-Marne",
		"décision implicite de rejet", "réputée rejetée le 28 février 2025", "quatre mois", "article R432-2 du CESEDA",
		"deux mois", "recours gracieux", "recours hiérarchique", "tribunal administratif de Melun", "L232-4",
	}, deny: []string{"attestation", "[à compléter"}},
	{name: "incomplète, rejet", thread: sejourThread, missing: []string{"photographie d'identité", "timbre fiscal"}, want: []string{
		"Votre demande est incomplète", "avant le 20 juillet 2024", "photographie d'identité", "timbre fiscal",
		"suspendu pendant le délai imparti", "L114-5", "recours contentieux",
	}},
	{name: "incomplète, acceptation", thread: sampleThread, procedure: "detr", missing: []string{"délibération du conseil municipal"}, want: []string{
		"à compter de la réception des pièces manquantes", "avant le 4 août 2024", "ne court qu'à compter de la réception de ces pièces", "L114-5",
	}, deny: []string{"réputée acceptée le"}},
	{name: "procédure inconnue", thread: sejourThread, procedure: "permis_de_chasse", want: []string{
		"[à compléter : la demande est-elle susceptible", "31 octobre 2024",
	}},
}

func TestReceiptMentionsOffline(t *testing.T) {
	a, err := New(Options{Organisation: testOrganisation, Now: func() time.Time { return time.Date(2024, 7, 5, 10, 0, 0, 0, paris) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range receiptCases {
		t.Run(c.name, func(t *testing.T) {
			th := c.thread()
			r, meta, err := a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, a, th)},
				Kind: KindReceipt, Tone: "formel", Procedure: c.procedure, Missing: c.missing,
				Signer: th.Messages[0].To[0]}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			if !meta.Degraded {
				t.Error("offline answer not marked degraded")
			}
			for _, w := range c.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("missing %q in:\n%s", w, r.Text)
				}
			}
			for _, d := range c.deny {
				if strings.Contains(r.Text, d) {
					t.Errorf("unexpected %q in:\n%s", d, r.Text)
				}
			}
			// the mentions come before the formule de politesse
			if i, j := strings.Index(r.Text, "Mentions prévues"), strings.Index(r.Text, "Je vous prie d'agréer"); i < 0 || j < 0 || i > j {
				t.Errorf("mentions not before the closing:\n%s", r.Text)
			}
			if !strings.Contains(r.HTML, "L112-3") {
				t.Error("HTML not rebuilt with the mentions")
			}
		})
	}
}

// With a model, the letter is the model's and the mentions are computed:
// the model is told not to write dates or contacts, and the phone number
// and address of the configuration survive the output guard, which would
// remove them from the model's text.
func TestReceiptWithModel(t *testing.T) {
	var prompt string
	f := newFixture(t, fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		prompt = r.Prompt()
		return fakellm.Response{Text: "Madame, Monsieur,\n\nJ'accuse réception de votre demande. Appelez le 01 99 88 77 66.\n\nJe vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.\n\nPaul Bernard"}
	}}, func(o *Options, _ *Endpoint, _ *RetryPolicy) { o.Organisation = testOrganisation })
	th := sejourThread()
	r, meta, err := f.a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, f.a, th)},
		Kind: KindReceipt, Signer: th.Messages[0].To[0]}, Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Degraded {
		t.Fatalf("degraded: %s", meta.DegradedReason)
	}
	if !strings.Contains(prompt, "mentions légales sont ajoutées automatiquement") {
		t.Errorf("the model was not told the mentions are added:\n%s", prompt)
	}
	if strings.Contains(r.Text, "01 99 88 77 66") {
		t.Error("the model's invented number passed the guard")
	}
	for _, w := range []string{"réputée rejetée le 28 février 2025", "01 64 71 77 77", "pref-sejour@seine-et-marne.gouv.fr", "tribunal administratif de Melun"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("missing %q in:\n%s", w, r.Text)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"2024-10-31", "2025-02-28"}, {"2024-01-31", "2024-02-29"}, {"2024-07-04", "2024-09-04"}} {
		d, _ := time.Parse("2006-01-02", c.in)
		n := 4
		if c.in != "2024-10-31" {
			n = map[string]int{"2024-01-31": 1, "2024-07-04": 2}[c.in]
		}
		if got := addMonths(d, n).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.in, n, got, c.want)
		}
	}
}
