package privacy

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// PIIOptions configures pseudonymisation. The zero value replaces every
// kind of personal data.
type PIIOptions struct {
	// Disabled turns pseudonymisation off: text goes to the model as is.
	Disabled bool `json:"disabled" yaml:"disabled"`
	// Kinds restricts replacement to these kinds ("name", "email", "phone",
	// "iban", "nir", "siret", "siren", "card", "address", "agdref",
	// "passport", "idcard", "taxid", "plate", "birthdate", "caf", "org", or the placeholder
	// words "PERSONNE", "TELEPHONE" …). Empty means every kind. Unknown names
	// are ignored by NewPseudonymizer; check them first with Validate.
	Kinds []string `json:"kinds" yaml:"kinds"`
	// Patterns are the organisation's own identifiers (kind "org"); none
	// by default. Unusable ones are skipped by NewPseudonymizer; check
	// them first with Validate.
	Patterns []Pattern `json:"patterns" yaml:"patterns"`
}

// Validate reports unknown kind names (ErrUnknownKind) and unusable
// patterns (ErrBadPattern).
func (o PIIOptions) Validate() error {
	for _, k := range o.Kinds {
		if _, ok := parseKind(k); !ok {
			return fmt.Errorf("%w: %q", ErrUnknownKind, k)
		}
	}
	for _, p := range o.Patterns {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// parseKind accepts a kind name or its placeholder word, in any case.
func parseKind(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if strings.EqualFold(s, string(k)) || strings.EqualFold(foldString(s), kindTag[k]) {
			return k, true
		}
	}
	return "", false
}

// Pseudonymizer hands out one Session per request. It is safe for
// concurrent use; Sessions are not shared between requests.
type Pseudonymizer struct {
	disabled bool
	kinds    map[Kind]bool
	patterns []orgPattern
}

// NewPseudonymizer returns a Pseudonymizer configured by opts.
func NewPseudonymizer(opts PIIOptions) *Pseudonymizer {
	p := &Pseudonymizer{disabled: opts.Disabled, kinds: map[Kind]bool{}}
	for _, s := range opts.Kinds {
		if k, ok := parseKind(s); ok {
			p.kinds[k] = true
		}
	}
	if len(p.kinds) == 0 {
		for _, k := range Kinds {
			p.kinds[k] = true
		}
	}
	if p.Enabled(KindName) {
		frenchWords() // read the lexicon once, before the first request
	}
	for _, pat := range opts.Patterns {
		if o, err := pat.compile(); err == nil {
			p.patterns = append(p.patterns, o)
		}
	}
	return p
}

// Enabled reports whether kind k is replaced.
func (p *Pseudonymizer) Enabled(k Kind) bool { return !p.disabled && p.kinds[k] }

// span is one piece of personal data found in a text.
type span struct {
	start, end int
	kind       Kind
	key        string // identity of the entity: same key, same number
	role       string // "", "PRENOM" or "NOM" (names only)
	rule       string // what found it, for `plume redact --explain`; "" is the kind's format
}

// detectors are run in priority order: on equal length, the first wins.
var detectors = []struct {
	kind Kind
	find func(text string, emit func(span))
}{
	{KindEmail, findEmails},
	{KindIBAN, findIBANs},
	{KindNIR, findNIRs},
	{KindSIRET, findSIRETs},
	{KindSIREN, findSIRENs},
	{KindCard, findCards},
	{KindIDCard, findIDCards},
	{KindPassport, findPassports},
	{KindTaxID, findCued(KindTaxID)},
	{KindAGDREF, findCued(KindAGDREF)},
	{KindCAF, findCued(KindCAF)},
	{KindPlate, findPlates},
	{KindBirthdate, findBirthdates},
	{KindPhone, findPhones},
	{KindAddress, findAddresses},
}

// priority orders kinds when two spans have the same length.
func priority(k Kind) int {
	if k == kindLiteral {
		return -1
	}
	for i, kk := range Kinds {
		if kk == k {
			return i
		}
	}
	return len(Kinds)
}

// resolve keeps non-overlapping spans, longest first, and sorts them by
// position. Placeholder look-alikes always win.
func resolve(spans []span) []span {
	sort.SliceStable(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if (a.kind == kindLiteral) != (b.kind == kindLiteral) {
			return a.kind == kindLiteral
		}
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return la > lb
		}
		if pa, pb := priority(a.kind), priority(b.kind); pa != pb {
			return pa < pb
		}
		return a.start < b.start
	})
	var kept []span
	for _, s := range spans {
		ok := true
		for _, k := range kept {
			if s.start < k.end && k.start < s.end {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, s)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

// scan runs re over text; check validates each candidate and may narrow it.
// A rejected candidate is retried one character later, so that a valid
// number right after an invalid prefix is still found.
func scan(re *regexp.Regexp, text string, check func(start, end int) (span, bool), emit func(span)) {
	scanWith(func(pos int) (int, int, bool) {
		loc := re.FindStringIndex(text[pos:])
		if loc == nil {
			return 0, 0, false
		}
		return pos + loc[0], pos + loc[1], true
	}, text, check, emit)
}

// scanWith is scan with its own search for the leftmost candidate at or
// after pos.
func scanWith(find func(pos int) (start, end int, ok bool), text string, check func(start, end int) (span, bool), emit func(span)) {
	pos := 0
	for pos < len(text) {
		start, end, ok := find(pos)
		if !ok {
			return
		}
		if s, ok := check(start, end); ok {
			emit(s)
			pos = max(s.end, start+1)
			continue
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		pos = start + max(size, 1)
	}
}

// anchoredScanner finds the leftmost match of a pattern by trying it only
// at the positions where a match can start, instead of at every byte of
// the text: most mail is prose, and a number pattern tried at every letter
// is where the detectors spent their time. It finds exactly what the
// unanchored pattern finds, provided canStart accepts every position a
// match can start at and window never cuts a match short.
type anchoredScanner struct {
	re *regexp.Regexp // the pattern, anchored with ^
	// canStart reports whether a match may start at text[p].
	canStart func(text string, p int) bool
	// window returns the end of the text a match starting at p can
	// reach; nil means the end of the text.
	window func(text string, p int) int
}

// newAnchoredScanner anchors pattern.
func newAnchoredScanner(pattern string, canStart func(string, int) bool, window func(string, int) int) *anchoredScanner {
	return &anchoredScanner{re: regexp.MustCompile(`^(?:` + pattern + `)`), canStart: canStart, window: window}
}

// scan is scan(regexp.MustCompile(pattern), …), faster.
func (a *anchoredScanner) scan(text string, check func(start, end int) (span, bool), emit func(span)) {
	scanWith(a.search(text), text, check, emit)
}

// search finds the leftmost match in text at or after pos.
func (a *anchoredScanner) search(text string) func(pos int) (int, int, bool) {
	return func(pos int) (int, int, bool) {
		// Like scan, look at text[pos:] only: its start is a word boundary.
		rest := text[pos:]
		for p := 0; p < len(rest); p++ {
			if !a.canStart(rest, p) {
				continue
			}
			w := len(rest)
			if a.window != nil {
				w = a.window(rest, p)
			}
			if loc := a.re.FindStringIndex(rest[p:w]); loc != nil {
				return pos + p, pos + p + loc[1], true
			}
		}
		return 0, 0, false
	}
}

// findAll is FindAllStringIndex of the unanchored pattern, for patterns
// that neither match the empty string nor look at the text around a match
// (no \b, ^ or $): those see the same text when cut at a match's start.
func (a *anchoredScanner) findAll(text string) [][]int {
	var out [][]int
	scanWith(a.search(text), text, func(start, end int) (span, bool) {
		out = append(out, []int{start, end})
		return span{start: start, end: end}, true
	}, func(span) {})
	return out
}

// maxNumberLen bounds the bytes a number pattern can match: the longest,
// an IBAN, is 34 characters with a three-byte separator between each.
const maxNumberLen = 34 * 4

// numberWindow is the window of the number patterns.
func numberWindow(text string, p int) int { return min(len(text), p+maxNumberLen) }

// startsWithDigit reports whether text[p] is an ASCII digit.
func startsWithDigit(text string, p int) bool { return '0' <= text[p] && text[p] <= '9' }

// numSep are the characters allowed between digit groups.
func isNumSep(r rune) bool {
	return r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '\u202f'
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// numBoundary reports whether the number text[start:end] stands alone: not
// glued to a word character, and not continued by a separator and a digit
// (so that no part of a longer number is taken for a shorter one).
func numBoundary(text string, start, end int) bool {
	return numStart(text, start) && numEnd(text, end)
}

// numStart checks the left side of a number starting at start.
func numStart(text string, start int) bool {
	if start == 0 {
		return true
	}
	r, n := utf8.DecodeLastRuneInString(text[:start])
	if isWordRune(r) {
		return false
	}
	if isNumSep(r) && start-n > 0 {
		if r2, _ := utf8.DecodeLastRuneInString(text[:start-n]); isDigit(r2) {
			return false
		}
	}
	return true
}

// numEnd checks the right side of a number ending at end.
func numEnd(text string, end int) bool {
	if end >= len(text) {
		return true
	}
	r, n := utf8.DecodeRuneInString(text[end:])
	if isWordRune(r) {
		return false
	}
	if isNumSep(r) && end+n < len(text) {
		if r2, _ := utf8.DecodeRuneInString(text[end+n:]); isDigit(r2) {
			return false
		}
	}
	return true
}

// groups splits a number at its separators and reports whether they are
// all the same character: "06 12 34" → [2 2 2], true.
func groups(s string) ([]int, bool) {
	var out []int
	var sep rune
	n := 0
	same := true
	for _, r := range s {
		if isNumSep(r) {
			if sep == 0 {
				sep = r
			} else if r != sep {
				same = false
			}
			out = append(out, n)
			n = 0
			continue
		}
		n++
	}
	return append(out, n), same
}

// groupsAre reports whether g equals one of the patterns.
func groupsAre(g []int, patterns ...[]int) bool {
	for _, p := range patterns {
		if slices.Equal(g, p) {
			return true
		}
	}
	return false
}

// compact returns the letters and digits of s, upper-cased, and for each
// of them its byte offset in s.
func compact(s string) (string, []int) {
	var b strings.Builder
	var off []int
	for i, r := range s {
		switch {
		case isDigit(r):
			b.WriteRune(r)
			off = append(off, i)
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			off = append(off, i)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r)
			off = append(off, i)
		}
	}
	return b.String(), off
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(digits) > 0 && sum%10 == 0
}
