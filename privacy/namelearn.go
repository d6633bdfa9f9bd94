package privacy

// Learning names from a thread: display names, addresses, salutations, closings, signatures.

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plume-admin/plume/mail"
)

// nameWord is one name token: letters with inner hyphens or apostrophes.
const nameWord = `\p{Lu}[\pL\pM]*(?:[\-'’]\p{Lu}?[\pL\pM]+)*`

// nameParticle is a particle inside or before a name: "de La Rochefoucauld",
// "Le Goff", "van der Berg", "Ben Salah", "Ould Ahmed".
const nameParticle = `(?:[Dd][eu]|[Dd]es|[Ll][ea]|[Vv]an|[Vv]on|[Dd]er|[Dd]en|[Dd]a|[Dd]i|[Dd]os|[Dd]as|[Dd]el|[Dd]ella|[Bb]en|[Bb]in|[Ii]bn|[Ee]l|[Aa]l|[Oo]uld)`

// nameSeq is a name of one to four words with particles: "Karim Benali",
// "Anne de La Rochefoucauld", "Nguyen Thi Mai", "Le Goff".
const nameSeq = `(?:` + nameParticle + `[ \t]+)?` + nameWord + `(?:[ \t]+(?:` + nameParticle + `[ \t]+){0,2}` + nameWord + `){0,3}`

