package privacy

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

// markingCases fix the rule: in a subject or header every occurrence
// counts; in body text only an occurrence that stands as a marking.
var markingCases = []struct {
	name  string
	where string
	text  string
	want  []string
}{
	// Subject: always, tolerant of case, accents and spacing.
	{"subject upper", "subject", "DIFFUSION RESTREINTE - Note au préfet", []string{LabelDiffusionRestreinte}},
	{"subject lower in prose", "subject", "Point sur la diffusion restreinte des comptes rendus", []string{LabelDiffusionRestreinte}},
	{"subject double space", "subject", "Note DIFFUSION  RESTREINTE", []string{LabelDiffusionRestreinte}},
	{"subject [DR]", "subject", "[DR] Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject (DR)", "subject", "Réunion de crise (DR)", []string{LabelDiffusionRestreinte}},
	{"subject DR prefix", "subject", "RE: TR: DR - Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR colon", "subject", "DR: bilan", []string{LabelDiffusionRestreinte}},
	// Every reply or forward prefix mail.NormalizeSubject knows, in every spelling.
	{"subject DR after Ré :", "subject", "Ré : DR – Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR after RÉ :", "subject", "RÉ : DR – Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR after SV:", "subject", "SV: DR - Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR after Re(2):", "subject", "Re(2): DR - Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR after Re[3] :", "subject", "Re[3] : DR - Réunion de crise", []string{LabelDiffusionRestreinte}},
	{"subject DR after Antw: VS: RV:", "subject", "Antw: VS: RV: DR - Réunion", []string{LabelDiffusionRestreinte}},
	{"subject DR after [EXT] Re: Re:", "subject", "[EXT] Re: Re: DR - Réunion", []string{LabelDiffusionRestreinte}},
	{"subject DR after narrow nbsp", "subject", "TR\u202f: DR - Réunion", []string{LabelDiffusionRestreinte}},
	{"subject DR region after Ré :", "subject", "Ré : DR Occitanie : réunion", nil},
	{"subject DR region is not a marking", "subject", "DR Occitanie : réunion", nil},
	{"subject Dr is a title", "subject", "Rendez-vous avec le Dr Martin", nil},
	{"subject special france no accent", "subject", "SPECIAL FRANCE - fiche", []string{LabelSpecialFrance}},
	{"subject spécial france mixed", "subject", "Spécial France : fiche", []string{LabelSpecialFrance}},
	{"subject confidentiel personnel", "subject", "Confidentiel personnel - dossier RH", []string{LabelConfidentielPersonnel}},
	{"subject two markings", "subject", "[DR] SPÉCIAL FRANCE", []string{LabelSpecialFrance, LabelDiffusionRestreinte}},
	{"subject diffusion only", "subject", "Liste de diffusion", nil},
	{"subject underscore", "subject", "DIFFUSION_RESTREINTE", []string{LabelDiffusionRestreinte}},

	// Headers.
	{"header value", "header:X-Classification", "Diffusion Restreinte", []string{LabelDiffusionRestreinte}},
	{"header DR", "header:X-Classification", "DR", []string{LabelDiffusionRestreinte}},
	{"header DR lower", "header:X-Classification", "dr", []string{LabelDiffusionRestreinte}},
	{"header sensitivity", "header:Sensitivity", "Company-Confidential", nil},
	{"header other DR not abbreviation", "header:X-Mailer", "DR Mailer", nil},

	// Body: stands as a marking.
	{"body alone on line", "body", "Bonjour,\n\nDIFFUSION RESTREINTE\n\nVoici la note.", []string{LabelDiffusionRestreinte}},
	{"body alone mixed case", "body", "Bonjour,\n\nDiffusion restreinte\n\nVoici la note.", []string{LabelDiffusionRestreinte}},
	{"body broken over lines", "body", "Bonjour,\n\nDiffusion\nRestreinte\n\nVoici la note.", []string{LabelDiffusionRestreinte}},
	{"body decorated", "body", "Note\n*** Diffusion restreinte ***\ntexte", []string{LabelDiffusionRestreinte}},
	{"body brackets", "body", "Voici la note [diffusion restreinte] du cabinet.", []string{LabelDiffusionRestreinte}},
	{"body parentheses", "body", "Voici la note (Diffusion Restreinte) du cabinet.", []string{LabelDiffusionRestreinte}},
	{"body capitals in sentence", "body", "Ce document est DIFFUSION RESTREINTE et ne doit pas circuler.", []string{LabelDiffusionRestreinte}},
	{"body start of document", "body", "Diffusion restreinte – note à l'attention du préfet.", []string{LabelDiffusionRestreinte}},
	{"body mention label", "body", "Objet : note\nMention : diffusion restreinte\nTexte.", []string{LabelDiffusionRestreinte}},
	{"body niveau de protection", "body", "Texte.\nNiveau de protection : spécial France", []string{LabelSpecialFrance}},
	{"body quoted", "body", "Ok.\n\n> DIFFUSION RESTREINTE\n> texte", []string{LabelDiffusionRestreinte}},
	{"body first line DR", "body", "DR\nNote sur la crise", []string{LabelDiffusionRestreinte}},
	{"body [DR]", "body", "Texte [DR] suite", []string{LabelDiffusionRestreinte}},
	{"body nbsp", "body", "Texte\nDIFFUSION\u00a0RESTREINTE\n", []string{LabelDiffusionRestreinte}},
	{"body decomposed accent", "body", "Texte\nSPE\u0301CIAL FRANCE\n", []string{LabelSpecialFrance}},

	// Body: ordinary prose is not a marking.
	{"prose diffusion restreinte aux membres", "body", "Bonjour,\nJe propose une diffusion restreinte aux membres du bureau.", nil},
	{"prose sentence start mid document", "body", "Bonjour,\nDiffusion restreinte aux membres du bureau, merci.", nil},
	{"prose special france", "body", "Bonjour,\nUn numéro spécial France Info sur les élections.", nil},
	{"prose confidentiel", "body", "Bonjour,\nc'est un courrier confidentiel personnel pour toi, ne t'inquiète pas.", nil},
	{"prose DR region", "body", "Bonjour,\nLa DR Occitanie (DR) a répondu.", nil},
	{"prose dr initials line", "body", "Bonjour,\nmerci.\nDR", nil},
	{"prose empty", "body", "", nil},

	// Attachment text follows the body rule.
	{"attachment marking", "attachment:note.pdf", "PRÉFET DU RHÔNE\n\nDIFFUSION RESTREINTE\n\nNote", []string{LabelDiffusionRestreinte}},
	{"attachment prose", "attachment:cr.docx", "Compte rendu\nLa diffusion restreinte du rapport a été décidée.", nil},
}

