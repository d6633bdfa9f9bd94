package privacy

import (
	"regexp"
	"strings"
)

// addressPattern matches a French street address: number (with bis/ter),
// street type, street name in capitalised words and particles, then an
// optional postal code and city, possibly on the next line.
var addressPattern = regexp.MustCompile(
	`\b\d{1,4}(?:[ \t]?(?:bis|ter|quater|[A-Da-d]))?,?[ \t]+` +
		`(?i:rue|avenue|av\.|boulevard|bd|place|pl\.|all[ée]e|impasse|chemin|route|rte|quai|cours|square|passage|voie|rond-point|esplanade|faubourg|fbg|lieu-dit|r[ée]sidence|cit[ée]|sentier|promenade|parvis|hameau|villa|mail|cl[ôo]s|ruelle|traverse|montée|mont[ée]e)` +
		`(?:[ \t]+(?:(?:de|du|des|la|le|les|aux|à|en|sur|sous|et|l'|d'|l’|d’)[ \t]*)*[\p{Lu}0-9][\pL0-9'’.\-]*)+` +
		`(?:,?[ \t]*\r?\n?[ \t]*(?:\d{5}|\d{2}[ \x{00A0}]\d{3})[ \t]+\p{Lu}[\pL'’\-]*(?:[ \t\-]+(?:(?:sur|sous|en|de|du|des|la|le|les|lès|l'|d')[ \t\-]*)*\p{Lu}[\pL'’\-]*){0,4}(?:[ \t]+\d{1,2})?)?`)

// findAddresses emits postal addresses.
func findAddresses(text string, emit func(span)) {
	scan(addressPattern, text, func(start, end int) (span, bool) {
		s := strings.TrimRight(text[start:end], " \t\r\n.,")
		end = start + len(s)
		if !wordBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindAddress, key: strings.Join(strings.Fields(foldString(s)), " ")}, true
	}, emit)
}
