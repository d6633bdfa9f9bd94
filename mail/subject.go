package mail

import (
	"regexp"
	"strings"
)

// The words mail clients put before a subject, French and English and the
// German, Dutch and Nordic ones seen in international threads. "Ré" may be
// written with a combining accent; matching ignores case ("RÉ", "Fwd").
const (
	replyWords   = `r[eé]\x{301}?|r[eé]p\.?|r[eé]f\.?|aw|sv|vs|antw`
	forwardWords = `tr|trs|fwd?|wg|rv`
	// prefixEnd is an optional counter, "[2]" or "(3)", then a colon,
	// ASCII or full-width, with any spaces around it (French " : ").
	prefixEnd = `\s*(?:\[\d+\]|\(\d+\))?\s*[:：]`
)

// subjectPrefixRe matches one reply or forward prefix with the spaces after it:
// "Re:", "RE :", "Ré :", "TR:", "Fwd:", "Réf. :", "AW:", "SV:", "Re[2]:", "Re(3):".
var subjectPrefixRe = regexp.MustCompile(`(?i)^\s*(?:` + replyWords + `|` + forwardWords + `)` + prefixEnd + `\s*`)

// refPrefixRe matches "Réf." / "Ref." used without a colon.
var refPrefixRe = regexp.MustCompile(`(?i)^\s*r[eé]f\.\s+`)

// tagRe matches a leading bracketed tag such as "[EXT]" or "[liste-agents]".
var tagRe = regexp.MustCompile(`^\s*\[[^\[\]]{0,60}\]\s*`)

// NormalizeSubject removes reply and forward prefixes (Re:, RE :, Ré :, TR:,
// Fwd:, SV:, Réf., repeated and counted forms), leading bracketed tags such
// as "[EXT]", and "[Fwd: …]" wrapping, then collapses white space. It is the
// key for threading messages by subject, and what privacy reads a subject's
// leading "DR" in: one rule for both.
func NormalizeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for {
		before := s
		if loc := subjectPrefixRe.FindStringIndex(s); loc != nil {
			s = s[loc[1]:]
		} else if loc := refPrefixRe.FindStringIndex(s); loc != nil {
			s = s[loc[1]:]
		} else if loc := tagRe.FindStringIndex(s); loc != nil && loc[1] < len(s) {
			s = s[loc[1]:]
		} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") && subjectPrefixRe.MatchString(s[1:]) {
			s = s[1 : len(s)-1]
		}
		s = strings.TrimSpace(s)
		if s == before {
			break
		}
	}
	return s
}

// forwardSubjectRe tells a forward from its own subject (first prefix only).
var forwardSubjectRe = regexp.MustCompile(`(?i)^\s*(?:\[[^\[\]]{0,60}\]\s*)?(?:` + forwardWords + `)` + prefixEnd)

// isForwardSubject reports whether a subject starts with a forward prefix.
func isForwardSubject(s string) bool {
	return forwardSubjectRe.MatchString(s)
}
