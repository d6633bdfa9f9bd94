package privacy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/plume-admin/plume/mail"
)

// This file generates the names corpus of docs/privacy.md: mails of a
// préfecture with people of many origins in varied positions, the
// identifiers of the foreigners', driving-licence and tax services, and a
// decoy corpus of ordinary administrative sentences with no personal data.
// Everything is seeded; the figures are printed by TestNamesCorpus.

// nameOrigins are first names and surnames by origin; people are drawn
// by combining them within an origin.
var nameOrigins = []struct {
	origin       string
	first, last  []string
	familyFirst  bool // the surname is written first ("Nguyen Thi Mai")
	compoundLast bool
}{
	{origin: "French", first: []string{"Pierre", "Marie", "Nathalie", "Grégoire", "Hélène", "Thibault", "Sophie", "Laurent", "Céline", "Yves", "Brigitte", "Mathieu", "Isabelle", "Sébastien", "Aurélie", "Olivier"},
		last: []string{"Lemaire", "Garnier", "Rousseau", "Faure", "Chevalier", "Lefebvre", "Marchand", "Perrin", "Dumas", "Boucher", "Lambert", "Mercier", "Guillot", "Barbier", "Renaud", "Moreau"}},
	{origin: "French compound and particle", first: []string{"Anne-Sophie", "Jean-Baptiste", "Marie-Claire", "Pierre-Yves", "Jean-Luc", "Marie-Hélène", "Louis-Marie", "Anne-Laure"},
		last: []string{"de La Rochefoucauld", "Le Goff", "Le Gall", "de Villiers", "Du Pont", "Saint-Martin", "Lefebvre-Morin", "Le Bihan", "de Montalembert", "Kerhervé"}, compoundLast: true},
	{origin: "Maghrebi", first: []string{"Karim", "Fatima", "Yacine", "Nadia", "Mohamed", "Samira", "Rachid", "Leïla", "Mehdi", "Amina", "Sofiane", "Khadija"},
		last: []string{"Benali", "Haddad", "Bouzid", "Mansouri", "Belkacem", "Cherif", "Ait Ahmed", "Ben Salah", "El Amrani", "Boukhari", "Zerrouki", "Hamidi"}},
	{origin: "West African", first: []string{"Fatoumata", "Mamadou", "Aïssatou", "Ousmane", "Mariama", "Moussa", "Awa", "Ibrahima", "Kadiatou", "Seydou"},
		last: []string{"Diallo", "Traoré", "Ndiaye", "Koné", "Sow", "Camara", "Diop", "Keïta", "Coulibaly", "Sissoko", "Baldé", "Touré"}},
	{origin: "Vietnamese", first: []string{"Thi Mai", "Van Minh", "Thi Lan", "Duc Anh", "Thi Huong", "Quang Huy", "Ngoc Anh"},
		last: []string{"Nguyen", "Tran", "Pham", "Le Van", "Hoang", "Phan", "Vu", "Dang"}, familyFirst: true},
	{origin: "Portuguese", first: []string{"João", "Maria", "António", "Joaquim", "Fernanda", "Rui", "Conceição", "Manuel"},
		last: []string{"Ferreira", "da Silva", "dos Santos", "Rodrigues", "Gonçalves", "Pereira", "Carvalho", "Oliveira"}},
	{origin: "Eastern European", first: []string{"Ioana", "Piotr", "Agnieszka", "Dragoș", "Oksana", "Dmitri", "Katarzyna", "Milan", "Bogdan", "Jelena"},
		last: []string{"Popescu", "Kowalski", "Nowak", "Ionescu", "Shevchenko", "Petrović", "Wiśniewska", "Horváth", "Dvořák", "Kuznetsova"}},
}

// corpusPerson is one generated person.
type corpusPerson struct{ first, last string }

func (p corpusPerson) full() string { return p.first + " " + p.last }

