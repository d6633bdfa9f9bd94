package privacy

import (
	"regexp"
	"strings"
)

// A bare number is personal only in context: ten digits are a foreigner's
// number after "numéro étranger", seven digits a CAF number after
// "allocataire", and otherwise a case number, an amount or a count. A cue
// is a pattern that must occur shortly before the number, on the same line,
// with no other long number in between ("numéro étranger : 7501234567",
// not "numéro étranger du dossier 2025-04120, pièce 7501234567").

// cueWindow is how far before a number its cue may start, in bytes.
const cueWindow = 72

// longNumber is a run of digits that would be a number of its own.
var longNumber = regexp.MustCompile(`\d{4,}`)

// cueBefore returns the text of the last match of cue in the window before
// text[start:], or "" when there is none.
func cueBefore(text string, start int, cue *regexp.Regexp) string {
	from := max(0, start-cueWindow)
	for from < start && from > 0 && !isRuneStart(text[from]) {
		from++
	}
	w := text[from:start]
	if i := strings.LastIndexByte(w, '\n'); i >= 0 {
		w = w[i+1:]
	}
	locs := cue.FindAllStringIndex(w, -1)
	if locs == nil {
		return ""
	}
	last := locs[len(locs)-1]
	if longNumber.MatchString(w[last[1]:]) {
		return ""
	}
	return strings.TrimSpace(w[last[0]:last[1]])
}

// isRuneStart reports whether b starts a UTF-8 sequence.
func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// cueRule names the rule for a cued span, for `plume redact --explain`.
func cueRule(cue string) string { return "indice « " + cue + " »" }
