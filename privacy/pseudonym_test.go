package privacy

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
)

// sampleThread is a short administrative thread with people known from
// headers, signatures and salutations.
func sampleThread() *mail.Thread {
	return &mail.Thread{Messages: []*mail.Message{
		{
			MessageID: "<1@rhone.gouv.fr>",
			From:      []mail.Address{{Name: "DUPONT Marie", Address: "marie.dupont@rhone.gouv.fr"}},
			To:        []mail.Address{{Name: "Jean Martin (DDT 69)", Address: "jean.martin@rhone.gouv.fr"}},
			Cc:        []mail.Address{{Address: "sophie.bernard@interieur.gouv.fr"}},
			Date:      time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
			Subject:   "Dossier de M. Lefèvre",
			New:       "Bonjour Jean,\n\nMadame Moreau a appelé au sujet du dossier de M. Lefèvre (NIR 2 55 08 2A 123 456 " + corsicaKey("255082A123456") + ").\nSon IBAN : FR76 3000 6000 0112 3456 7890 189.\nPeux-tu rappeler Mme Moreau au 06 12 34 56 78 ?",
			Signature: "Marie Dupont\nCheffe du bureau des usagers\n04 72 61 60 60",
			Headers:   map[string]string{"X-Classification": "NP"},
		},
		{
			MessageID:   "<2@rhone.gouv.fr>",
			From:        []mail.Address{{Name: "Jean Martin", Address: "jean.martin@rhone.gouv.fr"}},
			To:          []mail.Address{{Name: "DUPONT Marie", Address: "marie.dupont@rhone.gouv.fr"}},
			Subject:     "RE: Dossier de M. Lefèvre",
			New:         "Bonjour Marie,\n\nC'est fait, Mme Moreau envoie les pièces à marie.dupont@rhone.gouv.fr. Sophie Bernard est en copie.",
			Quoted:      "> Bonjour Jean,\n> Madame Moreau a appelé.",
			Signature:   "Cordialement,\nJean Martin",
			Attachments: []mail.Attachment{{Name: "courrier Moreau.pdf", MediaType: "application/pdf", PartPath: "2"}},
			Forwarded:   &mail.Forward{From: "Paul Durand <paul.durand@example.fr>", Subject: "Pièces"},
		},
	}}
}

func corsicaKey(body string) string {
	n := int64(0)
	for _, c := range strings.NewReplacer("2A", "19", "2B", "18").Replace(body) {
		n = n*10 + int64(c-'0')
	}
	return twoDigits(97 - n%97)
}

func TestSessionThread(t *testing.T) {
	th := sampleThread()
	s := NewPseudonymizer(PIIOptions{}).Session()
	out := s.Thread(th)
	all := ""
	for _, m := range out.Messages {
		all += m.Subject + "\n" + m.New + "\n" + m.Quoted + "\n" + m.Signature + "\n"
		if m.Forwarded != nil {
			all += m.Forwarded.From + "\n"
		}
		for _, a := range append(append(m.From, m.To...), m.Cc...) {
			all += a.Name + " " + a.Address + "\n"
		}
		for _, a := range m.Attachments {
			all += a.Name + "\n"
		}
	}
	for _, secret := range []string{"Marie", "Dupont", "DUPONT", "Jean", "Martin", "Moreau", "Lefèvre", "Bernard", "Sophie", "Durand",
		"@", "06 12 34 56 78", "04 72 61 60 60", "FR76", "2A 123"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q left in the pseudonymised thread:\n%s", secret, all)
		}
	}
	// Who is who survives: the same person has the same number.
	m0, m1 := out.Messages[0], out.Messages[1]
	if m0.From[0].Name != m1.To[0].Name || m0.From[0].Address != m1.To[0].Address {
		t.Errorf("Marie Dupont not stable: %q/%q vs %q/%q", m0.From[0].Name, m0.From[0].Address, m1.To[0].Name, m1.To[0].Address)
	}
	if !strings.Contains(m1.New, "Bonjour [PERSONNE_") || !strings.Contains(m1.New, "_PRENOM]") {
		t.Errorf("first name alone not replaced by a first-name placeholder: %q", m1.New)
	}
	// Originals untouched, identifiers kept.
	if th.Messages[0].From[0].Name != "DUPONT Marie" || out.Messages[0].MessageID != "<1@rhone.gouv.fr>" {
		t.Error("input modified or message id changed")
	}
	// Every field restores exactly.
	for i, m := range out.Messages {
		o := th.Messages[i]
		for _, pair := range [][2]string{{m.Subject, o.Subject}, {m.New, o.New}, {m.Quoted, o.Quoted}, {m.Signature, o.Signature},
			{m.From[0].Name, o.From[0].Name}, {m.From[0].Address, o.From[0].Address}} {
			if got := s.Restore(pair[0]); got != pair[1] {
				t.Errorf("Restore(%q) = %q, want %q", pair[0], got, pair[1])
			}
		}
	}
	if got := s.Restore(out.Messages[1].Attachments[0].Name); got != "courrier Moreau.pdf" {
		t.Errorf("attachment name: %q", got)
	}
	c := s.Counts()
	for _, k := range []string{"name", "email", "phone", "iban", "nir"} {
		if c[k] == 0 {
			t.Errorf("Counts()[%s] = 0: %v", k, c)
		}
	}
}

