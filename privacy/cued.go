package privacy

import (
	"strconv"
	"strings"
)

// Identifiers that are plain runs of digits, personal only after a cue.
// Each is one row of cuedNumbers: its kind, its length, the digits it may
// start with, and the cue.
var cuedNumbers = []struct {
	kind   Kind
	digits int
	first  string // allowed first digits; "" means any
	cue    contextCue
}{
	// AGDREF, the foreigner's number on residence permits and OFII mail.
	{KindAGDREF, 10, "", newCue(`(?i)(?:num[ée]ro|n°|no\.?|n\.|identifiant)\s*(?:d['’]\s*|de\s+|du\s+)?[ée]tranger|agdref|ressortissant\s+[ée]tranger|titre\s+de\s+s[ée]jour`,
		"tranger", "agdref", "titre")},
	// Numéro fiscal (SPI): 13 digits, the first 0 to 3.
	{KindTaxID, 13, "0123", newCue(`(?i)(?:num[ée]ro|n°|no\.?|identifiant|r[ée]f[ée]rence)\s*(?:d['’]\s*identification\s+)?fiscale?|\bspi\b|num[ée]ro\s+fiscal|imp[ôo]ts?\b`,
		"fiscal", "spi", "imp")},
	// The old identity card: 12 digits.
	{KindIDCard, 12, "", idCardCue},
	// CAF allocataire number: 7 digits.
	{KindCAF, 7, "", newCue(`(?i)allocataire|\bcaf\b|\bmsa\b|allocations?\s+familiales`, "allocat", "caf", "msa")},
}

// idCardCue announces an identity card number, old or new.
var idCardCue = newCue(`(?i)carte\s+(?:nationale\s+)?d['’]\s*identit[ée]|\bcni\b|\bcnie\b|pi[èe]ce\s+d['’]\s*identit[ée]`, "identit", "cni")

// digitRunScanners finds runs of n digits with single spaces, dots or
// non-breaking spaces between them, one scanner per length in cuedNumbers.
var digitRunScanners = func() map[int]*anchoredScanner {
	m := map[int]*anchoredScanner{}
	for _, c := range cuedNumbers {
		if m[c.digits] == nil {
			m[c.digits] = newAnchoredScanner(`\d(?:[ .\x{00A0}\x{202F}]?\d){`+strconv.Itoa(c.digits-1)+`}`, digitRunStart, numberWindow)
		}
	}
	return m
}()

// findCued returns the detector of the cuedNumbers row of kind k.
func findCued(k Kind) func(string, func(span)) {
	for _, c := range cuedNumbers {
		if c.kind != k {
			continue
		}
		return func(text string, emit func(span)) {
			if !c.cue.in(text) {
				return
			}
			digitRunScanners[c.digits].scan(text, func(start, end int) (span, bool) {
				num, _ := compact(text[start:end])
				if !numBoundary(text, start, end) || c.first != "" && !strings.ContainsRune(c.first, rune(num[0])) {
					return span{}, false
				}
				if _, same := groups(text[start:end]); !same {
					return span{}, false
				}
				cue := cueBefore(text, start, c.cue)
				if cue == "" {
					return span{}, false
				}
				return span{start: start, end: end, kind: c.kind, key: num, rule: cueRule(cue)}, true
			}, emit)
		}
	}
	panic("privacy: no cued number of kind " + string(k))
}

// digitRunStart reports whether a run of digits starts at text[p].
func digitRunStart(text string, p int) bool { return startsWithDigit(text, p) && startsRun(text, p) }
