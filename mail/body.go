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
		s = strings.NewReplacer("\u00a0", " ", "\u200b", "", "\ufeff", "").Replace(s)
	}
	return s
}

type faith int

const (
	plainFaithful faith = iota
	plainStub           // empty or much shorter than what the HTML shows
	plainHidden         // holds words the HTML does not show
)

// faithful compares the words of the plain body with the visible HTML text.
func faithful(plain, htext string) faith {
	pw := words(plain)
	hw := words(htext)
	if len(pw) == 0 {
		return plainStub
	}
	if len(hw) == 0 {
		return plainFaithful
	}
	seen := make(map[string]struct{}, len(hw))
	for _, w := range hw {
		seen[w] = struct{}{}
	}
	missing := 0
	for _, w := range pw {
		if _, ok := seen[w]; !ok {
			missing++
		}
	}
	if missing > 3 && missing*20 > len(pw) { // more than 5 % unseen
		return plainHidden
	}
	if len(pw)*10 < len(hw)*6 {
		return plainStub
	}
	return plainFaithful
}

// words lower-cases the letter and digit runs of s (two runes or more).
func words(s string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 2 {
			if w := strings.ToLower(s[start:end]); !ignoredWords[w] {
				out = append(out, w)
			}
		}
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}
