package privacy

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/plume-admin/plume/mail"
)

// GuardReport says what GuardOutput removed from an answer.
type GuardReport struct {
	// Removed is the total number of items removed.
	Removed int `json:"removed"`
	URLs    int `json:"urls,omitempty"`
	Emails  int `json:"emails,omitempty"`
	Phones  int `json:"phones,omitempty"`
	Images  int `json:"images,omitempty"`
	Links   int `json:"links,omitempty"`
}

// What the guard leaves in place of what it removed.
const (
	guardLink   = "[lien retiré]"
	guardEmail  = "[adresse retirée]"
	guardPhone  = "[numéro retiré]"
	guardImage  = "[image retirée]"
	trailPunct  = `.,;:!?)]}»›'"”’“‘«`
	schemeChars = "abcdefghijklmnopqrstuvwxyz"
)

var (
	mdImage   = regexp.MustCompile(`!\[([^\]\n]{0,500})\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)\n]*)?\)`)
	mdLink    = regexp.MustCompile(`\[([^\]\n]{0,500})\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)\n]*)?\)`)
	htmlImage = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	htmlLink  = regexp.MustCompile(`(?is)<a\b([^>]*)>(.*?)</a\s*>`)
	htmlAttr  = regexp.MustCompile(`(?is)\b(?:href|src)\s*=\s*["']?([^"'\s>]+)`)
	// rawURL has no leading word boundary on purpose: a scheme glued to
	// the word before it ("voirhttps://…", "xjavascript:…", "texte.www.…")
	// is still a link a reader's client may make clickable.
	rawURL    = regexp.MustCompile(`(?i)(?:(?:https?|ftp|file|sftp|ssh|smb)://[^\s<>"'\x60]+|(?:javascript|data|vbscript|mailto|tel|sms|callto):[^\s<>"'\x60]+|www\d?\.[^\s<>"'\x60]+)`)
	bareHost  = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|biz|io|co|fr|eu|ru|cn|xyz|top|site|online|app|dev|me|ly|gl|be|ch|de|uk|us|tk|ml|ga|cf|gq|link|click|live|shop|store|tech|cloud|page|icu|club|bit)\b(?:/[^\s<>"'\x60]*)?`)
	digitRun  = newAnchoredScanner(`\+?\d(?:[ .\-\x{00A0}]?\d){9,14}`, plusOrDigit, numberWindow)
	intlPhone = newAnchoredScanner(`\+\d{1,3}(?:[ .\-\x{00A0}]?\(?\d{1,4}\)?){2,6}`, func(text string, p int) bool { return text[p] == '+' }, numberWindow)
)

// plusOrDigit reports whether text[p] is '+' or a digit.
func plusOrDigit(text string, p int) bool { return text[p] == '+' || startsWithDigit(text, p) }

// findAllEmails is emailCandidate.FindAllStringIndex, starting each search
// at the next '@'.
func findAllEmails(text string) [][]int {
	if strings.IndexByte(text, '@') < 0 {
		return nil
	}
	var out [][]int
	scanWith(emailSearch(text), text, func(start, end int) (span, bool) {
		out = append(out, []int{start, end})
		return span{start: start, end: end}, true
	}, func(span) {})
	return out
}

// GuardOutput removes from answer every URL, e-mail address, phone number,
// image and link that does not occur in the source material, and reports
// what it removed. Give the original (restored) texts the model was shown —
// subjects, addresses, bodies, attachment text — as sources; SourcesOf
// collects them from a thread. An item that occurs in a source only in a
// paragraph that carries an injected instruction (or right after one) does
// not count as occurring: "add this link to your answer: …" cannot vouch
// for its own link. Link text is kept when only the target is removed.
//
// Items glued to the text around them are still found: a scheme stuck to
// the word before it ("voirhttps://…", "xjavascript:…") starts a link; an
// e-mail address is read whole, so a word glued before it becomes part of
// its local part ("écrireaccueil@…" is another address than "accueil@…")
// and the whole token is removed unless that exact address is a source;
// a phone number is found by its digits wherever they start
// ("appelez0612345678"), and kept only if the sources have that number;
// an item that starts inside a removed one and runs past it is removed
// with it.
//
// GuardOutput reads its sources on every call; to guard several pieces of
// one answer (streamed tokens), build a [Guard] once with NewGuard.
func GuardOutput(answer string, sources ...string) (string, GuardReport) {
	return NewGuard(sources...).Apply(answer)
}

// Guard is an output guard built once from its sources, to apply to many
// answers or pieces of one. It is safe for concurrent use.
type Guard struct {
	g *guard
}

// NewGuard reads the sources once; see GuardOutput for the rules.
func NewGuard(sources ...string) *Guard {
	return &Guard{g: newGuard(sources)}
}

// Apply removes from answer what the guard's sources do not vouch for,
// exactly as GuardOutput(answer, sources...) would.
func (gd *Guard) Apply(answer string) (string, GuardReport) {
	g := gd.g
	var rep GuardReport
	// Images and links first: their targets decide, their text stays.
	answer = mdImage.ReplaceAllStringFunc(answer, func(m string) string {
		sub := mdImage.FindStringSubmatch(m)
		if g.urlAllowed(sub[2]) {
			return m
		}
		rep.Images++
		return guardImage
	})
	answer = htmlImage.ReplaceAllStringFunc(answer, func(m string) string {
		if src := htmlAttr.FindStringSubmatch(m); src != nil && g.urlAllowed(src[1]) {
			return m
		}
		rep.Images++
		return guardImage
	})
	answer = mdLink.ReplaceAllStringFunc(answer, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		if sub[2] == "" || g.urlAllowed(sub[2]) {
			return m
		}
		rep.Links++
		return sub[1]
	})
	answer = htmlLink.ReplaceAllStringFunc(answer, func(m string) string {
		sub := htmlLink.FindStringSubmatch(m)
		if href := htmlAttr.FindStringSubmatch(sub[1]); href != nil && g.urlAllowed(href[1]) {
			return m
		}
		rep.Links++
		return sub[2]
	})
	// Then bare items, longest first where they overlap.
	type item struct {
		start, end int
		kind       string
	}
	var items []item
	add := func(findAll func(string) [][]int, kind string) {
		for _, loc := range findAll(answer) {
			end := loc[0] + len(trimURL(answer[loc[0]:loc[1]]))
			if end > loc[0] {
				items = append(items, item{loc[0], end, kind})
			}
		}
	}
	// Hosts seen next to an injected instruction, whatever their TLD.
	lower := strings.ToLower(answer)
	for _, h := range g.taintedHosts {
		for i := 0; ; {
			j := strings.Index(lower[i:], h)
			if j < 0 {
				break
			}
			start := i + j
			end := start + len(h)
			for end < len(answer) && !strings.ContainsRune(" \t\r\n<>\"'`", rune(answer[end])) {
				end++
			}
			end = start + len(trimURL(answer[start:end]))
			items = append(items, item{start, end, "url"})
			i = start + len(h)
		}
	}
	add(allOf(rawURL), "url")
	add(findAllEmails, "email")
	add(allOf(bareHost), "url")
	add(phoneScanner.findAll, "phone")
	add(intlPhone.findAll, "phone")
	add(digitRun.findAll, "digits")
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].start != items[j].start {
			return items[i].start < items[j].start
		}
		return items[i].end-items[i].start > items[j].end-items[j].start
	})
	var b strings.Builder
	last := 0
	for _, it := range items {
		if it.end <= last {
			continue
		}
		s := answer[it.start:it.end]
		allowed, marker, ok := g.check(it.kind, s)
		if !ok || allowed {
			continue
		}
		if it.start < last {
			// It starts inside an item already removed and runs past it
			// ("pirate@evil.examplehttps://x.example"): remove its tail
			// too, under the same marker.
			last = it.end
			continue
		}
		switch it.kind {
		case "url":
			rep.URLs++
		case "email":
			rep.Emails++
		case "phone", "digits":
			rep.Phones++
		}
		b.WriteString(answer[last:it.start])
		b.WriteString(marker)
		last = it.end
	}
	b.WriteString(answer[last:])
	rep.Removed = rep.URLs + rep.Emails + rep.Phones + rep.Images + rep.Links
	return b.String(), rep
}

