package privacy

// Learning names from a thread: display names, addresses, salutations, closings, signatures.

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/plume-admin/plume/mail"
)

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
