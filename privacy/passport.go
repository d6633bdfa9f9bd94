package privacy

// French passports are numbered with two digits, two letters and five
// digits ("12AB34567"): a shape nothing else in administrative mail has,
// found without a cue. Written with spaces ("12 AB 34567") it needs one.
var passportScanner = newAnchoredScanner(`\d{2}[ ]?[A-Z]{2}[ ]?\d{5}`, digitRunStart, func(text string, p int) int { return min(len(text), p+11) })

// passportCue announces a passport number.
var passportCue = newCue(`(?i)passeport|passport`, "passport", "passeport")

// findPassports emits passport numbers.
func findPassports(text string, emit func(span)) {
	passportScanner.scan(text, func(start, end int) (span, bool) {
		if !wordBoundary(text, start, end) {
			return span{}, false
		}
		num, _ := compact(text[start:end])
		rule := "forme 2 chiffres, 2 lettres, 5 chiffres"
		if len(num) != end-start {
			cue := cueBefore(text, start, passportCue)
			if cue == "" {
				return span{}, false
			}
			rule = cueRule(cue)
		}
		return span{start: start, end: end, kind: KindPassport, key: num, rule: rule}, true
	}, emit)
}

// The identity card issued since 2021 has nine letters and digits
// ("X4RTBPFW4"); found after an identity-card cue, and only with at least
// one digit and one letter, so that a word in capitals is not taken.
var idCardScanner = newAnchoredScanner(`[0-9A-Z]{9}`, func(text string, p int) bool {
	c := text[p]
	return (('0' <= c && c <= '9') || ('A' <= c && c <= 'Z')) && startsRun(text, p)
}, func(text string, p int) int { return min(len(text), p+9) })

// findNewIDCards emits identity card numbers of the 2021 format.
func findNewIDCards(text string, emit func(span)) {
	if !idCardCue.in(text) {
		return
	}
	idCardScanner.scan(text, func(start, end int) (span, bool) {
		s := text[start:end]
		letters, digits := 0, 0
		for i := 0; i < len(s); i++ {
			if s[i] >= 'A' {
				letters++
			} else {
				digits++
			}
		}
		if letters == 0 || digits == 0 || !wordBoundary(text, start, end) {
			return span{}, false
		}
		cue := cueBefore(text, start, idCardCue)
		if cue == "" {
			return span{}, false
		}
		return span{start: start, end: end, kind: KindIDCard, key: s, rule: cueRule(cue)}, true
	}, emit)
}

// findIDCards emits identity card numbers, old (12 digits) and new.
func findIDCards(text string, emit func(span)) {
	findOldIDCards(text, emit)
	findNewIDCards(text, emit)
}

// findOldIDCards emits the 12-digit numbers of the old identity card.
var findOldIDCards = findCued(KindIDCard)
