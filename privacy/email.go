package privacy

import (
	"regexp"
	"strings"
)

// emailCandidate matches an address: local part, "@", dotted domain.
var emailCandidate = regexp.MustCompile(`[\pL\pN._%+\-']+@[\pL\pN](?:[\pL\pN\-]*[\pL\pN])?(?:\.[\pL\pN](?:[\pL\pN\-]*[\pL\pN])?)+`)

// findEmails emits e-mail addresses whose domain ends in a letter label.
func findEmails(text string, emit func(span)) {
	scan(emailCandidate, text, func(start, end int) (span, bool) {
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
