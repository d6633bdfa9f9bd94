package privacy

// Finding known names in text: word splitting with French elisions, longest form first.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
// match in any case; a single word must be capitalised. A form next to
// more capitalised words, or after an initial ("J. Dupont"), is widened to
// cover them: a name is never replaced in half.
func (b *nameBook) find(text string, emit func(span)) {
	b.matches(text, func(m nameMatch) {
		s := span{start: m.start, end: m.end, kind: KindName}
		if len(m.refs) == 1 {
			p := b.persons[m.refs[0].person]
			s.key, s.rule = p.key, p.rule
			if !m.widened {
				s.role = m.refs[0].role
			} else {
				s.rule = "nom connu, élargi aux mots voisins"
			}
		} else {
			s.key = "ambiguous:" + m.form
		}
		emit(s)
	})
}

// nameMatch is one occurrence of a known name form in a text.
type nameMatch struct {
	start, end int    // bytes, widened
	formStart  int    // where the form itself starts
	form       string // the folded form
	refs       []nameRef
	widened    bool // the occurrence is longer than the form
}

// matches calls yield for every occurrence of a known form, widened.
func (b *nameBook) matches(text string, yield func(nameMatch)) {
	b.index()
	if len(b.forms) == 0 {
		return
	}
	b.matchWords(text, words(text), yield)
}

// matchWords is matches on the words ws of text.
func (b *nameBook) matchWords(text string, ws []word, yield func(nameMatch)) {
	b.index()
	if len(b.forms) == 0 {
		return
	}
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
			form := strings.Join(toks, " ")
			refs, found := b.forms[form]
			if !found {
				continue
			}
			start, end := ws[i].start, ws[i+l-1].end
			if !wordBoundary(text, start, end) {
				continue
			}
			first, last := widen(text, ws, i, i+l-1)
			if placeBefore(text, ws, first) {
				matched = l // "rue Victor Hugo", "lycée Jean Moulin": a place
				break
			}
			m := nameMatch{start: ws[first].start, end: ws[last].end, formStart: start, form: form, refs: refs}
			m.start = initialBefore(text, m.start)
			m.widened = m.start != start || m.end != end
			yield(m)
			matched = last - i + 1
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
