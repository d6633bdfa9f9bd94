package mail

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split separates a message text into what the message adds (newText), the
// history it quotes (quoted, with one level of ">" removed) and the sender's
// signature. When the message forwards content, fwd describes the forwarded
// message and its content stays in newText: it is new to the thread.
//
// Recognised quoting, in French and English unless said otherwise:
//   - ">" blocks, with the attribution line before them ("Le lun. 3 juin
//     2024 à 10:02, Marie Dupont <…> a écrit :", "On Mon, Jun 3, 2024 at
//     10:02 AM X wrote:", also wrapped over two or three lines);
//   - in any language, an attribution found by its shape: one to three lines
//     holding a date or a time and a name or an address and ending with ':'
//     right before a ">" block (HTML quotes become one) or a header block;
//   - an attribution line followed by unmarked text (everything after is quoted);
//   - Outlook header blocks ("De : / Envoyé : / À : / Objet :",
//     "From: / Sent: / To: / Subject:"), optionally after a line of underscores;
//     a header block copied into the writer's prose and followed by more of
//     the writer's text (with a closing of its own) leaves that text new;
//   - separators "-----Original Message-----", "-----Message d'origine-----",
//     "-------- Message d'origine --------";
//   - forwards: "---------- Forwarded message ---------", "-------- Message
//     transféré --------", "-------- Forwarded Message --------", "Begin
//     forwarded message:", "Début du message réexpédié :".
//
// Signatures are described in [splitSignature]. Split never fails: text with
// nothing recognised is all new.
func Split(text string) (newText, quoted, signature string, fwd *Forward) {
	return split(normalizeText(text), false)
}

// qline is one line of text with its quoting level.
type qline struct {
	raw   string // the line, trailing white space removed
	level int    // number of leading '>' marks
	body  string // text without any quote mark, trimmed
	unq   string // raw with one quote level removed
	attr  bool   // an attribution line attached to the quote block after it
}

func toLines(text string) []qline {
	parts := strings.Split(text, "\n")
	ls := make([]qline, len(parts))
	for i, p := range parts {
		raw := strings.TrimRight(p, " \t")
		if raw == "-- " || p == "-- " {
			raw = "-- "
		}
		l := qline{raw: raw, unq: raw}
		s := strings.TrimLeft(raw, " ")
		if len(raw)-len(s) > 3 {
			s = raw
		}
		first := true
		for strings.HasPrefix(s, ">") {
			l.level++
			s = s[1:]
			if first {
				l.unq = strings.TrimPrefix(s, " ")
				first = false
			}
			if t := strings.TrimLeft(s, " "); strings.HasPrefix(t, ">") {
				s = t
			}
		}
		l.body = strings.TrimSpace(s)
		ls[i] = l
	}
	return ls
}

type cutKind int

const (
	cutNone cutKind = iota
	cutQuote
	cutForward
)

// cut is where quoted history or forwarded content starts.
type cut struct {
	kind    cutKind
	at      int  // first line of the quoted or forwarded region
	skip    int  // lines of separator to leave out of a forward
	unquote bool // forwarded content is inside a quote block
}

var (
	forwardSepRe  = regexp.MustCompile(`(?i)^(?:-{3,}\s*(?:forwarded message|message transf[ée]r[ée]|mensaje reenviado|weitergeleitete nachricht)\s*-{3,}|(?:begin forwarded message|d[ée]but du message r[ée]exp[ée]di[ée]|d[ée]but du message transf[ée]r[ée])\s*:)$`)
	originalSepRe = regexp.MustCompile(`(?i)^-{3,}\s*(?:original message|message d['’]origine|message original|urspr[üu]ngliche nachricht)\s*-{3,}$`)
	underscoreRe  = regexp.MustCompile(`^_{8,}$`)
)

