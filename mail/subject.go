package mail

import (
	"regexp"
	"strings"
)

// subjectPrefixRe matches one reply or forward prefix, French and English
// (and the German and Nordic ones seen in international threads):
// "Re:", "RE :", "Ré :", "TR:", "Fwd:", "Fw:", "Réf. :", "AW:", "WG:", "SV:",
// with optional counters "Re[2]:" / "Re(3):".
var subjectPrefixRe = regexp.MustCompile(`(?i)^\s*(?:re|ré|r[eé]f\.?|tr|trs|fwd?|fw|aw|wg|sv|vs|antw)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*`)

// refPrefixRe matches "Réf." / "Ref." used without a colon.
var refPrefixRe = regexp.MustCompile(`(?i)^\s*r[eé]f\.\s+`)

// tagRe matches a leading bracketed tag such as "[EXT]" or "[liste-agents]".
var tagRe = regexp.MustCompile(`^\s*\[[^\[\]]{0,60}\]\s*`)

// NormalizeSubject removes reply and forward prefixes (Re:, RE :, TR:, Fwd:,
// Fw:, Réf., repeated and counted forms), leading bracketed tags such as
// "[EXT]", and "[Fwd: …]" wrapping, then collapses white space. It is the key
// for threading messages by subject.
func NormalizeSubject(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
	for range 50 {
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
var forwardSubjectRe = regexp.MustCompile(`(?i)^\s*(?:\[[^\[\]]{0,60}\]\s*)?(?:tr|trs|fwd?|fw|wg)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]`)

// isForwardSubject reports whether a subject starts with a forward prefix.
func isForwardSubject(s string) bool {
	return forwardSubjectRe.MatchString(s)
}
