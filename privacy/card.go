package privacy

import "strings"

// cardCandidate is 13 to 19 digits with optional single spaces or dashes.
var cardCandidate = newAnchoredScanner(`[2-6](?:[ \-\x{00A0}\x{202F}]?\d){12,18}`, func(text string, p int) bool {
	return '2' <= text[p] && text[p] <= '6'
}, numberWindow)

// findCards emits payment card numbers: a known issuer prefix and length,
// and a valid Luhn check.
func findCards(text string, emit func(span)) {
	cardCandidate.scan(text, func(start, end int) (span, bool) {
		c, _ := compact(text[start:end])
		if !cardIssuer(c) || !luhn(c) || !cardGroups(text[start:end]) || !numBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindCard, key: c}, true
	}, emit)
}

// cardIssuer checks the prefix and length of the major networks: Visa,
// Mastercard, American Express, Diners, JCB, Discover, UnionPay, Maestro
// (CB cards carry a Visa or Mastercard number).
func cardIssuer(c string) bool {
	n := len(c)
	has := func(p ...string) bool {
		for _, x := range p {
			if strings.HasPrefix(c, x) {
				return true
			}
		}
		return false
	}
	switch {
	case c[0] == '4':
		return n == 13 || n == 16 || n == 19
	case has("51", "52", "53", "54", "55"):
		return n == 16
	case c[0] == '2' && n == 16:
		p := c[:4]
		return p >= "2221" && p <= "2720"
	case has("34", "37"):
		return n == 15
	case has("300", "301", "302", "303", "304", "305", "36", "38", "39"):
		return n >= 14 && n <= 19
	case has("35"):
		return n >= 16 && n <= 19
	case has("6011", "64", "65", "62"):
		return n >= 16 && n <= 19
	case has("50", "56", "57", "58", "6"):
		return n >= 13 && n <= 19
	}
	return false
}

// cardGroups accepts the layouts printed on cards: digits together, groups
// of four (the last of three or four), 4-6-5 (Amex), 4-6-4 (Diners) and
// 4-3-3-3 (13-digit Visa), with one kind of separator.
func cardGroups(s string) bool {
	g, same := groups(s)
	if len(g) == 1 {
		return true
	}
	if !same {
		return false
	}
	if groupsAre(g, []int{4, 6, 5}, []int{4, 6, 4}, []int{4, 3, 3, 3}) {
		return true
	}
	for i, n := range g {
		if n != 4 && !(i == len(g)-1 && n == 3 && len(g) >= 4) {
			return false
		}
	}
	return len(g) >= 4
}
