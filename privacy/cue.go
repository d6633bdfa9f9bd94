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

// contextCue is a context pattern and words one of which every match of it
// contains, in lower case: a text without any of them is not scanned.
type contextCue struct {
	re   *regexp.Regexp
	keys []string
}

// newCue compiles a cue; keys are lower-case ASCII words.
func newCue(pattern string, keys ...string) contextCue {
	return contextCue{re: regexp.MustCompile(pattern), keys: keys}
}

// in reports whether text may hold the cue: one of its keys in lower
// case, capitalised or in capitals.
func (c contextCue) in(text string) bool {
	for _, k := range c.keys {
		if strings.Contains(text, k) || strings.Contains(text, strings.ToUpper(k[:1])+k[1:]) || strings.Contains(text, strings.ToUpper(k)) {
			return true
		}
	}
	return false
}

// inFolded is in for keys of any script and case: the text is lowered first.
func (c contextCue) inFolded(text string) bool {
	lower := strings.ToLower(text)
	for _, k := range c.keys {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// startsRun reports whether a number or code may start at text[p]: it does
// not continue a word or a number.
func startsRun(text string, p int) bool {
	if p == 0 {
		return true
	}
	c := text[p-1]
	return !('0' <= c && c <= '9' || isASCIILetter(c))
}

// cueBefore returns the text of the last match of cue in the window before
// text[start:], or "" when there is none.
func cueBefore(text string, start int, c contextCue) string {
	cue := c.re
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
