package assist

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
)

var headerDateTests = []struct {
	name   string
	header string
	msg    time.Time
	want   bool
}{
	{"thunderbird", "le 02/03/2026 à 10:14, bernard lefebvre a écrit :", time.Date(2026, 3, 2, 10, 14, 0, 0, paris), true},
	{"outlook fr", "de : julien caron envoyé : mardi 3 mars 2026 09:02", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), true},
	{"outlook en", "from: x sent: tuesday, march 3, 2026 9:02 am", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), true},
	{"gmail en", "on tue, mar 3, 2026 at 4:02 pm x wrote:", time.Date(2026, 3, 3, 16, 2, 0, 0, paris), true},
	{"reader in another zone", "envoyé : mardi 3 mars 2026 08:02", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), true},
	{"other minute", "envoyé : mardi 3 mars 2026 09:07", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), false},
	{"other day", "envoyé : jeudi 5 mars 2026", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), false},
	{"no date", "marie a écrit :", time.Date(2026, 3, 3, 9, 2, 0, 0, paris), false},
}

func TestHeaderDates(t *testing.T) {
	for _, tt := range headerDateTests {
		t.Run(tt.name, func(t *testing.T) {
			got := false
			for _, d := range headerDates(tt.header) {
				got = got || d.matches(tt.msg)
			}
			if got != tt.want {
				t.Fatalf("match %v, want %v (dates %v)", got, tt.want, headerDates(tt.header))
			}
		})
	}
}

// outlookQuote quotes text the way Outlook does with its underscore rule.
func outlookQuote(from, sent, text string) string {
	return "________________________________\nDe : " + from + "\nEnvoyé : " + sent +
		"\nÀ : Paul Bernard <paul.bernard@prefecture.gouv.fr>\nObjet : RE: Demande de subvention DETR\n\n" + text
}

func TestQuotedHeaderNamesThreadMessage(t *testing.T) {
	// Message 3 quotes message 2 under an Outlook header, re-wrapped and
	// with a sentence the quoting client altered: the header names message 2
	// (sender and date), so nothing of it is cited again.
	th := sampleThread()
	th.Messages[2].Quoted = outlookQuote("Paul Bernard <paul.bernard@prefecture.gouv.fr>", "mardi 2 juillet 2024 14:05",
		"Madame,\n\nLe dossier est incomplet : il manque la délibération\ndu conseil municipal et le plan de financement (version modifiée).\n\nPaul Bernard\nChef du bureau des finances locales")
	as := assembleThread(th, "fr", boundary, 10000)
	for _, bad := range []string{"Historique cité", "Envoyé :", "version modifiée", "________"} {
		if strings.Contains(as.data, bad) {
			t.Errorf("prompt contains %q:\n%s", bad, as.data)
		}
	}
}

func TestCitedHistoryOutlookAbsent(t *testing.T) {
	// Message 2 quotes, under an Outlook header, a message of a sender the
	// thread lacks: it is cited once, with who wrote it and when, and the
	// offline engine uses it only after the thread's own text, headers and
	// signature left out.
	th := sampleThread()
	th.Messages[1].Quoted = outlookQuote("Service DETR <detr@prefecture.gouv.fr>", "jeudi 20 juin 2024 10:00",
		"Bonjour,\n\nLes dossiers DETR 2024 doivent être déposés avant le 30 juin.\n\nService DETR\nPréfecture de l'Exemple\nTél. : 01 23 45 67 00\n\nCe message et ses éventuelles pièces jointes sont confidentiels et établis à l'attention exclusive de leurs destinataires.")
	th.Messages[2].Quoted = "> Les dossiers DETR 2024 doivent être déposés avant le 30 juin."
	as := assembleThread(th, "fr", boundary, 10000)
	if n := strings.Count(as.data, "doivent être déposés avant le 30 juin"); n != 1 {
		t.Fatalf("cited sentence present %d times:\n%s", n, as.data)
	}
	for _, want := range []string{"[Historique cité, absent du fil :]\nDe : Service DETR", "Envoyé : jeudi 20 juin 2024 10:00"} {
		if !strings.Contains(as.data, want) {
			t.Errorf("prompt lacks %q:\n%s", want, as.data)
		}
	}
	for _, bad := range []string{"Objet :", "À :", "____", "01 23 45 67 00", "confidentiels"} {
		if strings.Contains(as.data, bad) {
			t.Errorf("prompt contains %q:\n%s", bad, as.data)
		}
	}

	cands := threadSentences(th)
	firstCited := -1
	for i, c := range cands {
		if m := quoteJunkRE.FindString(c.text); m != "" {
			t.Errorf("candidate %q contains %q", c.text, m)
		}
		if c.cited && firstCited < 0 {
			firstCited = i
		}
		if !c.cited && firstCited >= 0 {
			t.Errorf("own sentence %q after cited history", c.text)
		}
	}
	if firstCited < 0 || !strings.Contains(cands[firstCited].text, "30 juin") {
		t.Fatalf("cited sentence not a candidate: %+v", cands)
	}
	a, _ := New(Options{})
	s, _, err := a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, a, th), Length: "short"}, Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, kp := range s.KeyPoints {
		if strings.Contains(kp, "30 juin") {
			t.Errorf("cited history ranked before the thread's own text: %q", s.KeyPoints)
		}
	}
}

func TestQuotedSectionsNested(t *testing.T) {
	q := "Le 03/07/2024 à 09:00, Claire Martin a écrit :\n> Bonjour,\n>\n> Voici la pièce.\n>\n> Le 02/07/2024 à 14:05, Paul Bernard a écrit :\n> > Il manque une pièce.\n"
	secs := quotedSections(q)
	if len(secs) != 2 {
		t.Fatalf("%d sections, want 2: %+v", len(secs), secs)
	}
	if !strings.Contains(strings.Join(secs[0].header, " "), "Claire Martin") || !strings.Contains(strings.Join(secs[0].paras, " "), "Voici la pièce.") {
		t.Errorf("first section %+v", secs[0])
	}
	if !strings.Contains(strings.Join(secs[1].header, " "), "Paul Bernard") || strings.Join(secs[1].paras, " ") != "Il manque une pièce." {
		t.Errorf("second section %+v", secs[1])
	}
}

func FuzzQuotedSections(f *testing.F) {
	f.Add(outlookQuote("A <a@b.fr>", "mardi 2 juillet 2024 14:05", "Texte.\n\n-----Message d'origine-----\nDe : B\nEnvoyé : 1/7/2024\nObjet : x\n\nAutre."))
	f.Add("Le 02/07/2024 à 14:05, X a écrit :\n> a\n> > Le 01/07/2024, Y a écrit :\n> > > b")
	f.Add("On Tue, Mar 3, 2026 at 4:02 PM X\n<x@y.fr> wrote:\n> hello")
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > 1<<16 {
			return
		}
		secs := quotedSections(q)
		if len(secs) > maxQuotedSections {
			t.Fatalf("%d sections", len(secs))
		}
		th := &mail.Thread{Messages: []*mail.Message{{From: []mail.Address{addr("X", "x@y.fr")}, Date: time.Date(2024, 7, 2, 14, 5, 0, 0, paris)}}}
		for _, s := range secs {
			_ = namesThreadMessage(s.header, th)
		}
	})
}