// findCut finds the first place where the rest of the text is quoted or
// forwarded, and marks attribution lines that introduce a ">" block.
func findCut(ls []qline, forwardHint bool) cut {
	quoteKind := cutQuote
	if forwardHint {
		quoteKind = cutForward
	}
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if l.body == "" {
			continue
		}
		if l.level > 0 {
			if !startsQuoteBlock(ls, i) {
				continue
			}
			if forwardSepRe.MatchString(l.body) {
				return cut{kind: cutForward, at: i, skip: 1, unquote: true}
			}
			if forwardHint && headerBlockAt(ls, i) {
				return cut{kind: cutForward, at: i, unquote: true}
			}
			continue
		}
		switch {
		case forwardSepRe.MatchString(l.body):
			return cut{kind: cutForward, at: i, skip: 1}
		case originalSepRe.MatchString(l.body):
			return cut{kind: quoteKind, at: i, skip: 1}
		case underscoreRe.MatchString(l.body):
			if j := nextNonBlank(ls, i+1); j >= 0 && ls[j].level == 0 && headerBlockAt(ls, j) {
				return cut{kind: quoteKind, at: i, skip: j - i}
			}
			continue
		case headerBlockAt(ls, i):
			if end := copiedEnd(ls, i); end > 0 {
				// a copied message inside the writer's prose: the text
				// after it is the writer's again
				for k := i; k < end; k++ {
					ls[k].attr = true
				}
				i = end - 1
				continue
			}
			return cut{kind: quoteKind, at: i}
		}
		if n, strong := attributionAt(ls, i); n > 0 {
			j := nextNonBlank(ls, i+n)
			if j >= 0 && ls[j].level > 0 {
				for k := i; k < i+n; k++ {
					ls[k].attr = true
				}
				i += n - 1
				continue
			}
			if j >= 0 && headerBlockAt(ls, j) {
				return cut{kind: quoteKind, at: i}
			}
			if strong && j >= 0 {
				return cut{kind: cutQuote, at: i}
			}
		}
	}
	return cut{}
}

// startsQuoteBlock reports whether line i opens a quote block that no
// attribution introduces.
func startsQuoteBlock(ls []qline, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if ls[j].body == "" && ls[j].level == 0 {
			continue
		}
		if ls[j].level > 0 && ls[j].body == "" {
			return false
		}
		return ls[j].level == 0 && !ls[j].attr
	}
	return true
}

func nextNonBlank(ls []qline, i int) int {
	for ; i < len(ls); i++ {
		if ls[i].body != "" {
			return i
		}
	}
	return -1
}

// attributionAt recognises an attribution line at i, possibly wrapped over
// up to three lines. It returns the number of lines and whether the line has
// the full "On … wrote:" / "Le … a écrit :" form. In any language, lines
// holding a date or a time and a name or an address and ending with ':'
// are an attribution when quoted text follows them ([genericAttributionAt]).
func attributionAt(ls []qline, i int) (n int, strong bool) {
	if n, strong = knownAttributionAt(ls, i); n > 0 {
		return n, strong
	}
	return genericAttributionAt(ls, i), false
}

var (
	// dateTimeRe matches a time or a date written with digits: "10:02",
	// "03.06.2024", "2024", "2024年6月3日".
	dateTimeRe = regexp.MustCompile(`\d{1,2}[:h]\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?:^|\D)\d{4}(?:\D|$)`)
	// emailRe matches an e-mail address, bare or in angle brackets.
	emailRe = regexp.MustCompile(`\S+@\S+\.\S+`)
)

// genericAttributionAt recognises an attribution in any language: one to
// three lines, at quote level 0, that end with ':' (or '：'), hold a date
// or a time and a name or an address, immediately before a quote block
// (">" lines, also what HTML quotes become) or a header block. It returns
// the number of lines, 0 when there is none.
func genericAttributionAt(ls []qline, i int) int {
	var joined string
	for k := 0; k < 3 && i+k < len(ls); k++ {
		l := ls[i+k]
		if l.level != 0 || l.body == "" {
			return 0
		}
		joined = strings.TrimSpace(joined + " " + l.body)
		if len(joined) > 400 {
			return 0
		}
		if !strings.HasSuffix(joined, ":") && !strings.HasSuffix(joined, "：") {
			continue
		}
		if !dateTimeRe.MatchString(joined) || !namesSomeone(joined) {
			return 0
		}
		j := nextNonBlank(ls, i+k+1)
		if j >= 0 && (ls[j].level > 0 || headerBlockAt(ls, j)) {
			return k + 1
		}
		return 0
	}
	return 0
}

// namesSomeone reports whether an attribution holds an address or a name:
// a capitalised word other than the first, or letters of a script without
// case (Chinese, Japanese, Arabic…).
func namesSomeone(s string) bool {
	if emailRe.MatchString(s) {
		return true
	}
	for k, w := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "(<\"'«"))
		if k > 0 && unicode.IsUpper(r) {
			return true
		}
		if unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) {
			return true
		}
	}
	return false
}

