package privacy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/plume-admin/plume/mail"
)

// The built-in protection markings, in their canonical spelling.
const (
	LabelDiffusionRestreinte   = "DIFFUSION RESTREINTE"
	LabelSpecialFrance         = "SPÉCIAL FRANCE"
	LabelConfidentielPersonnel = "CONFIDENTIEL PERSONNEL"
)

// defaultLabels are always looked for.
var defaultLabels = []string{LabelDiffusionRestreinte, LabelSpecialFrance, LabelConfidentielPersonnel}

// defaultHeaders are the classification headers examined by Message. Every
// header kept in mail.Message.Headers is searched for the full terms; these
// (and MarkingOptions.Headers) are also searched for the abbreviation "DR".
var defaultHeaders = []string{
	"X-Classification", "Classification", "X-Security-Classification",
	"Sensitivity", "X-Sensitivity", "X-Protective-Marking", "X-Marking",
	"X-Mention", "X-Mention-Protection", "X-Protection", "Keywords", "X-Keywords",
}

// MarkingOptions configures a Detector. The zero value looks for the three
// built-in markings in the default classification headers.
type MarkingOptions struct {
	// Terms are extra markings to look for, e.g. "SECRET MÉDICAL". Each is
	// matched like the built-in ones (case, accents, spacing and line breaks
	// ignored) and reported in upper case as its label.
	Terms []string
	// Headers are extra classification header names to examine besides
	// X-Classification, Sensitivity, X-Protective-Marking and the like.
	Headers []string
}

// Detector finds protection markings in mail. It is safe for concurrent use.
type Detector struct {
	terms   []term
	headers map[string]bool // lower-case names of classification headers
}

// term is one marking with its matcher on folded text.
type term struct {
	label string
	re    *regexp.Regexp
	// probe is the term's longest word, folded and in lower case: a text
	// whose folded form (foldLower) lacks it cannot hold the term, and is
	// not searched for it.
	probe string
}

