package privacy

// Digit groups of SIRET (14 digits: SIREN + 5-digit NIC) and SIREN (9
// digits), with optional single spaces, dots or non-breaking spaces.
var (
	siretCandidate = newAnchoredScanner(`\d{3}[ .\x{00A0}\x{202F}]?\d{3}[ .\x{00A0}\x{202F}]?\d{3}[ .\x{00A0}\x{202F}]?(?:\d{5}|\d{3}[ .\x{00A0}\x{202F}]?\d{2})`, startsWithDigit, numberWindow)
	sirenCandidate = newAnchoredScanner(`\d{3}[ .\x{00A0}\x{202F}]?\d{3}[ .\x{00A0}\x{202F}]?\d{3}`, startsWithDigit, numberWindow)
)

// laPosteSIREN is La Poste's SIREN, whose establishments' SIRET numbers
// follow a digit-sum rule instead of Luhn.
const laPosteSIREN = "356000000"

// findSIRETs emits SIRET numbers whose SIREN and SIRET checks pass.
func findSIRETs(text string, emit func(span)) {
	siretCandidate.scan(text, func(start, end int) (span, bool) {
		c, _ := compact(text[start:end])
		if !validSIRET(c) || !numBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindSIRET, key: c}, true
	}, emit)
}

// findSIRENs emits SIREN numbers that pass Luhn and stand alone.
func findSIRENs(text string, emit func(span)) {
	sirenCandidate.scan(text, func(start, end int) (span, bool) {
		c, _ := compact(text[start:end])
		if len(c) != 9 || !luhn(c) || c == "000000000" || !numBoundary(text, start, end) {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindSIREN, key: c}, true
	}, emit)
}

// validSIRET checks a 14-digit SIRET: Luhn on the SIREN and on the whole
// number, or for La Poste a digit sum divisible by 5.
func validSIRET(c string) bool {
	if len(c) != 14 || c == "00000000000000" {
		return false
	}
	if c[:9] == laPosteSIREN {
		sum := 0
		for i := 0; i < len(c); i++ {
			if c[i] < '0' || c[i] > '9' {
				return false
			}
			sum += int(c[i] - '0')
		}
		return sum%5 == 0
	}
	return luhn(c[:9]) && luhn(c)
}