// Salutations that tell a name: a title and a name, or a greeting at the
// start of a line and a first name; cues that announce a person ("avec",
// "Copie à", "Envoyé par"); list items.
var (
	titleName   = regexp.MustCompile(`(?:^|[^\pL])(?:Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.|MM\.|Mmes|Me|Maître|Docteur|Dr\.?|Pr\.?|Professeur|Mr\.?|Mrs\.?|Ms\.?)[ \t]+(` + nameSeq + `)`)
	greetName   = regexp.MustCompile(`(?m)(?:^|[.!] )[ \t>]*(?i:bonjour|bonsoir|salut|coucou|ch[èe]re?s?|hello|hi|dear|hey|merci)[ \t]+(` + nameWord + `)(?:[ \t]+(` + nameWord + `))?[ \t]*(?:[,!;:.]|$|[ \t]+\p{Ll})`)
	afterCue    = regexp.MustCompile(`^[ \t]*:?[ \t]+(` + nameSeq + `)`)
	listItem    = regexp.MustCompile(`^[ \t>]*(?:[-•*–]|\d{1,2}[.)])[ \t]+(` + nameSeq + `)[ \t]*(?:$|[,(;:–-])`)
	listLabel   = regexp.MustCompile(`^(?i)[ \t>]*(?:copie [àa]|cc|[àa]|de|destinataires?|participants?|pr[ée]sents?|excus[ée]s?|invit[ée]s?|membres?)[ \t]*:[ \t]*(.+)$`)
	listSep     = regexp.MustCompile(`[ \t]*(?:[,;/]|\bet\b)[ \t]*`)
	bracketed   = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]|<[^>]*>`)
	closingLine = regexp.MustCompile(`^(?i:--+|_+|cordialement|bien cordialement|tr[èe]s cordialement|bien [àa] (?:toi|vous)|respectueusement|sinc[èe]rement|salutations.*|merci.*|best(?: regards)?|regards|kind regards|thanks.*|amitiés|bonne (?:journée|soirée).*|à bientôt.*)[ \t,.!]*$`)
)

// learnDisplay learns a person from a display name: "Marie Dupont",
// "DUPONT Marie", "Dupont, Marie", "Marie DUPONT (DDT 69)".
func (b *nameBook) learnDisplay(name, rule string) {
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
			b.add(first, last, rule)
		}
		return
	}
	toks, upper, ok := nameTokens(name)
	if !ok {
		return
	}
	if len(toks) == 1 {
		b.add(nil, toks, rule) // one word: kept as a whole name
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
		if isParticle(first[0]) {
			first, last = nil, toks // "Le Goff", "de Villiers": a surname
		}
	}
	b.add(first, last, rule)
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
	b.add(toks[:1], toks[1:], "adresse électronique")
}

// learnText learns names from salutations: "Madame Dupont", "M. Jean
// Martin", "Bonjour Marie,".
func (b *nameBook) learnText(text string) {
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	if b.seen[text] {
		return // a thread's texts are learnt by LearnThread, then met again by Thread
	}
	b.seen[text] = true
	ws := words(text)
	// After a title a lone word is a surname ("Madame Dupont").
	b.learnMatches(titleName, text, false, "civilité")
	// After a cue, and in lists, a name of two words or more.
	b.learnCued(text, ws)
	b.learnLists(text)
	// A name on the line after a closing ("Cordialement,\nJean MARTIN").
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if l := strings.TrimSpace(strings.TrimLeft(lines[i], "> ")); l != "" && closingLine.MatchString(l) && !strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "_") {
			next := strings.TrimSpace(strings.TrimLeft(lines[i+1], "> "))
			if toks, _, ok := nameTokens(next); ok && len(toks) >= 2 && len(toks) <= 3 {
				b.learnDisplay(next, "signature")
			}
		}
	}
	// After a greeting a lone word is a first name ("Bonjour Marie,").
	b.learnMatches(greetName, text, true, "salutation")
	// Capitalised words that are not French words ("Fatoumata Diallo").
	b.learnUncued(text, ws)
	// A known name next to capitalised words is part of a longer name.
	b.learnLonger(text, ws)
}

// cueWords announce a person. Each is the last word of a cue, with the
// words one of which must stand before it ("envoyé par"), none for a cue
// of one word ("avec").
var cueWords = map[string][]string{
	"AVEC": nil, "SELON": nil, "CONTACTER": nil, "CONTACTE": nil, "CONTACTEE": nil, "RAPPELER": nil,
	"JOINDRE": nil, "CC": nil, "RENCONTRE": nil, "RENCONTREE": nil,
	"DE":  {"AUPRES", "PART"},
	"PAR": {"ENVOYE", "ENVOYEE", "TRANSMIS", "SIGNE", "SIGNEE", "REDIGE", "REDIGEE", "VALIDE", "VALIDEE", "SUIVI", "SUIVIE"},
	"A":   {"COPIE"},
}

// learnCued learns the names of two words or more that follow a cue:
// "avec Karim Benali", "Envoyé par Ioana Popescu", "Copie à : …".
func (b *nameBook) learnCued(text string, ws []word) {
	for i, w := range ws {
		before, ok := cueWords[w.fold]
		if !ok {
			continue
		}
		from := w.start
		if before != nil {
			if i == 0 || !slices.Contains(before, ws[i-1].fold) || !spaceGap(text[ws[i-1].end:w.start]) {
				continue
			}
			from = ws[i-1].start
		}
		m := afterCue.FindStringSubmatch(text[w.end:min(len(text), w.end+160)])
		if m == nil {
			continue
		}
		b.learnSeveral(m[1], cueRule(text[from:w.end]))
	}
}

// learnLists learns the people of list items ("- Karim Benali (DDETS)")
// and of "Copie à :", "Présents :" lines, one line at a time.
func (b *nameBook) learnLists(text string) {
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		t := strings.TrimLeft(line, " \t>")
		if t == "" {
			continue
		}
		if c := t[0]; c == '-' || c == '*' || '0' <= c && c <= '9' || strings.HasPrefix(t, "•") || strings.HasPrefix(t, "–") {
			if m := listItem.FindStringSubmatch(line); m != nil {
				b.learnSeveral(m[1], "liste de personnes")
			}
			continue
		}
		if i := strings.IndexByte(t, ':'); i > 0 && i < 24 {
			if m := listLabel.FindStringSubmatch(line); m != nil {
				for _, item := range listSep.Split(m[1], -1) {
					b.learnSeveral(strings.TrimSpace(bracketed.ReplaceAllString(item, " ")), "liste de personnes")
				}
			}
		}
	}
}

// learnSeveral learns s when it is a name of at least two words, the
// particles aside ("Karim Benali", "Le Goff" is one).
func (b *nameBook) learnSeveral(s, rule string) {
	toks, _, ok := nameTokens(s)
	if !ok || len(toks) > 4 {
		return
	}
	// A capitalised particle after the first word is a part of the name
	// ("Le Van Minh", "de La Rochefoucauld").
	content := 0
	for i, w := range strings.Fields(s) {
		if r, _ := utf8.DecodeRuneInString(w); !isParticle(foldString(w)) || i > 0 && unicode.IsUpper(r) {
			content++
		}
	}
	if content >= 2 {
		b.learnDisplay(s, rule)
	}
}

// learnMatches learns a first and last name from each match of re, whose
// groups 1 and 2 are one word each (group 2 may be empty). A lone word is
// a first name when loneIsFirst, else a surname.
func (b *nameBook) learnMatches(re *regexp.Regexp, text string, loneIsFirst bool, rule string) {
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		full := m[1]
		if len(m) > 2 && m[2] != "" {
			full += " " + m[2]
		}
		toks, _, ok := nameTokens(full)
		switch {
		case !ok:
			if t1, ok1 := nameTokensOnly(m[1]); ok1 && len(t1) == 1 && loneIsFirst {
				b.add(t1, nil, rule) // "Bonjour Marie Madame": the first word alone
			}
		case len(toks) == 1 && loneIsFirst:
			b.add(toks, nil, rule)
		case len(toks) == 1 || isParticle(toks[0]):
			b.add(nil, toks, rule)
		default:
			b.learnDisplay(full, rule)
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
			b.learnDisplay(line, "signature")
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
					b.learnDisplay(a.Name, "en-tête")
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
				b.learnDisplay(from, "en-tête du message transféré")
			}
		}
		b.learnSignature(m.Signature)
		for _, s := range []string{m.New, m.Quoted, m.Text} {
			b.learnText(s)
		}
	}
}
