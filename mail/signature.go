package mail

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// mobileRe matches the lines phones and mobile apps append.
	mobileRe = regexp.MustCompile(`(?i)^(?:envoy[ée]|sent|get|obtenir|t[ée]l[ée]chargez|download)\s.{0,60}\b(?:iphone|ipad|android|mobile|smartphone|galaxy|samsung|outlook|blackberry|huawei|xiaomi|pixel|appareil|device|mail|courrier|windows|ios|tablette|tablet)\b.{0,30}$`)

	// closingRe matches closing formulas, which stay in the message text.
	closingRe = regexp.MustCompile(`(?i)^(?:(?:bien|très|tres|trés|avec mes|mes)\s+)?(?:cordialement|cordiales salutations|sinc[eè]res salutations|salutations(?: distingu[ée]es)?|respectueusement|bien [àa] (?:vous|toi)|amicalement|amiti[ée]s|bonne (?:journ[ée]e|soir[ée]e|fin de (?:journ[ée]e|semaine)|semaine)|cdlt|bàv|bav|best(?: regards| wishes)?|kind regards|warm regards|regards|many thanks|thanks\b.{0,40}|thank you\b.{0,40}|merci\b.{0,50}|sincerely(?: yours)?|yours (?:sincerely|faithfully|truly)|cheers|veuillez agr[ée]er.{0,200}|je vous prie d['’]agr[ée]er.{0,200}|dans l['’]attente de (?:votre|vous lire).{0,60})\s*[,.!]*$`)

	// disclaimerRe matches confidentiality and environment notices.
	disclaimerRe = regexp.MustCompile(`(?i)(?:ce (?:message|courriel|mail|e-mail|courrier électronique)(?: et| ainsi que)?(?: toutes)? (?:les |ses |leurs )?(?:pi[èe]ces jointes|fichiers joints)|(?:ce|le présent) (?:message|courriel) est (?:confidentiel|strictement)|(?:sont|est) (?:strictement )?confidentiel(?:le)?s? et (?:sont |est )?(?:[ée]tablis|destin[ée]|r[ée]serv[ée])|si vous n['’][êe]tes pas (?:le|la|les) destinataire|si vous avez reçu ce (?:message|courriel) par erreur|this (?:e-?mail|message)(?: and any (?:files|attachments)(?: transmitted with it)?)? (?:is|are|may be) (?:confidential|intended)|if you are not the intended recipient|if you have received this (?:e-?mail|message) in error|avant d['’]imprimer|pensez [àa] l['’]environnement|please consider the environment|think before you print)`)

	phoneRe   = regexp.MustCompile(`(?i)(?:\b(?:t[ée]l|tel|t[ée]l[ée]phone|phone|mobile|mob|portable|port|fax|standard|ligne directe|direct|gsm)\b\.?\s*:?\s*[+0(]?\d)|(?:(?:\+33\s?\(?0?\)?|\b0)\s*[1-9](?:[\s.-]?\d{2}){4}\b)`)
	addressRe = regexp.MustCompile(`(?i)(?:\b\d{5}\s+[A-ZÀ-Ý][\p{L}-]+|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|quai|all[ée]e|chemin|route|impasse|cours|square|esplanade)\b|\b(?:cs|bp|tsa)\s?\d{3,6}\b|\bcedex\b)`)
	roleRe    = regexp.MustCompile(`(?i)\b(?:chef|cheffe|adjoint|adjointe|directeur|directrice|secr[ée]taire|charg[ée]e?|responsable|gestionnaire|pr[ée]f[eè]te?|sous-pr[ée]f[eè]te?|pr[ée]fecture|sous-pr[ée]fecture|minist[èe]re|direction|service|bureau|p[ôo]le|mission|d[ée]partement|cabinet|attach[ée]e?|inspect(?:eur|rice)|conseill(?:er|[èe]re)|d[ée]l[ée]gu[ée]e?|r[ée]dact(?:eur|rice)|juriste|instructeur|instructrice|assistant|assistante|officer|manager|director|head of|department|ddt|ddets|dreal|dreets|ars|sgar|dgfip|drfip|ddfip|mairie|conseil d[ée]partemental|r[ée]gion|universit[ée]|rectorat|acad[ée]mie)(?:$|[^\p{L}\p{N}])`)
	webRe     = regexp.MustCompile(`(?i)(?:@|\bwww\.|https?://|\.gouv\.fr\b)`)
)