// nameTemplates place people in a mail; {F} first name, {L} surname, {N}
// full name, {U} surname in capitals, {I} initial, {N2} another person.
var nameTemplates = []string{
	"Bonjour {F},",
	"Merci {F} pour ces éléments.",
	"J'en ai parlé avec {N} ce matin.",
	"{N} a déposé sa demande de titre de séjour le 3 mars.",
	"Le dossier de {N} est complet depuis lundi.",
	"Selon {N}, les pièces ont été transmises au bureau de l'asile.",
	"Madame {L} a appelé le standard à 10 heures.",
	"Monsieur {N} sera reçu au guichet jeudi.",
	"M. {L} demande un rendez-vous.",
	"Me {L}, avocat de l'intéressé, a écrit au service.",
	"Copie à : {N}, {N2}",
	"Présents :\n- {N} (DDETS)\n- {N2}",
	"Envoyé par {N}",
	"Cordialement,\n{N}",
	"Bien cordialement,\n{F} {U}",
	"Dossier suivi par {U} {F} au bureau des étrangers.",
	"{L} rappellera l'usager.",
	"{F} confirme la date de la commission.",
	"Signé : {I}. {L}",
	"Merci de contacter {N} au sujet de l'instruction.",
	"La demande de {N} et celle de {N2} sont en cours.",
}

// identifierTemplates carry one identifier each: {V} is the value.
var identifierTemplates = []struct {
	kind Kind
	text string
	gen  func(r *rand.Rand) string
}{
	{KindAGDREF, "Son numéro étranger : {V}.", func(r *rand.Rand) string { return "75" + digits(r, 8) }},
	{KindAGDREF, "N° AGDREF {V} (titre en cours de renouvellement)", func(r *rand.Rand) string { return "99" + digits(r, 8) }},
	{KindPassport, "Copie du passeport n° {V} jointe.", func(r *rand.Rand) string { return digits(r, 2) + upperLetters(r, 2) + digits(r, 5) }},
	{KindIDCard, "Carte nationale d'identité n° {V}.", func(r *rand.Rand) string { return digits(r, 12) }},
	{KindIDCard, "CNI {V} délivrée à Lyon.", func(r *rand.Rand) string {
		return upperLetters(r, 1) + digits(r, 1) + upperLetters(r, 4) + digits(r, 1) + upperLetters(r, 1) + digits(r, 1)
	}},
	{KindTaxID, "Numéro fiscal : {V}", func(r *rand.Rand) string { return fmt.Sprint(r.IntN(4)) + digits(r, 12) }},
	{KindPlate, "Le véhicule immatriculé {V} a été contrôlé.", func(r *rand.Rand) string {
		return plateLetters(r) + "-" + digits(r, 3) + "-" + plateLetters(r)
	}},
	{KindPlate, "Plaque {V} relevée par la police municipale.", func(r *rand.Rand) string {
		return fmt.Sprint(1+r.IntN(9999)) + " " + upperLetters(r, 2) + " " + fmt.Sprintf("%02d", 1+r.IntN(95))
	}},
	{KindBirthdate, "L'intéressée, née le {V}, réside à Créteil.", func(r *rand.Rand) string {
		return fmt.Sprintf("%02d/%02d/%d", 1+r.IntN(28), 1+r.IntN(12), 1940+r.IntN(65))
	}},
	{KindBirthdate, "Date de naissance : {V}", func(r *rand.Rand) string {
		return fmt.Sprintf("%d %s %d", 1+r.IntN(28), []string{"janvier", "mars", "août", "décembre"}[r.IntN(4)], 1940+r.IntN(65))
	}},
	{KindCAF, "Numéro allocataire CAF : {V}.", func(r *rand.Rand) string { return digits(r, 7) }},
}