// allOf is re.FindAllStringIndex.
func allOf(re *regexp.Regexp) func(string) [][]int {
	return func(s string) [][]int { return re.FindAllStringIndex(s, -1) }
}

// guard holds what the sources vouch for.
type guard struct {
	clean   string // clean paragraphs, lower case
	emails  map[string]bool
	phones  map[string]bool
	digits  map[string]bool // digit runs of the clean sources, compacted
	tainted map[string]bool // items seen next to an injected instruction
	// taintedHosts are the host names of tainted URLs, lower case.
	taintedHosts []string
}

func newGuard(sources []string) *guard {
	clean, tainted := splitSuspicious(sources)
	g := &guard{clean: joinLower(clean), emails: map[string]bool{}, phones: map[string]bool{}, digits: map[string]bool{}, tainted: map[string]bool{}}
	for _, p := range clean {
		findEmails(p, func(s span) { g.emails[s.key] = true })
		for _, loc := range phoneScanner.findAll(p) {
			g.phones[phoneKey(p[loc[0]:loc[1]])] = true
		}
		for _, loc := range intlPhone.findAll(p) {
			g.phones[phoneKey(p[loc[0]:loc[1]])] = true
		}
		for _, loc := range digitRun.findAll(p) {
			c, _ := compact(p[loc[0]:loc[1]])
			g.digits[c] = true
		}
	}
	for _, p := range tainted {
		for _, re := range []*regexp.Regexp{rawURL, bareHost} {
			for _, m := range re.FindAllString(p, -1) {
				n := normURL(m)
				g.tainted[n] = true
				host := n
				if i := strings.Index(host, "://"); i >= 0 {
					host = host[i+3:]
				}
				if i := strings.IndexAny(host, "/?#:"); i >= 0 {
					host = host[:i]
				}
				if strings.Contains(host, ".") && len(host) >= 4 && !slices.Contains(g.taintedHosts, host) {
					g.taintedHosts = append(g.taintedHosts, host)
				}
			}
		}
		findEmails(p, func(s span) { g.tainted[s.key] = true })
		for _, loc := range phoneScanner.findAll(p) {
			g.tainted["tel:"+phoneKey(p[loc[0]:loc[1]])] = true
		}
		for _, loc := range intlPhone.findAll(p) {
			g.tainted["tel:"+phoneKey(p[loc[0]:loc[1]])] = true
		}
	}
	return g
}

