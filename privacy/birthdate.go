package privacy

import (
	"regexp"

	"github.com/plume-admin/plume/internal/calendar"
)

// A date is a date of birth only after a cue ("né le", "née le 3 mars
// 1980", "date de naissance : 14/08/1959"); a meeting date is not personal
// data. The cue is read on the text as written: "né" is a cue, "ne" (as in
// "je ne peux pas venir le 14/03") is not.
var (
	dateScanner = newAnchoredScanner(`\d{1,2}(?:[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|(?:er)?[ \x{00A0}](?i:`+calendar.MonthPattern+`)[ \x{00A0}]\d{4})`,
		digitRunStart, func(text string, p int) int { return min(len(text), p+24) })
	birthCue = newCue(`(?i)(?:^|[^\pL])n[ée](?:e|\(e\)|\.e)?s?(?:[^\pL]|$)|naissance|\bddn\b|\bborn\b`, "né", "nee", "naissance", "ddn", "born")
	// bornWord is the "né" form of birthCue, which must be written with its accent.
	bornPlain = regexp.MustCompile(`(?i)(?:^|[^\pL])nes?(?:[^\pL]|$)`)
)

// findBirthdates emits dates of birth.
func findBirthdates(text string, emit func(span)) {
	if !birthCue.in(text) {
		return
	}
	dateScanner.scan(text, func(start, end int) (span, bool) {
		if !numBoundary(text, start, end) || !wordBoundary(text, start, end) {
			return span{}, false
		}
		cue := cueBefore(text, start, birthCue)
		if cue == "" || bornPlain.MatchString(cue) {
			return span{}, false
		}
		c, _ := compact(text[start:end])
		return span{start: start, end: end, kind: KindBirthdate, key: c, rule: cueRule(cue)}, true
	}, emit)
}