// decoySentences are ordinary administrative sentences with no personal
// data: places, streets and buildings named after people, communes,
// institutions, plans, laws, case numbers, amounts, articles, dates, rooms.
var decoySentences = []string{
	"La réunion se tiendra le 14 mars 2025 à 10 heures en salle Marianne.",
	"Le lycée Jean Moulin accueillera le forum des métiers de la sécurité.",
	"Les travaux de la rue Victor Hugo seront achevés fin avril.",
	"Le plan Vigipirate est maintenu au niveau urgence attentat.",
	"La sous-préfecture de Provins transmettra le dossier 2025-0412 au bureau du contentieux.",
	"Conformément à l'article L. 313-11 du code de l'entrée et du séjour des étrangers, le titre est délivré de plein droit.",
	"La commune de Fontainebleau sollicite une subvention de 12 500 euros.",
	"Le Conseil départemental du Val-de-Marne a voté le budget primitif.",
	"La Direction départementale des territoires instruit les permis de construire.",
	"Le comité de pilotage se réunira au centre Georges Pompidou.",
	"La circulaire du 28 novembre 2012 précise les critères d'admission exceptionnelle au séjour.",
	"Les crédits du programme 303 sont notifiés à la préfecture de région.",
	"Merci de réserver le bureau 214 pour l'entretien de jeudi.",
	"Le marché a été attribué pour un montant de 48 300 euros hors taxes.",
	"Le Préfet de la Seine-et-Marne a signé l'arrêté le 2 février.",
	"L'hôpital Henri Mondor a signalé une tension sur les lits.",
	"Le dossier est transmis à l'Office français de l'immigration et de l'intégration.",
	"La salle Jean Jaurès est disponible mardi après-midi.",
	"La loi Veil figure au programme de la journée de formation.",
	"Les agents de Melun et de Meaux participeront à la formation du 5 juin.",
	"Le point d'étape aura lieu à Créteil, place Salvador Allende.",
	"Le Ministère de l'Intérieur publiera la note d'information avant l'été.",
	"Rendez-vous à la gare de Lyon Part-Dieu à 9 h 30.",
	"Le collège Pierre Mendès France organise une visite de la caserne.",
	"La France Travail et la Caisse d'allocations familiales tiendront une permanence commune.",
	"L'Agence nationale des titres sécurisés a rétabli le service.",
	"Le dossier 2024-1187 sera examiné par la commission du titre de séjour.",
	"Les crédits de l'opération Cœur de ville sont reconduits.",
	"La préfecture de police de Paris coordonne le dispositif.",
	"L'avenue Charles de Gaulle sera fermée à la circulation dimanche.",
}

func upperLetters(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('A' + r.IntN(26)))
	}
	return b.String()
}

// plateLetters draws two letters of a SIV plate (no I, O or U).
func plateLetters(r *rand.Rand) string {
	const siv = "ABCDEFGHJKLMNPQRSTVWXYZ"
	return string([]byte{siv[r.IntN(len(siv))], siv[r.IntN(len(siv))]})
}

// nameOccurrence is one name written in a generated mail.
type nameOccurrence struct {
	start, end int
	origin     string
}

// corpusMail is one generated mail: its text, the names in it, the
// identifiers in it.
type corpusMail struct {
	text  string
	names []nameOccurrence
	ids   []corpusItem // number = the value; text unused
	idPos [][2]int
}

// drawPerson returns a person of one origin.
func drawPerson(r *rand.Rand) (corpusPerson, string) {
	o := nameOrigins[r.IntN(len(nameOrigins))]
	p := corpusPerson{first: o.first[r.IntN(len(o.first))], last: o.last[r.IntN(len(o.last))]}
	if o.familyFirst {
		p.first, p.last = p.last, p.first // "Nguyen Thi Mai": written family name first
	}
	return p, o.origin
}

