package privacy

import (
	"regexp"
	"strings"
)

// phoneCandidate matches French numbers: 0X XX XX XX XX, +33 X XX XX XX XX,
// +33 (0)X …, 0033 X … with spaces, dots or dashes, and overseas numbers
// (+262, +590 …) with nine digits.
var phoneCandidate = regexp.MustCompile(phonePattern)

// phoneScanner finds what phoneCandidate finds, trying only at '+' and '0'.
var phoneScanner = newAnchoredScanner(phonePattern, func(text string, p int) bool {
	return text[p] == '+' || text[p] == '0'
}, numberWindow)

// phonePattern is phoneCandidate's expression.
const phonePattern = `(?:(?:\+|00)33[ .\-\x{00A0}\x{202F}]?(?:\(0\)[ .\-\x{00A0}\x{202F}]?)?[1-9]|0[1-9])(?:[ .\-\x{00A0}\x{202F}]?\d{2}){4}` +
	`|(?:\+|00)(?:262|269|508|590|594|596|681|687|689)[ .\-\x{00A0}\x{202F}]?\d{3}(?:[ .\-\x{00A0}\x{202F}]?\d{2}){3}`

// findPhones emits French phone numbers.
func findPhones(text string, emit func(span)) {
	phoneScanner.scan(text, func(start, end int) (span, bool) {
		if !numBoundary(text, start, end) || !phoneGroups(text[start:end]) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindPhone, key: phoneKey(text[start:end])}, true
	}, emit)
}

// phoneKey reduces a French number to its national digits: "+33 (0)6 12…" → "0612…".
func phoneKey(s string) string {
	s = strings.ReplaceAll(s, "(0)", "")
	c, _ := compact(s)
	switch {
	case strings.HasPrefix(s, "+33"):
		return "0" + c[2:]
	case strings.HasPrefix(s, "0033"):
		return "0" + c[4:]
	case strings.HasPrefix(s, "+"):
		return "+" + c
	}
	return c
}

// phonePrefix is the international prefix of a number, with what may follow it.
var phonePrefix = regexp.MustCompile(`^(?:\+|00)(?:33|262|269|508|590|594|596|681|687|689)[ .\-\x{00A0}\x{202F}]?(?:\(0\)[ .\-\x{00A0}\x{202F}]?)?`)

// phoneGroups accepts the usual layouts only: all digits together, or
// pairs with one kind of separator ("06 12 34 56 78", "+33 6 12 34 56 78",
// "+262 692 12 34 56"), so that digit groups of other numbers are not
// taken for phone numbers.
func phoneGroups(s string) bool {
	rest := phonePrefix.ReplaceAllString(s, "")
	g, same := groups(rest)
	if len(g) == 1 {
		return true
	}
	return same && groupsAre(g, []int{2, 2, 2, 2, 2}, []int{1, 2, 2, 2, 2}, []int{3, 2, 2, 2})
}
