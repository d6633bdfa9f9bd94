package privacy

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrBadPattern reports an organisation identifier pattern that cannot be used.
var ErrBadPattern = errors.New("privacy: unusable identifier pattern")

// Pattern is an identifier of the organisation's own ("dossier usager
// DU-2025-000123"): a regular expression (RE2 syntax) and, optionally,
// cue words one of which must stand shortly before a match on the same
// line. Matches become [IDENTIFIANT_n] placeholders of kind "org".
type Pattern struct {
	// Name names the pattern in `plume redact --explain`.
	Name string `json:"name" yaml:"name"`
	// Regex is the identifier's form; it must not match the empty string.
	Regex string `json:"regex" yaml:"regex"`
	// Cues are words or phrases, any case, one of which must precede a
	// match; empty means every match is replaced.
	Cues []string `json:"cues" yaml:"cues"`
}

// orgPattern is a compiled Pattern.
type orgPattern struct {
	name string
	re   *regexp.Regexp
	cue  *contextCue // nil: no cue needed
}

// compile checks and compiles p.
func (p Pattern) compile() (orgPattern, error) {
	if strings.TrimSpace(p.Name) == "" {
		return orgPattern{}, fmt.Errorf("%w: a pattern needs a name", ErrBadPattern)
	}
	re, err := regexp.Compile(p.Regex)
	if err != nil {
		return orgPattern{}, fmt.Errorf("%w: %s: %w", ErrBadPattern, p.Name, err)
	}
	if p.Regex == "" || re.MatchString("") {
		return orgPattern{}, fmt.Errorf("%w: %s: the regex matches the empty string", ErrBadPattern, p.Name)
	}
	o := orgPattern{name: p.Name, re: re}
	var alts, keys []string
	for _, c := range p.Cues {
		c = strings.TrimSpace(c)
		if c == "" {
			return orgPattern{}, fmt.Errorf("%w: %s: empty cue", ErrBadPattern, p.Name)
		}
		alts = append(alts, regexp.QuoteMeta(c))
		keys = append(keys, strings.ToLower(c))
	}
	if len(alts) > 0 {
		c := contextCue{re: regexp.MustCompile(`(?i)` + strings.Join(alts, "|")), keys: keys}
		o.cue = &c
	}
	return o, nil
}

// Validate reports whether p can be used (ErrBadPattern).
func (p Pattern) Validate() error {
	_, err := p.compile()
	return err
}

// find emits the matches of o in text that stand alone and follow a cue.
func (o orgPattern) find(text string, emit func(span)) {
	if o.cue != nil && !o.cue.inFolded(text) {
		return
	}
	for _, loc := range o.re.FindAllStringIndex(text, -1) {
		if loc[0] == loc[1] || !wordBoundary(text, loc[0], loc[1]) {
			continue
		}
		rule := "motif « " + o.name + " »"
		if o.cue != nil {
			c := cueBefore(text, loc[0], *o.cue)
			if c == "" {
				continue
			}
			rule += ", " + cueRule(c)
		}
		emit(span{start: loc[0], end: loc[1], kind: KindOrg, key: o.name + "|" + text[loc[0]:loc[1]], rule: rule})
	}
}