// namesCorpus returns n mails of 6 to 10 sentences about 2 or 3 people,
// with one or two identifiers each.
func namesCorpus(seed uint64, n int) []corpusMail {
	r := rand.New(rand.NewPCG(seed, 17))
	var out []corpusMail
	for range n {
		var people []corpusPerson
		var origins []string
		for range 2 + r.IntN(2) {
			p, o := drawPerson(r)
			people = append(people, p)
			origins = append(origins, o)
		}
		var m corpusMail
		var b strings.Builder
		for range 6 + r.IntN(5) {
			if b.Len() > 0 {
				b.WriteString([]string{" ", "\n", "\n\n"}[r.IntN(3)])
			}
			if r.IntN(4) == 0 {
				it := identifierTemplates[r.IntN(len(identifierTemplates))]
				v := it.gen(r)
				i := strings.Index(it.text, "{V}")
				b.WriteString(it.text[:i])
				m.idPos = append(m.idPos, [2]int{b.Len(), b.Len() + len(v)})
				m.ids = append(m.ids, corpusItem{kind: it.kind, number: v})
				b.WriteString(v)
				b.WriteString(it.text[i+3:])
				continue
			}
			k := r.IntN(len(people))
			p, other := people[k], people[(k+1)%len(people)]
			tpl := nameTemplates[r.IntN(len(nameTemplates))]
			for tpl != "" {
				i := strings.IndexByte(tpl, '{')
				if i < 0 {
					b.WriteString(tpl)
					break
				}
				b.WriteString(tpl[:i])
				j := strings.IndexByte(tpl, '}')
				var v, origin = "", origins[k]
				switch tpl[i+1 : j] {
				case "F":
					v = p.first
				case "L":
					v = p.last
				case "N":
					v = p.full()
				case "U":
					v = strings.ToUpper(p.last)
				case "I":
					v = string([]rune(p.first)[:1])
				case "N2":
					v, origin = other.full(), origins[(k+1)%len(people)]
				}
				m.names = append(m.names, nameOccurrence{start: b.Len(), end: b.Len() + len(v), origin: origin})
				b.WriteString(v)
				tpl = tpl[j+1:]
			}
		}
		m.text = b.String()
		out = append(out, m)
	}
	return out
}

// coverage tells how much of the name-part words of text[start:end] the
// name spans cover: all, none, or part (a half name).
func coverage(text string, start, end int, spans []span, kind Kind) (covered, total int) {
	for _, w := range words(text[start:end]) {
		if isParticle(w.fold) && !w.capital {
			continue // "da Silva": the particle alone identifies no one
		}
		total++
		a, z := start+w.start, start+w.end
		for _, s := range spans {
			if s.kind == kind && s.start <= a && z <= s.end {
				covered++
				break
			}
		}
	}
	return covered, total
}

