package privacy

import (
	"errors"
	"strings"
	"testing"
)

// identifierCases are the identifiers préfecture mail carries, each with
// decoys of the same shape that are not personal data.
var identifierCases = []struct {
	name string
	text string
	want []string // "kind:matched text"
}{
	{"agdref", "Son numéro étranger : 7501234567.", []string{"agdref:7501234567"}},
	{"agdref n°", "N° AGDREF 9912345678 (titre en cours)", []string{"agdref:9912345678"}},
	{"agdref spaced", "numéro d'étranger 75 01 23 45 67", []string{"agdref:75 01 23 45 67"}},
	{"agdref no cue", "Le lot 7501234567 est arrivé.", nil},
	{"agdref cue too far", "numéro étranger inconnu ; dossier 2025-04120 transmis, lot 7501234567", nil},
	{"passport", "passeport 18AB12345 expiré", []string{"passport:18AB12345"}},
	{"passport bare", "Copie du 07FR55123 jointe.", []string{"passport:07FR55123"}},
	{"passport spaced", "passeport n° 18 AB 12345", []string{"passport:18 AB 12345"}},
	{"passport spaced no cue", "lot 18 AB 12345", nil},
	{"idcard old", "CNI n° 880692310285 délivrée en 2015", []string{"idcard:880692310285"}},
	{"idcard new", "carte nationale d'identité X4RTBPFW4", []string{"idcard:X4RTBPFW4"}},
	{"idcard new needs a digit", "carte d'identité PERDUEXXX", nil},
	{"idcard no cue", "Référence 880692310285.", nil},
	{"taxid", "numéro fiscal : 1234567890123", []string{"taxid:1234567890123"}},
	{"taxid spaced", "N° fiscal 12 34 567 890 123", []string{"taxid:12 34 567 890 123"}},
	{"taxid first digit", "numéro fiscal 9234567890123", nil},
	{"taxid no cue", "montant 1234567890123", nil},
	{"plate siv", "véhicule immatriculé AB-123-CD", []string{"plate:AB-123-CD"}},
	{"plate siv bare", "le AB-123-CD était garé", []string{"plate:AB-123-CD"}},
	{"plate siv spaced cue", "immatriculation GH 456 JK", []string{"plate:GH 456 JK"}},
	{"plate siv spaced no cue", "voir GH 456 JK", nil},
	{"plate siv letters I O U", "AI-123-OU", nil},
	{"plate fni", "plaque 1234 AB 56", []string{"plate:1234 AB 56"}},
	{"plate fni no cue", "salle 1234 AB 56", nil},
	{"birthdate", "Mme X, née le 14/08/1959 à Oran", []string{"birthdate:14/08/1959"}},
	{"birthdate né(e)", "né(e) le 3 mars 1980", []string{"birthdate:3 mars 1980"}},
	{"birthdate label", "Date de naissance : 01.02.1975", []string{"birthdate:01.02.1975"}},
	{"birthdate born at", "Né à Bamako le 1er janvier 1990.", []string{"birthdate:1er janvier 1990"}},
	{"meeting date", "Je ne peux pas venir le 14/03/2025.", nil},
	{"meeting date 2", "Réunion le 3 mars 2025 en salle 204.", nil},
	{"caf", "allocataire CAF n° 1234567", []string{"caf:1234567"}},
	{"caf no cue", "Le marché 1234567 est attribué.", nil},
	{"case number", "dossier 2025-0412 : numéro étranger à venir", nil},
	{"article", "article L. 313-11 du CESEDA", nil},
	{"amount", "une amende de 1 234 567 euros", nil},
	{"room", "bureau 1234567, salle B-204", nil},
}

func TestIdentifiers(t *testing.T) {
	for _, c := range identifierCases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range detectAll(c.text) {
				got = append(got, string(s.kind)+":"+c.text[s.start:s.end])
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%q: got %q, want %q", c.text, got, c.want)
			}
			s := NewPseudonymizer(PIIOptions{}).Session()
			if out := s.Text(c.text); s.Restore(out) != c.text {
				t.Errorf("round trip %q → %q", c.text, out)
			}
		})
	}
}

// TestIdentifierKindsSwitch: each new kind is switched off by pii_kinds.
func TestIdentifierKindsSwitch(t *testing.T) {
	for _, k := range []Kind{KindAGDREF, KindPassport, KindIDCard, KindTaxID, KindPlate, KindBirthdate, KindCAF} {
		if _, ok := parseKind(string(k)); !ok {
			t.Errorf("parseKind(%q) unknown", k)
		}
	}
	text := "passeport 18AB12345, né le 14/08/1959"
	got := NewPseudonymizer(PIIOptions{Kinds: []string{"birthdate"}}).Session().Text(text)
	if got != "passeport 18AB12345, né le [NAISSANCE_1]" {
		t.Errorf("only birthdate: %q", got)
	}
}

// orgPatternCases: an organisation's own identifier, with and without its cue.
var orgPatternCases = []struct {
	name, text, want string
}{
	{"with cue", "Dossier usager DU-2025-000123 reçu.", "Dossier usager [IDENTIFIANT_1] reçu."},
	{"cue in capitals", "DOSSIER USAGER : DU-2025-000124", "DOSSIER USAGER : [IDENTIFIANT_1]"},
	{"without cue", "Référence interne DU-2025-000123.", "Référence interne DU-2025-000123."},
	{"glued", "XDU-2025-000123", "XDU-2025-000123"},
}

func TestOrgPatterns(t *testing.T) {
	opts := PIIOptions{Patterns: []Pattern{{Name: "dossier usager", Regex: `DU-\d{4}-\d{6}`, Cues: []string{"dossier usager"}}}}
	if err := opts.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range orgPatternCases {
		t.Run(c.name, func(t *testing.T) {
			s := NewPseudonymizer(opts).Session()
			got := s.Text(c.text)
			if got != c.want || s.Restore(got) != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
	for _, bad := range []Pattern{{Name: "x", Regex: "("}, {Name: "x", Regex: "a*"}, {Regex: "DU"}, {Name: "x", Regex: "DU", Cues: []string{" "}}} {
		if err := bad.Validate(); !errors.Is(err, ErrBadPattern) {
			t.Errorf("Validate(%+v) = %v", bad, err)
		}
	}
	off := NewPseudonymizer(PIIOptions{Kinds: []string{"name"}, Patterns: opts.Patterns}).Session()
	if got := off.Text(orgPatternCases[0].text); got != orgPatternCases[0].text {
		t.Errorf("org switched off: %q", got)
	}
}
