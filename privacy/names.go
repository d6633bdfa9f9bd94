package privacy

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plume-admin/plume/mail"
)

// person is someone known from the thread. Either part may be empty when
// only a first name ("Bonjour Marie,") or a last name ("Madame Dupont") is known.
type person struct {
	first, last []string // folded tokens
	absorbed    bool     // a fuller name of the same person was learned later
}

// nameBook is what a session knows about the people of a thread.
type nameBook struct {
	persons []*person
	byKey   map[string]int
	forms   map[string][]nameRef // folded token sequence → who it can be
	maxLen  int
	dirty   bool
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
	LUNDI MARDI MERCREDI JEUDI VENDREDI SAMEDI DIMANCHE
	OBJET DATE SUJET COPIE DIFFUSION RESTREINTE CONFIDENTIEL PERSONNEL SPECIAL URGENT IMPORTANT NOTE`) {
		m[w] = true
	}
	return m
}()

// nameWord is one name token: letters with inner hyphens or apostrophes.
const nameWord = `\p{Lu}[\pL\pM]*(?:[\-'’]\p{Lu}?[\pL\pM]+)*`

// Salutations that tell a name: a title and one or two capitalised words,
// or a greeting at the start of a line and a first name.
var (
	titleName   = regexp.MustCompile(`(?:^|[^\pL])(?:Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.|Me|Maître|Docteur|Dr\.?|Pr\.?|Professeur|Mr\.?|Mrs\.?|Ms\.?)[ \t]+(` + nameWord + `)(?:[ \t]+(` + nameWord + `))?`)
	greetName   = regexp.MustCompile(`(?m)^[ \t>]*(?i:bonjour|bonsoir|salut|coucou|ch[èe]re?s?|hello|hi|dear|hey)[ \t]+(` + nameWord + `)(?:[ \t]+(` + nameWord + `))?[ \t]*(?:[,!;:.]|$)`)
	bracketed   = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]|<[^>]*>`)
	closingLine = regexp.MustCompile(`^(?i:--+|_+|cordialement|bien cordialement|tr[èe]s cordialement|bien [àa] (?:toi|vous)|respectueusement|sinc[èe]rement|salutations.*|merci.*|best(?: regards)?|regards|kind regards|thanks.*|amitiés|bonne (?:journée|soirée).*|à bientôt.*)[ \t,.!]*$`)
)

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
		if isParticle(f) && len(toks) > 0 && len(toks) < 3 {
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
	if len(toks) == 0 || len(toks) > 4 {
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
	case "DE", "DU", "DES", "LE", "LA", "VAN", "VON", "DA", "DI", "DOS", "DEL", "D'", "L'":
		return true
	}
	return false
}

// learnDisplay learns a person from a display name: "Marie Dupont",
// "DUPONT Marie", "Dupont, Marie", "Marie DUPONT (DDT 69)".
func (b *nameBook) learnDisplay(name string) {
	name = bracketed.ReplaceAllString(name, " ")
	for _, sep := range []string{" - ", " – ", " | ", " / "} {
		if i := strings.Index(name, sep); i >= 0 {
			name = name[:i]
		}
	}
	if parts := strings.Split(name, ","); len(parts) == 2 {
		last, lok := nameTokensOnly(parts[0])
		first, fok := nameTokensOnly(parts[1])
		if lok && fok {
			b.add(first, last)
		}
		return
	}
	toks, upper, ok := nameTokens(name)
	if !ok {
		return
	}
	if len(toks) == 1 {
		b.add(nil, toks) // one word: kept as a whole name
		return
	}
	// Words in capitals are the last name: "DUPONT Marie", "Jean LE GALL".
	var first, last []string
	anyUpper, allUpper := false, true
	for _, u := range upper {
		anyUpper = anyUpper || u
		allUpper = allUpper && u
	}
	if anyUpper && !allUpper {
		for i, t := range toks {
			if upper[i] || (isParticle(t) && i > 0 && len(last) > 0) {
				last = append(last, t)
			} else {
				first = append(first, t)
			}
		}
	} else {
		first, last = toks[:1], toks[1:]
	}
	b.add(first, last)
}

func nameTokensOnly(s string) ([]string, bool) {
	t, _, ok := nameTokens(s)
	return t, ok
}

// learnAddress learns "marie.dupont@…" as Marie Dupont when no display
// name is given.
func (b *nameBook) learnAddress(addr string) {
	at := strings.IndexByte(addr, '@')
	if at <= 0 {
		return
	}
	parts := strings.Split(addr[:at], ".")
	if len(parts) != 2 {
		return
	}
	var toks []string
	for _, p := range parts {
		if len(p) < 3 || strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) >= 0 {
			return
		}
		f := foldString(p)
		if notNames[f] {
			return
		}
		toks = append(toks, f)
	}
	b.add(toks[:1], toks[1:])
}

// learnText learns names from salutations: "Madame Dupont", "M. Jean
// Martin", "Bonjour Marie,".
func (b *nameBook) learnText(text string) {
	// After a title a lone word is a surname ("Madame Dupont").
	b.learnMatches(titleName, text, false)
	// A name on the line after a closing ("Cordialement,\nJean MARTIN").
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if l := strings.TrimSpace(strings.TrimLeft(lines[i], "> ")); l != "" && closingLine.MatchString(l) && !strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "_") {
			next := strings.TrimSpace(strings.TrimLeft(lines[i+1], "> "))
			if toks, _, ok := nameTokens(next); ok && len(toks) >= 2 && len(toks) <= 3 {
				b.learnDisplay(next)
			}
		}
	}
	// After a greeting a lone word is a first name ("Bonjour Marie,").
	b.learnMatches(greetName, text, true)
}

// learnMatches learns a first and last name from each match of re, whose
// groups 1 and 2 are one word each (group 2 may be empty). A lone word is
// a first name when loneIsFirst, else a surname.
func (b *nameBook) learnMatches(re *regexp.Regexp, text string, loneIsFirst bool) {
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		t1, ok1 := nameTokensOnly(m[1])
		if !ok1 || len(t1) != 1 {
			continue
		}
		t2, ok2 := nameTokensOnly(m[2])
		switch {
		case m[2] != "" && ok2 && len(t2) == 1:
			b.add(t1, t2)
		case loneIsFirst:
			b.add(t1, nil)
		default:
			b.add(nil, t1)
		}
	}
}

// learnSignature learns the first line of a signature that looks like a name.
func (b *nameBook) learnSignature(sig string) {
	for _, line := range strings.Split(sig, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(line, "> "))
		if line == "" || closingLine.MatchString(line) {
			continue
		}
		if toks, _, ok := nameTokens(line); ok && len(toks) >= 2 {
			b.learnDisplay(line)
		}
		return
	}
}

// learnThread learns every name the thread shows.
func (b *nameBook) learnThread(t *mail.Thread) {
	if t == nil {
		return
	}
	for _, m := range t.Messages {
		if m == nil {
			continue
		}
		for _, list := range [][]mail.Address{m.From, m.To, m.Cc, m.ReplyTo} {
			for _, a := range list {
				if strings.TrimSpace(a.Name) != "" && !strings.Contains(a.Name, "@") {
					b.learnDisplay(a.Name)
				} else {
					b.learnAddress(a.Address)
				}
			}
		}
		if m.Forwarded != nil {
			from := m.Forwarded.From
			if i := strings.IndexByte(from, '<'); i > 0 {
				from = from[:i]
			}
			if !strings.Contains(from, "@") {
				b.learnDisplay(from)
			}
		}
		b.learnSignature(m.Signature)
		for _, s := range []string{m.New, m.Quoted, m.Text} {
			b.learnText(s)
		}
	}
}

// add records a person; partial names already covered are not added, and
// a full name absorbs the partial ones it explains.
func (b *nameBook) add(first, last []string) {
	if b.byKey == nil {
		b.byKey = map[string]int{}
	}
	key := strings.Join(first, " ") + "|" + strings.Join(last, " ")
	if _, ok := b.byKey[key]; ok {
		return
	}
	eq := func(a, c []string) bool { return len(a) > 0 && strings.Join(a, " ") == strings.Join(c, " ") }
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
				p.absorbed = true
			}
		}
	}
	b.byKey[key] = len(b.persons)
	b.persons = append(b.persons, &person{first: first, last: last})
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

// word is one word of a text with its byte range.
type word struct {
	start, end int
	fold       string
	capital    bool
}

// words splits text into words; French elisions ("l'", "d'", "qu'") are
// left out so that "d'Anne" yields "Anne".
func words(text string) []word {
	var out []word
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		start := i
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
				i += n
				continue
			}
			if (r == '-' || r == '\'' || r == '’') && i+n < len(text) {
				if r2, _ := utf8.DecodeRuneInString(text[i+n:]); unicode.IsLetter(r2) {
					if p := text[start:i]; r != '-' && p == strings.ToLower(p) && isElision(p) {
						start = i + n
					}
					i += n
					continue
				}
			}
			break
		}
		first, _ := utf8.DecodeRuneInString(text[start:])
		out = append(out, word{start: start, end: i, fold: foldString(text[start:i]), capital: unicode.IsUpper(first)})
	}
	return out
}

func isElision(s string) bool {
	switch strings.ToLower(s) {
	case "l", "d", "j", "qu", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu":
		return true
	}
	return false
}

// find emits the known names in text, longest form first. Multi-word forms
// match in any case; a single word must be capitalised.
func (b *nameBook) find(text string, emit func(span)) {
	b.index()
	if len(b.forms) == 0 {
		return
	}
	ws := words(text)
	for i := 0; i < len(ws); {
		matched := 0
		for l := min(b.maxLen, len(ws)-i); l >= 1; l-- {
			if l == 1 && !ws[i].capital {
				continue
			}
			ok := true
			toks := make([]string, l)
			for j := 0; j < l; j++ {
				toks[j] = ws[i+j].fold
				if j > 0 && !nameGap(text[ws[i+j-1].end:ws[i+j].start]) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			refs, found := b.forms[strings.Join(toks, " ")]
			if !found {
				continue
			}
			start, end := ws[i].start, ws[i+l-1].end
			if !wordBoundary(text, start, end) {
				continue
			}
			s := span{start: start, end: end, kind: KindName}
			if len(refs) == 1 {
				s.key, s.role = "p"+strconv.Itoa(refs[0].person), refs[0].role
			} else {
				s.key = "ambiguous:" + strings.Join(toks, " ")
			}
			emit(s)
			matched = l
			break
		}
		i += max(matched, 1)
	}
}

// nameGap reports whether the text between two words of a name is plain
// spacing (at most one line break).
func nameGap(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	return strings.Trim(s, " \t\u00a0") == "" || strings.TrimSpace(s) == "" && strings.Count(s, "\n") == 1
}