// TestNamesCorpus is the names and identifiers figure of docs/privacy.md.
func TestNamesCorpus(t *testing.T) {
	corpus := namesCorpus(1, 400)
	p := NewPseudonymizer(PIIOptions{})
	names, found, half := 0, 0, 0
	byOrigin := map[string][2]int{}
	ids, idFound := map[Kind]int{}, map[Kind]int{}
	var misses []string
	for _, m := range corpus {
		s := p.Session()
		s.LearnThread(&mail.Thread{Messages: []*mail.Message{{New: m.text}}})
		spans := s.spans(m.text)
		for _, o := range m.names {
			c, n := coverage(m.text, o.start, o.end, spans, KindName)
			names++
			bo := byOrigin[o.origin]
			bo[1]++
			switch {
			case c == n:
				found++
				bo[0]++
			case c > 0:
				half++
				t.Errorf("half a name: %q in %q", m.text[o.start:o.end], lineAround(m.text, o.start))
			default:
				if len(misses) < 15 {
					misses = append(misses, m.text[o.start:o.end]+" in "+lineAround(m.text, o.start))
				}
			}
			byOrigin[o.origin] = bo
		}
		for i, it := range m.ids {
			ids[it.kind]++
			for _, sp := range spans {
				if sp.kind == it.kind && sp.start <= m.idPos[i][0] && m.idPos[i][1] <= sp.end {
					idFound[it.kind]++
				}
			}
		}
		if got := s.Restore(s.Text(m.text)); got != m.text {
			t.Errorf("round trip: %q", m.text)
		}
	}
	recall := float64(found) / float64(names)
	t.Logf("names: %d/%d occurrences pseudonymised whole = %.4f; half names: %d", found, names, recall, half)
	for _, o := range nameOrigins {
		bo := byOrigin[o.origin]
		t.Logf("  %-28s %4d/%4d = %.4f", o.origin, bo[0], bo[1], float64(bo[0])/float64(max(bo[1], 1)))
	}
	totalIDs, totalFound := 0, 0
	for _, k := range []Kind{KindAGDREF, KindPassport, KindIDCard, KindTaxID, KindPlate, KindBirthdate, KindCAF} {
		totalIDs += ids[k]
		totalFound += idFound[k]
		t.Logf("  %-10s %4d/%4d", k, idFound[k], ids[k])
	}
	idRecall := float64(totalFound) / float64(totalIDs)
	t.Logf("identifiers: %d/%d = %.4f", totalFound, totalIDs, idRecall)
	for _, miss := range misses {
		t.Logf("missed: %s", miss)
	}
	if recall < 0.95 {
		t.Errorf("name recall %.4f < 0.95", recall)
	}
	if idRecall < 0.95 {
		t.Errorf("identifier recall %.4f < 0.95", idRecall)
	}
}

// TestDecoyCorpus: ordinary administrative sentences keep ≥ 98 % of
// their tokens, in mails that also name people (so that the name book is
// full, as in real threads).
func TestDecoyCorpus(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	p := NewPseudonymizer(PIIOptions{})
	tokens, kept := 0, 0
	var lost []string
	for _, m := range namesCorpus(3, 200) {
		var b strings.Builder
		var ranges [][2]int
		b.WriteString(m.text)
		for range 4 {
			b.WriteString("\n")
			d := decoySentences[r.IntN(len(decoySentences))]
			ranges = append(ranges, [2]int{b.Len(), b.Len() + len(d)})
			b.WriteString(d)
		}
		text := b.String()
		s := p.Session()
		s.LearnThread(&mail.Thread{Messages: []*mail.Message{{New: text}}})
		spans := s.spans(text)
		for _, rg := range ranges {
			for _, tok := range strings.FieldsFunc(text[rg[0]:rg[1]], func(r rune) bool { return unicode.IsSpace(r) }) {
				tokens++
				_ = tok
			}
			for _, w := range fieldsAt(text, rg[0], rg[1]) {
				hit := false
				for _, sp := range spans {
					if sp.start < w[1] && w[0] < sp.end {
						hit = true
					}
				}
				if !hit {
					kept++
				} else if len(lost) < 15 {
					lost = append(lost, text[w[0]:w[1]]+" in "+text[rg[0]:rg[1]])
				}
			}
		}
	}
	share := float64(kept) / float64(tokens)
	t.Logf("decoys: %d/%d tokens kept = %.4f", kept, tokens, share)
	for _, l := range lost {
		t.Logf("replaced: %s", l)
	}
	if share < 0.98 {
		t.Errorf("decoy tokens kept %.4f < 0.98", share)
	}
}

// fieldsAt returns the byte ranges of the space-separated tokens of text[a:z].
func fieldsAt(text string, a, z int) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range text[a:z] {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, [2]int{a + start, a + i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, [2]int{a + start, z})
	}
	return out
}

// lineAround returns the line of text around byte i.
func lineAround(text string, i int) string {
	a := strings.LastIndexByte(text[:i], '\n') + 1
	z := strings.IndexByte(text[i:], '\n')
	if z < 0 {
		return text[a:]
	}
	return text[a : i+z]
}