func TestDetectorText(t *testing.T) {
	d, err := NewDetector(MarkingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range markingCases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, m := range d.Text(c.where, c.text) {
				got = append(got, m.Label)
				if m.Where != c.where {
					t.Errorf("Where = %q, want %q", m.Where, c.where)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Text(%q, %q) = %q, want %q", c.where, c.text, got, c.want)
			}
		})
	}
}

func TestDetectorConfiguredTermsAndHeaders(t *testing.T) {
	d, err := NewDetector(MarkingOptions{Terms: []string{"Secret médical"}, Headers: []string{"X-Niveau"}})
	if err != nil {
		t.Fatal(err)
	}
	m := &mail.Message{
		Subject: "Dossier",
		Headers: map[string]string{"X-Niveau": "DR"},
		Text:    "Bonjour,\n\nSECRET MEDICAL\n\nSuite.",
	}
	got := d.Message(m)
	want := []mail.Marking{
		{Label: LabelDiffusionRestreinte, Where: "header:X-Niveau"},
		{Label: "SECRET MÉDICAL", Where: "body"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Message = %v, want %v", got, want)
	}
	if _, err := NewDetector(MarkingOptions{Terms: []string{" -- "}}); !errors.Is(err, ErrBadTerm) {
		t.Errorf("NewDetector(bad term) err = %v, want ErrBadTerm", err)
	}
}

func TestDetectorMessageAndThread(t *testing.T) {
	d, _ := NewDetector(MarkingOptions{})
	t1 := &mail.Message{Subject: "Réunion", Text: "Bonjour,\nrien de spécial."}
	t2 := &mail.Message{
		Subject:     "RE: Réunion",
		Headers:     map[string]string{"X-Classification": "Spécial France"},
		New:         "D'accord.",
		Quoted:      "> DIFFUSION RESTREINTE\n> Bonjour",
		Attachments: []mail.Attachment{{Name: "Note_DIFFUSION_RESTREINTE.pdf"}},
		Forwarded:   &mail.Forward{Subject: "[DR] Crise"},
	}
	th := &mail.Thread{Messages: []*mail.Message{t1, t2}}
	before, _ := json.Marshal(th)
	got := d.Thread(th)
	if after, _ := json.Marshal(th); !bytes.Equal(before, after) {
		t.Errorf("Thread changed the thread:\n%s\n%s", before, after)
	}
	var labels []string
	for _, m := range got {
		labels = append(labels, m.Label)
	}
	if !slices.Equal(labels, []string{LabelDiffusionRestreinte, LabelSpecialFrance}) {
		t.Errorf("Thread labels = %q", labels)
	}
	if got := d.Message(t1); len(got) != 0 {
		t.Errorf("unmarked message got %v", got)
	}
	t2Markings := d.Message(t2)
	wheres := map[string]bool{}
	for _, m := range t2Markings {
		wheres[m.Where] = true
	}
	for _, w := range []string{"subject", "header:X-Classification", "body", "attachment:Note_DIFFUSION_RESTREINTE.pdf"} {
		if !wheres[w] {
			t.Errorf("no marking found in %s: %v", w, t2Markings)
		}
	}
	// The same answer twice: nothing is remembered on the message.
	if again := d.Message(t2); !slices.Equal(again, t2Markings) {
		t.Errorf("second Message = %v, first %v", again, t2Markings)
	}
	if d.Message(nil) != nil || d.Thread(nil) != nil {
		t.Error("nil input should give nil")
	}
	if !strings.Contains(strings.Join(d.Headers(), ","), "x-classification") {
		t.Errorf("Headers() = %v", d.Headers())
	}
}

// TestDetectorQuickCheckKeepsFoldedForms: the cheap check that skips texts
// without a term's word folds as the full search does, so accents, case
// and decomposed letters still find the term.
func TestDetectorQuickCheckKeepsFoldedForms(t *testing.T) {
	d, err := NewDetector(MarkingOptions{Terms: []string{"SECRET MÉDICAL"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"DIFFUSION RESTRÉINTE",
		"DIFFUSION RESTRE\u0301INTE",
		"diffusion restreinte",
		"SPECIAL FRANCE",
		"SECRET MEDICAL",
		"Secret me\u0301dical",
	} {
		if got := d.Text("subject", text); len(got) == 0 {
			t.Errorf("%q: no marking", text)
		}
	}
	if got := d.Text("subject", "Réunion de service"); len(got) != 0 {
		t.Errorf("plain subject: %v", got)
	}
}

func TestFoldLowerIsFoldInLowerCase(t *testing.T) {
	for _, s := range []string{"Œuvre Spéciale – n° 12", "RESTRE\u0301INTE\u00a0x", "ß æ ’"} {
		if got, want := foldLower(s), strings.ToLower(fold(s).s); got != want {
			t.Errorf("foldLower(%q) = %q, want %q", s, got, want)
		}
	}
}
