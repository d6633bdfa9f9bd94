package privacy

import (
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

// nameFormCases: every form of a name, found by every cue, with decoys.
// hidden must not survive in the pseudonymised text; kept must.
var nameFormCases = []struct {
	name   string
	text   string
	hidden []string
	kept   []string
}{
	{"passing mention with avec", "J'en ai parlé avec Karim Benali ce matin.", []string{"Karim", "Benali"}, []string{"ce matin"}},
	{"greeting merci", "Merci Inès pour votre retour.", []string{"Inès"}, []string{"votre retour"}},
	{"greeting bonjour", "Bonjour Grégoire,\nle dossier est prêt.", []string{"Grégoire"}, nil},
	{"civility then surname alone", "Madame Haddad a écrit. Nous rappellerons Haddad demain.", []string{"Haddad"}, nil},
	{"no half name after greeting", "Bonjour Karim,\nKarim Haddad sera présent.", []string{"Karim", "Haddad"}, nil},
	{"no half name after civility", "M. Dupuis viendra. Jean Dupuis a confirmé.", []string{"Jean", "Dupuis"}, nil},
	{"compound first name", "Copie à : Anne-Sophie Lemaire, Jean-Baptiste Ndiaye", []string{"Anne-Sophie", "Lemaire", "Jean-Baptiste", "Ndiaye"}, []string{"Copie à"}},
	{"particle names", "Rendez-vous avec Anne de La Rochefoucauld puis Mme Le Goff.", []string{"Rochefoucauld", "Goff", "Anne"}, nil},
	{"vietnamese", "Entretien avec Nguyen Thi Mai le 3 mars.", []string{"Nguyen", "Thi", "Mai le"}, []string{"3 mars"}},
	{"west african uncued", "Le dossier de Fatoumata Diallo est complet.", []string{"Fatoumata", "Diallo"}, []string{"Le dossier"}},
	{"surname in capitals", "Envoyé par Karim BENALI. BENALI attend.", []string{"Karim", "BENALI"}, nil},
	{"initial and surname", "Madame Lefebvre-Morin a signé ; J. Lefebvre-Morin aussi.", []string{"Lefebvre", "J. "}, nil},
	{"list items", "Présents :\n- Ioana Popescu (DDETS)\n- Joaquim Ferreira\n", []string{"Ioana", "Popescu", "Joaquim", "Ferreira"}, []string{"DDETS"}},
	{"street named after a person", "Rendez-vous rue Victor Hugo, puis au lycée Jean Moulin.", nil, []string{"Victor Hugo", "Jean Moulin"}},
	{"room and plan", "Réunion en salle Marianne sur le plan Vigipirate.", nil, []string{"Marianne", "Vigipirate"}},
	{"communes and institutions", "La sous-préfecture de Provins et la mairie de Fontainebleau saisissent le Conseil départemental du Val-de-Marne.", nil, []string{"Provins", "Fontainebleau", "Val-de-Marne"}},
	{"law", "En application de la loi Veil et de la circulaire Valls du 28 novembre 2012.", nil, []string{"Veil", "Valls"}},
	{"function not a person", "Monsieur le Préfet remercie Madame la Directrice.", nil, []string{"Préfet", "Directrice"}},
}

func TestNameForms(t *testing.T) {
	for _, c := range nameFormCases {
		t.Run(c.name, func(t *testing.T) {
			s := NewPseudonymizer(PIIOptions{}).Session()
			s.LearnThread(&mail.Thread{Messages: []*mail.Message{{New: c.text}}})
			got := s.Text(c.text)
			for _, h := range c.hidden {
				if strings.Contains(got, h) {
					t.Errorf("%q left in clear: %q", h, got)
				}
			}
			for _, k := range c.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%q replaced: %q", k, got)
				}
			}
			if s.Restore(got) != c.text {
				t.Errorf("Restore = %q", s.Restore(got))
			}
		})
	}
}
