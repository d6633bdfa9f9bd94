package privacy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emailCandidate matches an address: local part, "@", dotted domain.
var emailCandidate = regexp.MustCompile(`[\pL\pN._%+\-']+@[\pL\pN](?:[\pL\pN\-]*[\pL\pN])?(?:\.[\pL\pN](?:[\pL\pN\-]*[\pL\pN])?)+`)

// findEmails emits e-mail addresses whose domain ends in a letter label.
func findEmails(text string, emit func(span)) {
	if strings.IndexByte(text, '@') < 0 {
		return
	}
	scanWith(emailSearch(text), text, func(start, end int) (span, bool) {
		s := text[start:end]
		// Trim quotes and dots the local-part class allows at its start.
		for len(s) > 0 && (s[0] == '.' || s[0] == '\'' || s[0] == '-') {
			s = s[1:]
			start++
		}
		at := strings.LastIndexByte(s, '@')
		if at <= 0 {
			return span{}, false
		}
		tld := s[strings.LastIndexByte(s, '.')+1:]
		if len(tld) < 2 || strings.IndexFunc(tld, func(r rune) bool { return !isLetter(r) }) >= 0 {
			return span{}, false
		}
		if !wordBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindEmail, key: strings.ToLower(s)}, true
	}, emit)
}

// isEmailLocalRune is the local-part class of emailCandidate.
func isEmailLocalRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || strings.ContainsRune("._%+-'", r)
}

// emailSearch finds the leftmost emailCandidate match at or after pos,
// starting the search at the local part of the next '@' rather than at pos.
func emailSearch(text string) func(pos int) (int, int, bool) {
	return func(pos int) (int, int, bool) {
		// No match starts before the local part of the next '@'.
		at := strings.IndexByte(text[pos:], '@')
		if at < 0 {
			return 0, 0, false
		}
		from := pos + at
		for from > pos {
			r, n := utf8.DecodeLastRuneInString(text[pos:from])
			if !isEmailLocalRune(r) {
				break
			}
			from -= n
		}
		loc := emailCandidate.FindStringIndex(text[from:])
		if loc == nil {
			return 0, 0, false
		}
		return from + loc[0], from + loc[1], true
	}
}
