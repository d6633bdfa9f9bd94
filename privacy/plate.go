package privacy

import "strings"

// Vehicle registration plates. The SIV format since 2009 is two letters,
// three digits, two letters; I, O and U are never used. Written with its
// dashes ("AB-123-CD") it is found without a cue; with spaces or none, and
// the older FNI format ("1234 AB 56": up to four digits, one to three
// letters, the département), only after a cue.
var (
	sivScanner = newAnchoredScanner(`[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}`, func(text string, p int) bool {
		// Two capitals, then a separator or a digit.
		return p+2 < len(text) && 'A' <= text[p] && text[p] <= 'Z' && 'A' <= text[p+1] && text[p+1] <= 'Z' &&
			(text[p+2] == '-' || text[p+2] == ' ' || '0' <= text[p+2] && text[p+2] <= '9') && startsRun(text, p)
	}, func(text string, p int) int { return min(len(text), p+9) })
	fniScanner = newAnchoredScanner(`\d{1,4}[ -]?[A-Z]{1,3}[ -]?(?:97\d|2[AB]|\d{2})`, digitRunStart, func(text string, p int) int { return min(len(text), p+13) })
	plateCue   = newCue(`(?i)immatricul|plaque|v[ée]hicule|voiture|\bsiv\b|\bfni\b|carte\s+grise|certificat\s+d['’]\s*immatriculation`,
		"immatricul", "plaque", "hicule", "voiture", "siv", "fni", "carte")
)

// findPlates emits vehicle registration plates.
func findPlates(text string, emit func(span)) {
	sivScanner.scan(text, func(start, end int) (span, bool) {
		if !wordBoundary(text, start, end) {
			return span{}, false
		}
		s := text[start:end]
		key, _ := compact(s)
		rule := "forme SIV AA-123-AA"
		if strings.Count(s, "-") != 2 {
			if strings.Count(s, " ") == 1 {
				return span{}, false // one space, one dash or none: not a plate layout
			}
			cue := cueBefore(text, start, plateCue)
			if cue == "" {
				return span{}, false
			}
			rule = cueRule(cue)
		}
		return span{start: start, end: end, kind: KindPlate, key: key, rule: rule}, true
	}, emit)
	if !plateCue.in(text) {
		return
	}
	fniScanner.scan(text, func(start, end int) (span, bool) {
		if !numBoundary(text, start, end) || !wordBoundary(text, start, end) {
			return span{}, false
		}
		cue := cueBefore(text, start, plateCue)
		if cue == "" {
			return span{}, false
		}
		key, _ := compact(text[start:end])
		return span{start: start, end: end, kind: KindPlate, key: key, rule: cueRule(cue)}, true
	}, emit)
}