// copiedEnd tells whether the header block at i is a message copied into
// the writer's prose, followed by more of the writer's text: after the
// block, a closing formula and its signature end the copied message, then
// comes text with a closing of its own, and nothing quoted or forwarded.
// It returns the line after the copied message, 0 when the block is plain
// quoted history.
func copiedEnd(ls []qline, i int) int {
	closings, end := 0, 0
	for j := i + 1; j < len(ls); j++ {
		l := ls[j]
		if l.level > 0 || originalSepRe.MatchString(l.body) || forwardSepRe.MatchString(l.body) || underscoreRe.MatchString(l.body) {
			return 0
		}
		if l.body != "" && closingRe.MatchString(l.body) {
			closings++
			if closings == 1 {
				// the copied message ends with the paragraph of its signature
				end = j + 1
				for end < len(ls) && ls[end].body != "" {
					end++
				}
			}
			continue
		}
		if j > i && l.body != "" && closings == 0 && j > i+1 && headerBlockAt(ls, j) {
			return 0
		}
	}
	if closings < 2 || nextNonBlank(ls, end) < 0 {
		return 0
	}
	return end
}

// knownAttributionAt recognises the attribution forms of known mail
// clients ("On … wrote:", "Le … a écrit :", "Am … schrieb"), wrapped too.
func knownAttributionAt(ls []qline, i int) (n int, strong bool) {
	s := ls[i].body
	lower := strings.ToLower(s)
	startsLike := strings.HasPrefix(lower, "on ") || strings.HasPrefix(lower, "le ") || strings.HasPrefix(lower, "am ")
	for k := 0; k < 3 && i+k < len(ls); k++ {
		if k > 0 {
			l := ls[i+k]
			if !startsLike || l.level != 0 || l.body == "" {
				break
			}
			lower += " " + strings.ToLower(l.body)
		}
		if len(lower) > 400 {
			break
		}
		if endsAttribution(lower) {
			return k + 1, startsLike && len(lower) >= 12
		}
	}
	return 0, false
}

func endsAttribution(lower string) bool {
	if !strings.HasSuffix(lower, ":") {
		return false
	}
	t := strings.TrimRight(lower, " :\u00a0")
	return strings.HasSuffix(t, "wrote") || strings.HasSuffix(t, "a écrit") ||
		strings.HasSuffix(t, "a ecrit") || strings.HasSuffix(t, "schrieb") ||
		strings.HasSuffix(t, "a écrit le")
}

// headerBlockAt reports whether an Outlook-style header block ("De : …" then
// "Envoyé : …", "À : …", "Objet : …") starts at line i, at i's quote level.
func headerBlockAt(ls []qline, i int) bool {
	label, _ := headerLabel(ls[i].body)
	if label != "from" {
		return false
	}
	seen := map[string]bool{"from": true}
	blank := 0
	for j := i + 1; j < len(ls) && j <= i+12; j++ {
		if ls[j].level != ls[i].level {
			break
		}
		if ls[j].body == "" {
			blank++
			if blank > 1 {
				break
			}
			continue
		}
		blank = 0
		l, _ := headerLabel(ls[j].body)
		if l == "" {
			break
		}
		seen[l] = true
	}
	n := 0
	for _, k := range []string{"date", "to", "subject", "cc"} {
		if seen[k] {
			n++
		}
	}
	return n >= 2 && (seen["subject"] || seen["date"])
}

var headerLabels = map[string]string{
	"de": "from", "from": "from", "expéditeur": "from", "expediteur": "from",
	"envoyé": "date", "envoye": "date", "sent": "date", "date": "date", "envoyé le": "date", "sent on": "date",
	"à": "to", "a": "to", "to": "to", "pour": "to", "destinataire": "to", "destinataires": "to",
	"cc": "cc", "cci": "cc", "bcc": "cc", "copie": "cc", "copie à": "cc",
	"objet": "subject", "subject": "subject", "sujet": "subject",
	"répondre à": "replyto", "reply-to": "replyto", "importance": "importance",
	"pièces jointes": "attachments", "attachments": "attachments",
}

// headerLabel reads "Label : value" (also "*Label:*" as Outlook writes bold
// in plain text) and returns the canonical label and the value.
func headerLabel(s string) (label, value string) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i > 40 {
		return "", ""
	}
	key := strings.ToLower(strings.Trim(s[:i], " *\t"))
	label = headerLabels[key]
	if label == "" {
		return "", ""
	}
	return label, strings.Trim(s[i+1:], " *\t")
}