// NewDetector builds a Detector for the built-in markings plus opts.Terms.
// It fails with ErrBadTerm on a term without letters.
func NewDetector(opts MarkingOptions) (*Detector, error) {
	d := &Detector{headers: map[string]bool{}}
	seen := map[string]bool{}
	for _, raw := range append(append([]string{}, defaultLabels...), opts.Terms...) {
		label := strings.ToUpper(strings.Join(strings.Fields(raw), " "))
		words := strings.FieldsFunc(foldString(label), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
		if len(words) == 0 {
			return nil, fmt.Errorf("%w: %q", ErrBadTerm, raw)
		}
		key := strings.Join(words, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = regexp.QuoteMeta(w)
		}
		// Words may be separated by any run of spaces, line breaks, hyphens,
		// underscores or quote markers (">"), as in "Diffusion\n> Restreinte";
		// "_" does not glue a term to its neighbours (file names).
		re := regexp.MustCompile(`(?:^|[^A-Z0-9])(` + strings.Join(quoted, `[\s_\->]{1,12}`) + `)(?:[^A-Z0-9]|$)`)
		probe := ""
		for _, w := range words {
			if len(w) > len(probe) {
				probe = w
			}
		}
		d.terms = append(d.terms, term{label: label, re: re, probe: strings.ToLower(probe)})
	}
	for _, h := range append(append([]string{}, defaultHeaders...), opts.Headers...) {
		d.headers[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return d, nil
}

// Labels returns the canonical labels this detector looks for.
func (d *Detector) Labels() []string {
	out := make([]string, len(d.terms))
	for i, t := range d.terms {
		out[i] = t.label
	}
	return out
}

// Headers returns the classification header names this detector examines,
// in lower case, so a mail source can keep them in mail.Message.Headers.
func (d *Detector) Headers() []string {
	out := make([]string, 0, len(d.headers))
	for h := range d.headers {
		out = append(out, h)
	}
	return out
}

// mode is the rule that decides whether an occurrence counts.
type mode int

const (
	modeBody        mode = iota // only where it stands as a marking
	modeSubject                 // always; "[DR]" and a "DR" prefix too
	modeHeader                  // always
	modeClassHeader             // always; a value "DR" too
	modeName                    // attachment file name: always, no abbreviation
)

// Text returns the markings found in text. where names the location and
// chooses the rule: "subject" and "header:NAME" count every occurrence;
// anything else ("body", "attachment:NAME") is body text, where a term
// counts only where it stands as a marking (see the package doc).
func (d *Detector) Text(where, text string) []mail.Marking {
	m := modeBody
	switch {
	case where == "subject":
		m = modeSubject
	case strings.HasPrefix(where, "header:"):
		m = modeHeader
		if d.headers[strings.ToLower(strings.TrimPrefix(where, "header:"))] {
			m = modeClassHeader
		}
	}
	return d.detect(where, text, m)
}

// Message returns the markings found in the subject, headers, body text and
// attachment names of m, each label once per place; m is not changed.
// Attachment text is not part of the message: pass it to Text with
// where "attachment:NAME".
func (d *Detector) Message(m *mail.Message) []mail.Marking {
	if m == nil {
		return nil
	}
	var found []mail.Marking
	found = append(found, d.detect("subject", m.Subject, modeSubject)...)
	if m.Forwarded != nil {
		found = append(found, d.detect("subject", m.Forwarded.Subject, modeSubject)...)
	}
	for _, name := range slices.Sorted(maps.Keys(m.Headers)) {
		value := m.Headers[name]
		md := modeHeader
		if d.headers[strings.ToLower(name)] {
			md = modeClassHeader
		}
		found = append(found, d.detect("header:"+name, value, md)...)
	}
	if m.Text != "" {
		found = append(found, d.detect("body", m.Text, modeBody)...)
	} else {
		for _, part := range []string{m.New, m.Quoted, m.Signature} {
			found = append(found, d.detect("body", part, modeBody)...)
		}
	}
	for _, a := range m.Attachments {
		found = append(found, d.detect("attachment:"+a.Name, a.Name, modeName)...)
	}
	return uniqueMarkings(found)
}

// Thread runs Message on every message and returns each label once, with
// the first place it was found; the thread is not changed.
func (d *Detector) Thread(t *mail.Thread) []mail.Marking {
	if t == nil {
		return nil
	}
	var out []mail.Marking
	seen := map[string]bool{}
	for _, m := range t.Messages {
		for _, mk := range d.Message(m) {
			if !seen[mk.Label] {
				seen[mk.Label] = true
				out = append(out, mk)
			}
		}
	}
	return out
}

// detect applies every term and the "DR" abbreviation to text under rule m.
func (d *Detector) detect(where, text string, m mode) []mail.Marking {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var f folded
	folds := false
	var low string
	for _, t := range d.terms {
		if t.probe == "" {
			folds = true
			break
		}
		if low == "" {
			low = foldLower(text)
		}
		if strings.Contains(low, t.probe) {
			folds = true
			break
		}
	}
	if folds {
		f = fold(text)
	}
	var out []mail.Marking
	add := func(label string) {
		for _, mk := range out {
			if mk.Label == label {
				return
			}
		}
		out = append(out, mail.Marking{Label: label, Where: where})
	}
	for _, t := range d.terms {
		if !folds || t.probe != "" && !strings.Contains(low, t.probe) {
			continue
		}
		for _, loc := range t.re.FindAllStringSubmatchIndex(f.s, -1) {
			start, end := f.span(loc[2], loc[3])
			if m != modeBody || standsAsMarking(text, start, end) {
				add(t.label)
				break
			}
		}
	}
	if hasDR(text, m) {
		add(LabelDiffusionRestreinte)
	}
	return out
}

// decoration are the characters that may surround a marking on its line.
const decoration = " \t\r\n*-_=#~+.:;!|/\\[](){}<>«»\"'•·–—"

// markingLabel matches a label that introduces a marking: "Mention :".
var markingLabel = regexp.MustCompile(`(?:^|[^A-Z])(?:MENTION(?: DE PROTECTION)?|MARQUAGE|CLASSIFICATION|PROTECTION|SENSIBILITE|NIVEAU(?: DE (?:PROTECTION|CONFIDENTIALITE|SENSIBILITE|DIFFUSION))?|DIFFUSION)\s*:\s*$`)

// standsAsMarking applies the body rule to the occurrence text[start:end].
func standsAsMarking(text string, start, end int) bool {
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	lineEnd := len(text)
	if i := strings.IndexByte(text[end:], '\n'); i >= 0 {
		lineEnd = end + i
	}
	before := text[lineStart:start]
	after := text[end:lineEnd]
	// Alone on its line (or lines, when broken), decorations aside.
	if strings.Trim(before, decoration) == "" && strings.Trim(after, decoration) == "" {
		return true
	}
	// In brackets.
	b := strings.TrimRight(before, " \t")
	a := strings.TrimLeft(after, " \t")
	if (strings.HasSuffix(b, "[") && strings.HasPrefix(a, "]")) ||
		(strings.HasSuffix(b, "(") && strings.HasPrefix(a, ")")) ||
		(strings.HasSuffix(b, "«") && strings.HasPrefix(a, "»")) {
		return true
	}
	// Written in capitals.
	letters, upper := 0, 0
	for _, r := range text[start:end] {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters > 1 && letters == upper {
		return true
	}
	// At the start of the document.
	if strings.Trim(text[:start], decoration) == "" {
		return true
	}
	// After a label such as "Mention :".
	return markingLabel.MatchString(foldString(strings.TrimLeft(before, decoration)))
}

// Where "DR" stands for DIFFUSION RESTREINTE. It must be written in capitals.
var (
	drBracket = regexp.MustCompile(`[\[(]\s*DR\s*[\])]`)
	drSquare  = regexp.MustCompile(`\[\s*DR\s*\]`)
	drPrefix  = regexp.MustCompile(`^DR(?:\s*(?:[:\-–—|/\]]|$))`)
)

// hasDR looks for the abbreviation DR where it can only mean the marking.
func hasDR(text string, m mode) bool {
	switch m {
	case modeSubject:
		if drBracket.MatchString(text) {
			return true
		}
		// The subject as mail threads it: reply and forward prefixes and
		// leading tags gone, so "Ré : DR – …" reads "DR – …".
		return drPrefix.MatchString(mail.NormalizeSubject(text))
	case modeClassHeader:
		v := strings.TrimSpace(text)
		return drPrefix.MatchString(v) || drBracket.MatchString(v) || strings.EqualFold(v, "DR")
	case modeBody:
		if drSquare.MatchString(text) {
			return true
		}
		first := strings.TrimLeft(text, decoration)
		if i := strings.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		return drPrefix.MatchString(strings.TrimSpace(first))
	}
	return false
}

// uniqueMarkings returns ms without repeats, in order.
func uniqueMarkings(ms []mail.Marking) []mail.Marking {
	var out []mail.Marking
	for _, mk := range ms {
		if !slices.Contains(out, mk) {
			out = append(out, mk)
		}
	}
	return out
}
