package mail

import (
	"strings"
	"testing"
)

// splitCase is one text and what Split must find in it. Each want* string
// must be contained in the matching part; each not* string must not.
type splitCase struct {
	name      string
	text      string
	wantNew   []string
	notNew    []string
	wantQuote []string
	wantSig   []string
	fwdFrom   string
}

var splitCases = []splitCase{
	{
		name:      "gt block with French attribution",
		text:      "Bonjour,\n\nJe valide.\n\nLe lun. 3 juin 2024 à 10:02, Marie Dupont <marie.dupont@rhone.gouv.fr> a écrit :\n> Pouvez-vous valider ?\n> Merci",
		wantNew:   []string{"Je valide."},
		notNew:    []string{"a écrit", "Pouvez-vous"},
		wantQuote: []string{"a écrit", "Pouvez-vous valider ?"},
	},
	{
		name:      "gt block with English attribution",
		text:      "Agreed.\n\nOn Mon, Jun 3, 2024 at 10:02 AM John Smith <john@example.com> wrote:\n> Shall we meet on Tuesday?",
		wantNew:   []string{"Agreed."},
		notNew:    []string{"wrote", "Tuesday"},
		wantQuote: []string{"Shall we meet on Tuesday?"},
	},
	{
		name:      "attribution wrapped over two lines (French)",
		text:      "C'est noté.\n\nLe lun. 3 juin 2024 à 10:02, Marie Dupont <\nmarie.dupont@rhone.gouv.fr> a écrit :\n> Réunion jeudi.",
		wantNew:   []string{"C'est noté."},
		notNew:    []string{"marie.dupont", "Réunion"},
		wantQuote: []string{"Réunion jeudi."},
	},
	{
		name:      "attribution wrapped over two lines (English)",
		text:      "Fine by me.\n\nOn Mon, Jun 3, 2024 at 10:02 AM John Smith\n<john@example.com> wrote:\n\n> Budget attached.",
		wantNew:   []string{"Fine by me."},
		notNew:    []string{"john@example.com", "Budget"},
		wantQuote: []string{"Budget attached."},
	},
	{
		name:      "attribution followed by unmarked text",
		text:      "Merci.\n\nLe 03/06/2024 à 10:02, Marie Dupont a écrit :\nVoici la note demandée.",
		wantNew:   []string{"Merci."},
		notNew:    []string{"Voici la note"},
		wantQuote: []string{"Voici la note demandée."},
	},
	{
		name:      "inline reply keeps interleaved new text",
		text:      "On Mon, Jun 3, 2024, John wrote:\n> Can you come on Monday?\nYes, at 10.\n> And bring the file?\nOf course.",
		wantNew:   []string{"Yes, at 10.", "Of course."},
		notNew:    []string{"Monday", "wrote"},
		wantQuote: []string{"Can you come on Monday?", "And bring the file?"},
	},
	{
		name:      "Outlook French header block",
		text:      "Bonjour,\n\nCi-joint l'arrêté signé.\n\nDe : Jean Martin <jean.martin@interieur.gouv.fr>\nEnvoyé : lundi 3 juin 2024 09:00\nÀ : Marie Dupont <marie.dupont@rhone.gouv.fr>\nCc : Bureau du courrier\nObjet : RE: Arrêté\n\nPouvez-vous me transmettre l'arrêté ?",
		wantNew:   []string{"Ci-joint l'arrêté signé."},
		notNew:    []string{"Envoyé", "transmettre"},
		wantQuote: []string{"Envoyé : lundi 3 juin 2024 09:00", "Pouvez-vous me transmettre"},
	},
	{
		name:      "Outlook English header block",
		text:      "Please see below.\n\nFrom: Jane Doe <jane@example.org>\nSent: Monday, June 3, 2024 9:00 AM\nTo: John Smith <john@example.com>\nSubject: Budget\n\nCould you send the budget?",
		wantNew:   []string{"Please see below."},
		notNew:    []string{"Could you send"},
		wantQuote: []string{"Sent: Monday", "Could you send the budget?"},
	},
	{
		name:      "Outlook bold header in plain text after underscores",
		text:      "OK pour moi.\n\n________________________________\n*De :* Jean Martin <jean.martin@interieur.gouv.fr>\n*Envoyé :* lundi 3 juin 2024 09:00\n*À :* Marie Dupont\n*Objet :* Planning\n\nVoici le planning.",
		wantNew:   []string{"OK pour moi."},
		notNew:    []string{"____", "planning."},
		wantQuote: []string{"Voici le planning."},
	},
	{
		name:      "Original Message separator",
		text:      "See my answer.\n\n-----Original Message-----\nFrom: Jane Doe\nSent: Monday\nTo: John\nSubject: Question\n\nWhat time?",
		wantNew:   []string{"See my answer."},
		notNew:    []string{"Original", "What time?"},
		wantQuote: []string{"What time?"},
	},
	{
		name:      "Message d'origine separator (Outlook)",
		text:      "Vu.\n\n-----Message d'origine-----\nDe : Jean\nEnvoyé : lundi\nÀ : Marie\nObjet : Question\n\nQuelle heure ?",
		wantNew:   []string{"Vu."},
		notNew:    []string{"Quelle heure"},
		wantQuote: []string{"Quelle heure ?"},
	},
	{
		name:      "Message d'origine separator (Thunderbird)",
		text:      "Vu.\n\n-------- Message d'origine --------\nSujet : Question\nDate : 03/06/2024 10:02\nDe : Jean\n\nQuelle heure ?",
		wantNew:   []string{"Vu."},
		notNew:    []string{"Quelle heure"},
		wantQuote: []string{"Quelle heure ?"},
	},
	{
		name:    "Thunderbird French forward",
		text:    "Pour information.\n\n-------- Message transféré --------\nSujet : Convocation\nDate : Mon, 3 Jun 2024 10:02:00 +0200\nDe : Marie Dupont <marie.dupont@rhone.gouv.fr>\nPour : Jean Martin <jean@x.fr>\n\nVous êtes convoqué le 12 juin.",
		wantNew: []string{"Pour information.", "Vous êtes convoqué le 12 juin."},
		notNew:  []string{"Message transféré", "Sujet :"},
		fwdFrom: "Marie Dupont <marie.dupont@rhone.gouv.fr>",
	},
	{
		name:    "Gmail forward",
		text:    "FYI\n\n---------- Forwarded message ---------\nFrom: Jane Doe <jane@example.org>\nDate: Mon, Jun 3, 2024 at 10:02 AM\nSubject: Minutes\nTo: John <john@example.com>\n\nHere are the minutes.",
		wantNew: []string{"FYI", "Here are the minutes."},
		notNew:  []string{"Forwarded message"},
		fwdFrom: "Jane Doe <jane@example.org>",
	},
	{
		name:    "Apple Mail French forward in quote block",
		text:    "À lire.\n\nDébut du message réexpédié :\n\n> De: Marie Dupont <marie@x.fr>\n> Objet: Note\n> Date: 3 juin 2024 à 10:02:00 UTC+2\n> À: Jean <jean@x.fr>\n>\n> La note est prête.",
		wantNew: []string{"À lire.", "La note est prête."},
		fwdFrom: "Marie Dupont <marie@x.fr>",
	},
	{
		name:    "Thunderbird English forward",
		text:    "-------- Forwarded Message --------\nSubject: Meeting\nDate: Mon, 3 Jun 2024 10:02:00 +0200\nFrom: Jane Doe <jane@example.org>\nTo: John\n\nMeeting moved to 3pm.",
		wantNew: []string{"Meeting moved to 3pm."},
		fwdFrom: "Jane Doe <jane@example.org>",
	},
	{
		name:    "dash-dash-space signature",
		text:    "See you tomorrow.\n\n-- \nJohn Smith\nExample Corp",
		wantNew: []string{"See you tomorrow."},
		notNew:  []string{"John Smith"},
		wantSig: []string{"John Smith", "Example Corp"},
	},
	{
		name:    "Envoyé de mon iPhone",
		text:    "D'accord, je m'en occupe.\n\nEnvoyé de mon iPhone",
		wantNew: []string{"D'accord, je m'en occupe."},
		notNew:  []string{"iPhone"},
		wantSig: []string{"Envoyé de mon iPhone"},
	},
	{
		name:    "Sent from my phone",
		text:    "Will do.\n\nSent from my Samsung Galaxy smartphone.",
		wantNew: []string{"Will do."},
		wantSig: []string{"Sent from my Samsung Galaxy"},
	},
	{
		name:    "Outlook mobile",
		text:    "Vu, merci.\n\nObtenir Outlook pour Android",
		wantNew: []string{"Vu, merci."},
		wantSig: []string{"Obtenir Outlook pour Android"},
	},
	{
		name:    "French administrative signature block",
		text:    "Bonjour,\n\nLe comité se réunira le 12 juin à 14 h en salle 3.\n\nBien cordialement,\n\nMarie Dupont\nCheffe du bureau de la coordination interministérielle\nPréfecture du Rhône – Direction de la citoyenneté\n106 rue Pierre Corneille\n69003 Lyon\nTél. : 04 72 61 60 60",
		wantNew: []string{"Le comité se réunira", "Bien cordialement,"},
		notNew:  []string{"Marie Dupont", "Corneille"},
		wantSig: []string{"Marie Dupont", "Cheffe du bureau", "69003 Lyon", "04 72 61 60 60"},
	},
	{
		name:    "administrative block without closing formula",
		text:    "Merci de me confirmer votre présence avant vendredi.\n\nJean Martin\nChargé de mission\nDDT du Rhône\n01 23 45 67 89",
		wantNew: []string{"Merci de me confirmer"},
		notNew:  []string{"Chargé de mission"},
		wantSig: []string{"Jean Martin", "DDT du Rhône"},
	},
	{
		name:    "English signature block",
		text:    "The report is attached.\n\nBest regards,\nJane Doe\nHead of Procurement\nExample Agency\nPhone: +44 20 7946 0000",
		wantNew: []string{"The report is attached.", "Best regards,"},
		notNew:  []string{"Procurement"},
		wantSig: []string{"Jane Doe", "Head of Procurement"},
	},
	{
		name:    "French confidentiality disclaimer",
		text:    "Voici le compte rendu.\n\nCordialement,\nMarie\n\nCe message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires. Si vous n'êtes pas le destinataire, merci de le détruire.",
		wantNew: []string{"Voici le compte rendu.", "Cordialement,"},
		notNew:  []string{"confidentiels", "Marie"},
		wantSig: []string{"Marie", "Ce message et toutes les pièces jointes sont confidentiels"},
	},
	{
		name:    "English confidentiality disclaimer",
		text:    "Noted, thanks.\n\nThis e-mail and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it.",
		wantNew: []string{"Noted, thanks."},
		notNew:  []string{"confidential"},
		wantSig: []string{"intended solely"},
	},
	{
		name:    "confidential in the text is not a disclaimer",
		text:    "Ces documents sont confidentiels, merci de ne pas les diffuser.\n\nMerci de votre retour.",
		wantNew: []string{"sont confidentiels", "Merci de votre retour."},
	},
	{
		name:    "nothing recognised is all new",
		text:    "Une seule ligne.",
		wantNew: []string{"Une seule ligne."},
	},
}

func TestSplit(t *testing.T) { runSplitCases(t, splitCases) }

// runSplitCases checks Split on each case, as a subtest.
func runSplitCases(t *testing.T, cases []splitCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, q, s, f := Split(tc.text)
			check := func(part, label string, want []string, present bool) {
				t.Helper()
				for _, w := range want {
					if strings.Contains(part, w) != present {
						t.Errorf("%s: contains(%q) = %v, want %v\nnew=%q\nquoted=%q\nsig=%q", label, w, !present, present, n, q, s)
					}
				}
			}
			check(n, "new", tc.wantNew, true)
			check(n, "new", tc.notNew, false)
			check(q, "quoted", tc.wantQuote, true)
			check(s, "signature", tc.wantSig, true)
			if tc.fwdFrom != "" {
				if f == nil || f.From != tc.fwdFrom {
					t.Errorf("forward = %+v, want From %q", f, tc.fwdFrom)
				}
			} else if f != nil {
				t.Errorf("forward = %+v, want none", f)
			}
		})
	}
}