// splitSignature separates the trailing signature from a message's own lines.
//
// Recognised, in this order: the "-- " delimiter; a mobile line ("Envoyé de
// mon iPhone", "Sent from my …", "Obtenir Outlook pour Android") near the
// end; then, walking back from the end, confidentiality or environment
// disclaimers ("Ce message et toutes les pièces jointes sont confidentiels…")
// and administrative signature blocks (name, title, service, address, phone
// lines). A closing formula ("Cordialement,", "Best regards,") stays in the
// text; the name block after it is signature.
func splitSignature(lines []string) (body, sig []string) {
	end := len(lines)
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	lines = lines[:end]
	start := len(lines)
	for i, l := range lines {
		if l == "-- " || l == "--" {
			start = i
			break
		}
	}
	nonBlank := 0
	for i := start - 1; i >= 0 && nonBlank < 5; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		nonBlank++
		if len(t) <= 90 && mobileRe.MatchString(t) {
			start = i
		}
	}
	start = trailingBlock(lines[:start])
	return lines[:start], lines[start:]
}

// trailingBlock walks paragraphs back from the end and returns where the
// signature blocks and disclaimers begin (len(lines) when there are none).
func trailingBlock(lines []string) int {
	start := len(lines)
	paras := paragraphs(lines)
	for k := len(paras) - 1; k >= 1 || (k == 0 && start < len(lines)); k-- {
		if k == 0 {
			// Never take the first paragraph as a whole, unless it is a disclaimer.
			p := paras[0]
			if isDisclaimer(lines[p[0]:p[1]]) {
				start = p[0]
			}
			break
		}
		p := paras[k]
		block := lines[p[0]:p[1]]
		if isDisclaimer(block) {
			start = p[0]
			continue
		}
		if c := lastClosing(block); c >= 0 {
			if c < len(block)-1 && isSignatureLines(block[c+1:], true) {
				start = p[0] + c + 1
			}
			break
		}
		prev := paras[k-1]
		afterClosing := lastClosing(lines[prev[0]:prev[1]]) == prev[1]-prev[0]-1
		if isSignatureLines(block, afterClosing) {
			start = p[0]
			continue
		}
		break
	}
	if start == len(lines) && len(paras) == 1 {
		// One paragraph: "Cordialement,\nMarie Dupont\nCheffe de bureau".
		p := paras[0]
		block := lines[p[0]:p[1]]
		if c := lastClosing(block); c > 0 && c < len(block)-1 && isSignatureLines(block[c+1:], true) {
			start = p[0] + c + 1
		}
	}
	return start
}

// paragraphs returns [start, end) line ranges separated by blank lines.
func paragraphs(lines []string) [][2]int {
	var ps [][2]int
	s := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			if s >= 0 {
				ps = append(ps, [2]int{s, i})
				s = -1
			}
			continue
		}
		if s < 0 {
			s = i
		}
	}
	if s >= 0 {
		ps = append(ps, [2]int{s, len(lines)})
	}
	return ps
}

func lastClosing(block []string) int {
	for i := len(block) - 1; i >= 0; i-- {
		t := strings.TrimSpace(block[i])
		if utf8.RuneCountInString(t) <= 70 && closingRe.MatchString(t) {
			return i
		}
	}
	return -1
}

// disclaimerCues are cheap checks before disclaimerRe.
var disclaimerCues = []string{"confidenti", "jointes", "joints", "destinataire", "imprimer", "environ", "intended", "recipient", "attachments", "print", "erreur", "error"}

func isDisclaimer(block []string) bool {
	for _, l := range block {
		lower := strings.ToLower(l)
		cue := false
		for _, c := range disclaimerCues {
			if strings.Contains(lower, c) {
				cue = true
				break
			}
		}
		if cue && disclaimerRe.MatchString(l) {
			return true
		}
	}
	return false
}

// isSignatureLines reports whether every line is short and the block looks
// like a signature: a contact line (phone, address, role, mail or web), or
// only names after a closing formula.
func isSignatureLines(block []string, afterClosing bool) bool {
	if len(block) == 0 || len(block) > 14 {
		return false
	}
	contact, names := 0, 0
	for _, l := range block {
		t := strings.TrimSpace(l)
		if utf8.RuneCountInString(t) > 100 {
			return false
		}
		switch {
		case phoneRe.MatchString(t) || addressRe.MatchString(t) || webRe.MatchString(t) || roleRe.MatchString(t):
			contact++
		case isNameLine(t):
			names++
		case strings.HasSuffix(t, "?") || strings.HasSuffix(t, "."):
			return false
		}
	}
	if contact > 0 && contact+names >= (len(block)+1)/2 {
		return true
	}
	return afterClosing && names == len(block) && names <= 3
}

// isNameLine reports a short line of capitalised words without sentence
// punctuation, such as "Marie Dupont" or "Jean-Pierre MARTIN".
func isNameLine(t string) bool {
	f := strings.Fields(t)
	if len(f) == 0 || len(f) > 5 || strings.ContainsAny(t, ".?!:;0123456789") {
		return false
	}
	for _, w := range f {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && w != "de" && w != "du" && w != "des" && w != "la" && w != "le" {
			return false
		}
	}
	return true
}
