package privacy

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plume-admin/plume/internal/calendar"
)

// person is someone known from the thread. Either part may be empty when
// only a first name ("Bonjour Marie,") or a last name ("Madame Dupont") is known.
type person struct {
	first, last []string // folded tokens
	absorbed    bool     // a fuller name of the same person was learned later
	key         string   // placeholder identity; a fuller name keeps the key of the part it absorbed
	rule        string   // how the person was first learned, for `plume redact --explain`
}

// nameBook is what a session knows about the people of a thread.
type nameBook struct {
	persons []*person
	byKey   map[string]int
	forms   map[string][]nameRef // folded token sequence → who it can be
	maxLen  int
	dirty   bool
	seen    map[string]bool // texts already learnt
}

// nameRef is one reading of a name form.
type nameRef struct {
	person int
	role   string // "", "PRENOM", "NOM"
}

// notNames are capitalised words that are not names: titles, greetings,
// functions and services, so that "Monsieur le Préfet" or "Bonjour à tous"
// teach nothing.
var notNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`MADAME MONSIEUR MADEMOISELLE MESDAMES MESSIEURS MME MLLE MMES MM M MR MRS MS DR PR ME MAITRE DOCTEUR PROFESSEUR
	LE LA LES L DE DU DES D ET A AU AUX EN SUR SOUS PAR POUR UN UNE
	BONJOUR BONSOIR SALUT COUCOU CHER CHERE CHERS CHERES HELLO HI DEAR HEY
	TOUS TOUTES TOUT COLLEGUE COLLEGUES EQUIPE EQUIPES AMI AMIS AMIE ALL TEAM EVERYONE
	PREFET PREFETE PREFECTURE SOUS-PREFET SOUS-PREFETE SOUS-PREFECTURE DIRECTEUR DIRECTRICE PRESIDENT PRESIDENTE MAIRE MINISTRE
	SECRETAIRE SECRETARIAT GENERAL GENERALE CHEF CHEFFE ADJOINT ADJOINTE RESPONSABLE SERVICE SERVICES DIRECTION BUREAU CABINET
	MAIRIE MINISTERE POLE MISSION CELLULE CONTACT ACCUEIL SUPPORT INFO INFOS NOREPLY NO-REPLY REPONDRE ADMIN ADMINISTRATEUR
	ADMINISTRATION COMMISSAIRE CONSEILLER CONSEILLERE DEPUTE DEPUTEE SENATEUR SENATRICE RECTEUR RECTRICE INSPECTEUR INSPECTRICE
	AGENT AGENTS DELEGUE DELEGUEE CHARGE CHARGEE ASSISTANT ASSISTANTE GESTIONNAIRE REFERENT REFERENTE
	CORDIALEMENT MERCI REGARDS BEST SINCERELY RESPECTUEUSEMENT BIEN VOUS NOUS JE
	FRANCE PARIS REPUBLIQUE ETAT DEPARTEMENT REGION COMMUNE
	OBJET DATE SUJET COPIE DIFFUSION RESTREINTE CONFIDENTIEL PERSONNEL SPECIAL URGENT IMPORTANT NOTE`) {
		m[w] = true
	}
	for _, d := range calendar.FrenchWeekdays() {
		m[foldString(d)] = true
	}
	return m
}()

// tokens splits a name into folded tokens; ok is false when it does not
// look like a person's name (digits, "@", a title or service word, too long).
func nameTokens(s string) (toks []string, upper []bool, ok bool) {
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, `"'’,;:()[]<>«»`)
		if w == "" {
			continue
		}
		if strings.ContainsAny(w, "@0123456789/\\|_") {
			return nil, nil, false
		}
		f := foldString(w)
		if isTitle(f) {
			continue // "M.", "Madame": dropped
		}
		w = strings.TrimRight(w, ".")
		f = strings.TrimRight(f, ".")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if isParticle(f) && len(toks) < 3 {
			toks = append(toks, f)
			upper = append(upper, w == strings.ToUpper(w))
			continue
		}
		if !unicode.IsUpper(r) || notNames[f] {
			return nil, nil, false
		}
		toks = append(toks, f)
		upper = append(upper, w == strings.ToUpper(w) && utf8.RuneCountInString(w) > 1)
	}
	content := 0
	for _, t := range toks {
		if !isParticle(t) {
			content++
		}
	}
	if content == 0 || len(toks) > 5 || isParticle(toks[len(toks)-1]) {
		return nil, nil, false
	}
	return toks, upper, true
}