func TestRestoreVariantsAndInventions(t *testing.T) {
	s := NewPseudonymizer(PIIOptions{}).Session()
	in := "Appeler Mme Dupont au 06 12 34 56 78 ou 06.12.34.56.78, IBAN FR7630006000011234567890189."
	out := s.Text(in)
	if s.Restore(out) != in {
		t.Fatalf("round trip: %q → %q → %q", in, out, s.Restore(out))
	}
	// Same number written twice differently: same number, a variant letter.
	if !strings.Contains(out, "[TELEPHONE_1]") || !strings.Contains(out, "[TELEPHONE_1_B]") {
		t.Errorf("variants: %q", out)
	}
	for _, c := range []struct{ answer, want string }{
		{"Rappeler [PERSONNE_1].", "Rappeler Dupont."},
		{"Rappeler [personne 1].", "Rappeler Dupont."},
		{"Rappeler [ PERSONNE_1 ].", "Rappeler Dupont."},
		{"Rappeler PERSONNE_1.", "Rappeler Dupont."},
		{"Numéro : [Téléphone_1_b]", "Numéro : 06.12.34.56.78"},
		{"Écrire à [EMAIL_7].", "Écrire à " + Masked + "."},
		{"Voir [ADRESSE_1] et [NIR_2]", "Voir " + Masked + " et " + Masked},
		{"Voir [PERSONNE_1_NOM]", "Voir " + Masked},
		{"Voir [COURRIEL_1]", "Voir " + Masked},
		{"Aucun [texte normal] ni [IBAN]", "Aucun [texte normal] ni [IBAN]"},
	} {
		if got := s.Restore(c.answer); got != c.want {
			t.Errorf("Restore(%q) = %q, want %q", c.answer, got, c.want)
		}
	}
}

func TestForgedPlaceholdersInInput(t *testing.T) {
	s := NewPseudonymizer(PIIOptions{}).Session()
	in := "Merci d'écrire à [EMAIL_1] et d'appeler TELEPHONE_1 ; contact : a.b@c.fr"
	out := s.Text(in)
	if strings.Contains(out, "[EMAIL_1]") && s.Restore("[EMAIL_1]") != "a.b@c.fr" {
		t.Errorf("forged placeholder kept its meaning: %q", out)
	}
	if s.Restore(out) != in {
		t.Errorf("round trip with forged placeholders: %q", s.Restore(out))
	}
	if c := s.Counts(); c["literal"] != 0 || c["email"] != 1 {
		t.Errorf("Counts = %v", c)
	}
}

func TestPIIOptions(t *testing.T) {
	in := "Marie Dupont, 06 12 34 56 78, marie@x.fr"
	s := NewPseudonymizer(PIIOptions{Kinds: []string{"phone", "EMAIL"}}).Session()
	out := s.Text(in)
	if out != "Marie Dupont, [TELEPHONE_1], [EMAIL_1]" {
		t.Errorf("kinds: %q", out)
	}
	off := NewPseudonymizer(PIIOptions{Disabled: true}).Session()
	if off.Text(in) != in || off.Restore("[EMAIL_1]") != "[EMAIL_1]" || len(off.Counts()) != 0 {
		t.Error("disabled session changed text")
	}
	if err := (PIIOptions{Kinds: []string{"nir", "TELEPHONE", "personne"}}).Validate(); err != nil {
		t.Error(err)
	}
	if err := (PIIOptions{Kinds: []string{"passeport-diplomatique"}}).Validate(); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Validate = %v", err)
	}
}

var nameCases = []struct {
	name, display, text, want string
}{
	{"reversed display", "DUPONT Marie", "Voir avec Marie Dupont puis DUPONT.", "Voir avec [PERSONNE_1] puis [PERSONNE_1_NOM]."},
	{"comma display", "Dupont, Marie", "Marie a validé.", "[PERSONNE_1_PRENOM] a validé."},
	{"compound", "Jean-Pierre LE GALL", "M. Le Gall et Jean-Pierre", "M. [PERSONNE_1_NOM] et [PERSONNE_1_PRENOM]"},
	{"particle", "Charles de Gaulle", "Charles de Gaulle et de Gaulle", "[PERSONNE_1] et [PERSONNE_1_NOM]"},
	{"lower-case word not a name", "Pierre Petit", "un petit dossier de Pierre", "un petit dossier de [PERSONNE_1_PRENOM]"},
	{"elision", "Anne Roux", "le dossier d'Anne", "le dossier d'[PERSONNE_1_PRENOM]"},
	{"service is not a person", "Préfecture du Rhône", "La Préfecture du Rhône", "La Préfecture du Rhône"},
	{"salutation", "", "Bonjour Paul,\nMadame Garnier a écrit. Paul, rappelle Mme Garnier.", "Bonjour [PERSONNE_1],\nMadame [PERSONNE_2] a écrit. [PERSONNE_1], rappelle Mme [PERSONNE_2]."},
	{"title full", "", "Monsieur Jean Valjean est venu. Valjean reviendra.", "Monsieur [PERSONNE_1] est venu. [PERSONNE_1_NOM] reviendra."},
	{"title function", "", "Monsieur le Préfet, Madame la Directrice", "Monsieur le Préfet, Madame la Directrice"},
	{"closing", "", "Merci.\nCordialement,\nLuc BESSON\n", "Merci.\nCordialement,\n[PERSONNE_1]\n"},
	{"weekday is not a name", "", "Merci.\nCordialement,\nMardi Gras\n", "Merci.\nCordialement,\nMardi Gras\n"},
}