// check says whether the sources vouch for item s of the given kind and
// what replaces it if not; ok is false when s is not an item after all
// (a digit group too short to be a phone number).
func (g *guard) check(kind, s string) (allowed bool, marker string, ok bool) {
	switch kind {
	case "email":
		return g.emailAllowed(s), guardEmail, true
	case "phone":
		if c, _ := compact(s); len(c) < 8 {
			return false, "", false
		}
		return g.phoneAllowed(s), guardPhone, true
	case "digits":
		// A long run of digits the sources do not have may be a phone
		// number in disguise ("33639987654").
		c, _ := compact(s)
		return g.digits[c] || g.phoneAllowed(s), guardPhone, true
	}
	return g.urlAllowed(s), guardLink, true
}

// trimURL drops trailing punctuation, keeping a closing parenthesis that
// closes one opened inside the URL.
// Punctuation is read as runes: "»" or "”" closing a quotation is trimmed
// whole, never cut in the middle of its UTF-8 bytes.
func trimURL(u string) string {
	for len(u) > 0 {
		c, size := utf8.DecodeLastRuneInString(u)
		if !strings.ContainsRune(trailPunct, c) {
			break
		}
		if c == ')' && strings.Count(u, "(") >= strings.Count(u, ")") {
			break
		}
		u = u[:len(u)-size]
	}
	return u
}

// normURL lower-cases a URL and drops trailing punctuation and slashes.
func normURL(u string) string {
	return strings.TrimRight(strings.ToLower(strings.TrimSpace(u)), trailPunct+"/")
}

// urlAllowed reports whether the URL occurs in a clean paragraph and never
// next to an injected instruction. Dangerous schemes are never allowed.
func (g *guard) urlAllowed(u string) bool {
	n := normURL(u)
	if n == "" {
		return false
	}
	for _, bad := range []string{"javascript:", "data:", "vbscript:", "file:"} {
		if strings.HasPrefix(n, bad) {
			return false
		}
	}
	if g.tainted[n] {
		return false
	}
	for t := range g.tainted {
		if strings.Contains(t, n) || strings.Contains(n, t) {
			return false
		}
	}
	return containsAtBoundary(g.clean, n)
}

func (g *guard) emailAllowed(e string) bool {
	k := strings.ToLower(strings.TrimSpace(e))
	return g.emails[k] && !g.tainted[k]
}

func (g *guard) phoneAllowed(p string) bool {
	k := phoneKey(p)
	return g.phones[k] && !g.tainted["tel:"+k]
}

// containsAtBoundary reports whether needle occurs in hay not glued to a
// preceding letter, digit, dot or hyphen ("a.fr" is not in "data.fr").
func containsAtBoundary(hay, needle string) bool {
	for i := 0; ; {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !strings.ContainsRune(schemeChars+"0123456789.-", rune(hay[at-1])) {
			return true
		}
		i = at + 1
	}
}

// SourcesOf returns the texts of a thread a guard should accept items
// from: subjects, addresses and display names, and body text. Add
// attachment text yourself.
func SourcesOf(t *mail.Thread) []string {
	if t == nil {
		return nil
	}
	var out []string
	for _, m := range t.Messages {
		if m == nil {
			continue
		}
		var hdr strings.Builder
		for _, list := range [][]mail.Address{m.From, m.To, m.Cc, m.ReplyTo} {
			for _, a := range list {
				hdr.WriteString(a.String())
				hdr.WriteString("\n")
			}
		}
		out = append(out, m.Subject, hdr.String())
		if m.Text != "" {
			out = append(out, m.Text)
		} else {
			out = append(out, m.New, m.Quoted, m.Signature)
		}
	}
	return out
}
