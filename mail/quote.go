package mail

import (
	"regexp"
	"strings"
)

// Split separates a message text into what the message adds (newText), the
// history it quotes (quoted, with one level of ">" removed) and the sender's
// signature. When the message forwards content, fwd describes the forwarded
// message and its content stays in newText: it is new to the thread.
//
// Recognised quoting, in French and English:
//   - ">" blocks, with the attribution line before them ("Le lun. 3 juin
//     2024 à 10:02, Marie Dupont <…> a écrit :", "On Mon, Jun 3, 2024 at
//     10:02 AM X wrote:", also wrapped over two or three lines);
//   - an attribution line followed by unmarked text (everything after is quoted);
//   - Outlook header blocks ("De : / Envoyé : / À : / Objet :",
//     "From: / Sent: / To: / Subject:"), optionally after a line of underscores;
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
// the full "On … wrote:" / "Le … a écrit :" form.
func attributionAt(ls []qline, i int) (n int, strong bool) {
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