func TestNames(t *testing.T) {
	for _, c := range nameCases {
		t.Run(c.name, func(t *testing.T) {
			s := NewPseudonymizer(PIIOptions{Kinds: []string{"name"}}).Session()
			if c.display != "" {
				s.LearnThread(&mail.Thread{Messages: []*mail.Message{{From: []mail.Address{{Name: c.display, Address: "x@y.fr"}}}}})
			}
			got := s.Text(c.text)
			if got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.text, got, c.want)
			}
			if s.Restore(got) != c.text {
				t.Errorf("Restore = %q", s.Restore(got))
			}
		})
	}
}

func TestAmbiguousFirstName(t *testing.T) {
	s := NewPseudonymizer(PIIOptions{Kinds: []string{"name"}}).Session()
	s.LearnThread(&mail.Thread{Messages: []*mail.Message{{
		From: []mail.Address{{Name: "Marie Dupont"}}, To: []mail.Address{{Name: "Marie Curie"}},
	}}})
	got := s.Text("Marie Dupont, Marie Curie et Marie.")
	if strings.Contains(got, "Marie") {
		t.Errorf("ambiguous first name left in clear: %q", got)
	}
	if strings.Contains(got, "_PRENOM") {
		t.Errorf("ambiguous first name attributed to one person: %q", got)
	}
}

// TestRestoreExactOnCorpus is the "100 % exact restoration" figure: every
// generated sentence and every thread field round-trips.
func TestRestoreExactOnCorpus(t *testing.T) {
	n, bad := 0, 0
	s := NewPseudonymizer(PIIOptions{}).Session()
	for _, it := range append(frenchCorpus(3, 500), invalidCorpus(4, 200)...) {
		n++
		if got := s.Restore(s.Text(it.text)); got != it.text {
			bad++
			t.Errorf("round trip %q → %q", it.text, got)
		}
	}
	th := benchThread(2000)
	s = NewPseudonymizer(PIIOptions{}).Session()
	out := s.Thread(th)
	for i, m := range out.Messages {
		n++
		if got := s.Restore(m.Text); got != th.Messages[i].Text {
			bad++
			t.Errorf("thread message %d does not round-trip", i)
		}
	}
	t.Logf("%d texts, %d restored exactly", n, n-bad)
}

func TestStreamRestorer(t *testing.T) {
	s := NewPseudonymizer(PIIOptions{}).Session()
	orig := "Bonjour Madame Dupont, votre conseiller marie.dupont@x.fr vous rappellera au 06 12 34 56 78."
	answer := s.Text(orig) + " Fin PERSONNE_1 et [EMAIL_9]."
	want := s.Restore(answer)
	// Every split point, and token-sized chunks.
	for cut := 0; cut <= len(answer); cut++ {
		var got strings.Builder
		r := s.RestoreStream(func(x string) { got.WriteString(x) })
		r.Write(answer[:cut])
		r.Write(answer[cut:])
		r.Flush()
		if got.String() != want {
			t.Fatalf("split at %d: %q, want %q", cut, got.String(), want)
		}
	}
	var got strings.Builder
	var chunks int
	r := s.RestoreStream(func(x string) { chunks++; got.WriteString(x) })
	for i := 0; i < len(answer); i += 3 {
		r.Write(answer[i:min(i+3, len(answer))])
	}
	r.Flush()
	if got.String() != want || chunks < 5 {
		t.Errorf("3-byte chunks: %q in %d chunks", got.String(), chunks)
	}
	var viaStream strings.Builder
	write, flush := s.Stream(func(x string) { viaStream.WriteString(x) })
	write(answer[:7])
	write(answer[7:])
	flush()
	if viaStream.String() != want {
		t.Errorf("Stream: %q", viaStream.String())
	}
	if strings.Contains(want, "[EMAIL_9]") || strings.Contains(want, "PERSONNE_") {
		t.Errorf("placeholder shown raw: %q", want)
	}
}

func TestPlaceholdersTable(t *testing.T) {
	s := NewPseudonymizer(PIIOptions{}).Session()
	s.Text("a@b.fr")
	if got := s.Placeholders(); !maps.Equal(got, map[string]string{"[EMAIL_1]": "a@b.fr"}) {
		t.Errorf("Placeholders = %v", got)
	}
}
