package mail

import (
	"regexp"
	"strings"
	"unicode"
)

// cidRe matches the "[cid:image001.png@01DA…]" marks Outlook leaves in plain text.
var cidRe = regexp.MustCompile(`\[cid:[^\]\n]{0,200}\]`)

// ignoredWords are URL and markup words that differ between plain and HTML
// renderings of the same text.
var ignoredWords = map[string]bool{"mailto": true, "http": true, "https": true, "www": true, "cid": true, "image": true}

// SetBody chooses the message text from its plain and HTML bodies, splits it
// into New, Quoted and Signature, and fills Text, Forwarded and Cleaning.
//
// The plain body is used when it is a faithful alternative of the HTML one:
// its words are the words a reader sees in the HTML. Otherwise (a stub such
// as "view this mail in a browser", or text the HTML hides) the HTML is
// converted by [HTMLToText]. Cleaning counts are replaced; existing warnings
// are kept. Set Subject first: a forward prefix (TR:, Fwd:) lets an Outlook
// forward, whose header looks like a reply's, be recognised as a forward.
func (m *Message) SetBody(plain, html string) {
	plain = cidRe.ReplaceAllString(normalizeText(plain), "")
	warnings := m.Cleaning.Warnings
	m.Cleaning = Cleaning{Warnings: warnings}
	text := plain
	if strings.TrimSpace(html) != "" {
		htext, cl := HTMLToText(html)
		m.Cleaning.HiddenElements = cl.HiddenElements
		m.Cleaning.TrackingImages = cl.TrackingImages
		m.Cleaning.Scripts = cl.Scripts
		m.Cleaning.Warnings = append(m.Cleaning.Warnings, cl.Warnings...)
		switch faithful(plain, htext) {
		case plainFaithful:
		case plainStub:
			text = htext
		case plainHidden:
			text = htext
			m.Cleaning.Warnings = append(m.Cleaning.Warnings,
				"the text/plain part holds words the HTML part does not show; the HTML was used")
		}
	}
	inlinePGP(text, &m.Security)
	m.Text = strings.TrimSpace(text)
	m.New, m.Quoted, m.Signature, m.Forwarded = split(m.Text, isForwardSubject(m.Subject))
}

// normalizeText unifies line ends and removes characters that only confuse.
func normalizeText(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if strings.ContainsAny(s, "\u00a0\u200b\ufeff") {
		s = invisibleReplacer.Replace(s)
	}
	return s
}

var invisibleReplacer = strings.NewReplacer("\u00a0", " ", "\u200b", "", "\ufeff", "")

type faith int

const (
	plainFaithful faith = iota
	plainStub           // empty or much shorter than what the HTML shows
	plainHidden         // holds words the HTML does not show
)

// faithful compares the words of the plain body with the visible HTML text.
func faithful(plain, htext string) faith {
	seen := make(map[uint64]struct{}, len(htext)/6)
	hn := 0
	eachWord(htext, func(h uint64) {
		seen[h] = struct{}{}
		hn++
	})
	pn, missing := 0, 0
	eachWord(plain, func(h uint64) {
		pn++
		if _, ok := seen[h]; !ok {
			missing++
		}
	})
	if pn == 0 {
		return plainStub
	}
	if hn == 0 {
		return plainFaithful
	}
	if missing > 3 && missing*20 > pn { // more than 5 % unseen
		return plainHidden
	}
	if pn*10 < hn*6 {
		return plainStub
	}
	return plainFaithful
}

// ignoredHashes are the hashes of ignoredWords.
var ignoredHashes map[uint64]bool

func init() {
	m := map[uint64]bool{}
	for w := range ignoredWords {
		eachWord(w, func(h uint64) { m[h] = true })
	}
	ignoredHashes = m
}

// eachWord calls fn with an FNV-1a hash of each lower-cased letter and digit
// run of s that has two runes or more, except ignoredWords.
func eachWord(s string, fn func(uint64)) {
	const offset, prime = 14695981039346656037, 1099511628211
	h, n := uint64(offset), 0
	flush := func() {
		if n >= 2 && (ignoredHashes == nil || !ignoredHashes[h]) {
			fn(h)
		}
		h, n = offset, 0
	}
	for _, r := range s {
		if r < 128 {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			case r >= 'A' && r <= 'Z':
				r += 'a' - 'A'
			default:
				flush()
				continue
			}
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
		} else {
			flush()
			continue
		}
		h = (h ^ uint64(r)) * prime
		n++
	}
	flush()
}