func isTitle(f string) bool {
	switch strings.Trim(f, ".") {
	case "M", "MR", "MRS", "MS", "MME", "MLLE", "DR", "PR", "ME", "MADAME", "MONSIEUR", "MADEMOISELLE", "DOCTEUR", "PROFESSEUR", "MAITRE":
		return true
	}
	return false
}

func isParticle(f string) bool {
	switch f {
	case "DE", "DU", "DES", "LE", "LA", "VAN", "VON", "DER", "DEN", "DA", "DI", "DOS", "DAS", "DEL", "DELLA", "BEN", "BIN", "IBN", "EL", "AL", "OULD", "D'", "L'":
		return true
	}
	return false
}

func nameTokensOnly(s string) ([]string, bool) {
	t, _, ok := nameTokens(s)
	return t, ok
}

// add records a person; partial names already covered are not added, and
// a full name absorbs the partial ones it explains.
func (b *nameBook) add(first, last []string, rule string) {
	if b.byKey == nil {
		b.byKey = map[string]int{}
	}
	key := strings.Join(first, " ") + "|" + strings.Join(last, " ")
	if _, ok := b.byKey[key]; ok {
		return
	}
	eq := func(a, c []string) bool { return len(a) > 0 && strings.Join(a, " ") == strings.Join(c, " ") }
	np := &person{first: first, last: last, key: "p" + strconv.Itoa(len(b.persons)), rule: rule}
	inherited := false
	if len(first) == 0 || len(last) == 0 {
		part := first
		if len(part) == 0 {
			part = last
		}
		for _, p := range b.persons {
			if !p.absorbed && (eq(p.first, part) || eq(p.last, part)) {
				return
			}
		}
	} else {
		for _, p := range b.persons {
			single := len(p.first) == 0 || len(p.last) == 0
			if single && !p.absorbed && (eq(p.first, first) || eq(p.last, last) || eq(p.first, last) || eq(p.last, first)) {
				if !inherited {
					// The placeholders already given to the part stay the person's.
					np.key, np.rule, inherited = p.key, p.rule, true
				}
				p.absorbed = true
			}
		}
	}
	b.byKey[key] = len(b.persons)
	b.persons = append(b.persons, np)
	b.dirty = true
}

// index rebuilds the form table: full names in both orders, and first or
// last name alone. A form shared by several people is ambiguous and gets
// its own entity.
func (b *nameBook) index() {
	if !b.dirty && b.forms != nil {
		return
	}
	b.forms = map[string][]nameRef{}
	b.maxLen = 0
	put := func(toks []string, r nameRef) {
		if len(toks) == 0 {
			return
		}
		if len(toks) == 1 && (notNames[toks[0]] || utf8.RuneCountInString(toks[0]) < 2) {
			return
		}
		k := strings.Join(toks, " ")
		for _, o := range b.forms[k] {
			if o.person == r.person {
				return
			}
		}
		b.forms[k] = append(b.forms[k], r)
		b.maxLen = max(b.maxLen, len(toks))
	}
	for i, p := range b.persons {
		if p.absorbed {
			continue
		}
		if len(p.first) == 0 || len(p.last) == 0 {
			put(append(append([]string{}, p.first...), p.last...), nameRef{person: i})
			continue
		}
		put(append(append([]string{}, p.first...), p.last...), nameRef{person: i})
		put(append(append([]string{}, p.last...), p.first...), nameRef{person: i})
		put(p.first, nameRef{person: i, role: "PRENOM"})
		put(p.last, nameRef{person: i, role: "NOM"})
	}
	b.dirty = false
}
