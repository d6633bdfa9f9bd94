package privacy

import "strings"

// addressPattern matches a French street address: number (with bis/ter),
// street type, street name in capitalised words and particles, then an
// optional postal code and city, possibly on the next line.
var addressPattern = newAnchoredScanner(
	`\b\d{1,4}(?:[ \t]?(?:bis|ter|quater|[A-Da-d]))?,?[ \t]+`+
		`(?i:rue|avenue|av\.|boulevard|bd|place|pl\.|all[ée]e|impasse|chemin|route|rte|quai|cours|square|passage|voie|rond-point|esplanade|faubourg|fbg|lieu-dit|r[ée]sidence|cit[ée]|sentier|promenade|parvis|hameau|villa|mail|cl[ôo]s|ruelle|traverse|montée|mont[ée]e)`+
		`(?:[ \t]+(?:(?:de|du|des|la|le|les|aux|à|en|sur|sous|et|l'|d'|l’|d’)[ \t]*)*[\p{Lu}0-9][\pL0-9'’.\-]*)+`+
		`(?:,?[ \t]*\r?\n?[ \t]*(?:\d{5}|\d{2}[ \x{00A0}]\d{3})[ \t]+\p{Lu}[\pL'’\-]*(?:[ \t\-]+(?:(?:sur|sous|en|de|du|des|la|le|les|lès|l'|d')[ \t\-]*)*\p{Lu}[\pL'’\-]*){0,4}(?:[ \t]+\d{1,2})?)?`, addressStart, addressWindow)

// addressStart reports whether text[p] is a digit that starts a word (the
// pattern's leading \b, which Go reads in ASCII).
func addressStart(text string, p int) bool {
	if !startsWithDigit(text, p) {
		return false
	}
	if p == 0 {
		return true
	}
	c := text[p-1]
	return !(isASCIILetter(c) || '0' <= c && c <= '9' || c == '_')
}

// addressWindow ends before the second line break after p: an address
// runs over two lines at most.
func addressWindow(text string, p int) int {
	i := strings.IndexByte(text[p:], '\n')
	if i < 0 {
		return len(text)
	}
	j := strings.IndexByte(text[p+i+1:], '\n')
	if j < 0 {
		return len(text)
	}
	return p + i + 1 + j
}

// findAddresses emits postal addresses.
func findAddresses(text string, emit func(span)) {
	addressPattern.scan(text, func(start, end int) (span, bool) {
		s := strings.TrimRight(text[start:end], " \t\r\n.,")
		end = start + len(s)
		if !wordBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindAddress, key: strings.Join(strings.Fields(foldString(s)), " ")}, true
	}, emit)
}
