package privacy

import (
	"regexp"
	"strings"
)

// injectionCues match instructions aimed at an assistant rather than at a
// person, in French and English, on text folded by foldString (upper case,
// no accents). They serve two purposes: counting suspected injections for
// the answer's metadata, and refusing to vouch for the links, addresses and
// phone numbers written next to them (see GuardOutput).
var injectionCues = []cue{
	{[]string{"IGNORE"}, regexp.MustCompile(`\bIGNORE[SZR]?\b(?s:.{0,60})\b(?:INSTRUCTIONS?|CONSIGNES?|REGLES|PROMPT|DIRECTIVES|CE QUI PRECEDE|ABOVE|PREVIOUS|PRIOR)\b`)},
	{[]string{"OUBLIE", "DISREGARD", "FORGET", "OVERRIDE", "PAS COMPTE"}, regexp.MustCompile(`\b(?:OUBLIE[SZR]?|DISREGARD|FORGET|OVERRIDE|NE (?:TIENS|TENEZ) PAS COMPTE)\b(?s:.{0,60})\b(?:INSTRUCTIONS?|CONSIGNES?|REGLES|PROMPT|DIRECTIVES|CE QUI PRECEDE|ABOVE|PREVIOUS|PRIOR|EVERYTHING|TOUT)\b`)},
	{[]string{"SYSTEM", "DEVELOP", "JAILBREAK"}, regexp.MustCompile(`\b(?:SYSTEM PROMPT|PROMPT SYSTEME|MESSAGE SYSTEME|SYSTEM MESSAGE|DEVELOPER MODE|MODE DEVELOPPEUR|JAILBREAK)\b`)},
	{[]string{"<|", "INST]", "SYS>>"}, regexp.MustCompile(`<\|[A-Z_]{2,20}\|>|\[/?INST\]|<</?SYS>>`)},
	{[]string{"#"}, regexp.MustCompile(`(?m)^[ \t>]*#{1,6}[ \t]*(?:SYSTEM|SYSTEME|INSTRUCTIONS?|ASSISTANT|USER|UTILISATEUR)\b`)},
	{[]string{":"}, regexp.MustCompile(`(?m)^[ \t>]*(?:SYSTEM|SYSTEME|ASSISTANT|USER|HUMAN|AI|IA|UTILISATEUR)[ \t]*:`)},
	{[]string{"YOU ARE NOW", "MAINTENANT", "INSTRUCTION", "AS AN AI", "EN TANT QU'", "ASSISTANT", "LANGUAGE MODEL", "MODELE DE LANGU", "CHATGPT", "LLM"}, regexp.MustCompile(`\b(?:YOU ARE NOW|TU ES MAINTENANT|VOUS ETES MAINTENANT|NOUVELLES? INSTRUCTIONS?|NEW INSTRUCTIONS?|AS AN AI|EN TANT QU'(?:IA|ASSISTANT)|AI ASSISTANT|ASSISTANT IA|ASSISTANT VIRTUEL|LANGUAGE MODEL|MODELE DE LANGU|CHATGPT|\bLLM\b)`)},
	{[]string{"LIEN", "URL", "NUMERO", "PHONE", "DESTINATAIRE", "COPIE", "IMAGE", "LINK", "NUMBER", "RECIPIENT", "CC"}, regexp.MustCompile(`\b(?:AJOUTE[SZR]?|INSERE[SZR]?|INCLU(?:S|T|EZ|RE|E)|METS|METTEZ|METTRE|MENTIONNE[SZR]?|INDIQUE[SZR]?|ADD|INSERT|INCLUDE|PUT|APPEND|MENTION)\b(?s:.{0,60})\b(?:LIEN|URL|NUMERO|TELEPHONE|DESTINATAIRES?|EN COPIE|IMAGE|LINK|PHONE|NUMBER|RECIPIENTS?|CC|BCC)\b`)},
	{cueTargets, regexp.MustCompile(`\b(?:A LA FIN|AU DEBUT|EN FIN|EN BAS|AT THE END|AT THE BEGINNING|AT THE BOTTOM) (?:DE|DU|OF) (?:TA|TON|VOTRE|YOUR|LA|LE|THE) (?:REPONSE|RESUME|SYNTHESE|REPLY|ANSWER|SUMMARY|OUTPUT|BROUILLON|DRAFT)\b`)},
	{cueTargets, regexp.MustCompile(`\b(?:DANS|IN) (?:TA|TON|VOTRE|YOUR|LA|THE) (?:REPONSE|RESUME|SYNTHESE|REPLY|ANSWER|SUMMARY|OUTPUT|BROUILLON|DRAFT)\b`)},
	{[]string{"TRANSFERE", "FORWARD", "SUPPRIME", "DELETE", "EFFACE"}, regexp.MustCompile(`\b(?:TRANSFERE[SZR]?|FORWARD|SUPPRIME[SZR]?|DELETE|EFFACE[SZR]?)\b(?s:.{0,40})\b(?:CE MESSAGE|CES MESSAGES|CE COURRIEL|THIS (?:EMAIL|MESSAGE|MAIL)|ALL (?:EMAILS|MESSAGES)|TOUS LES (?:MESSAGES|COURRIELS|MAILS))\b`)},
}

// cue is an injection pattern and the words one of which every match
// contains: a text with none of them is not run through the pattern.
type cue struct {
	anchors []string
	re      *regexp.Regexp
}

// cueTargets are the words naming the assistant's output.
var cueTargets = []string{"REPONSE", "RESUME", "SYNTHESE", "REPLY", "ANSWER", "SUMMARY", "OUTPUT", "BROUILLON", "DRAFT"}

// mdImage in a mail is a markdown image written for a model to copy.
var mdImageCue = regexp.MustCompile(`!\[[^\]\n]*\]\(`)

// base64Blob is a long run of base64 text, a common way to smuggle instructions.
var base64Blob = regexp.MustCompile(`[A-Za-z0-9+/]{80,}={0,2}`)

// InjectionCues counts the passages of text that look like instructions to
// an assistant (French and English), forged role markers and base64
// payloads. It is a signal for metadata and the output guard, not a filter:
// the text still goes to the model, delimited as data.
func InjectionCues(text string) int {
	f := foldString(text)
	n := 0
	for _, c := range injectionCues {
		if containsAny(f, c.anchors) {
			n += len(c.re.FindAllStringIndex(f, -1))
		}
	}
	if hasBase64Run(text) {
		n += len(base64Blob.FindAllStringIndex(text, -1))
	}
	if strings.Contains(text, "![") {
		n += len(mdImageCue.FindAllStringIndex(text, -1))
	}
	return n
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// hasBase64Run reports whether text has a run of 80 base64 characters,
// the least base64Blob matches.
func hasBase64Run(text string) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if isASCIILetter(c) || '0' <= c && c <= '9' || c == '+' || c == '/' {
			if run++; run >= 80 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// paragraphBreak separates paragraphs: a blank line.
var paragraphBreak = regexp.MustCompile(`\n[ \t>]*\r?\n`)

// splitSuspicious splits source material into the paragraphs that can vouch
// for a link, address or number (clean) and those that cannot (tainted):
// paragraphs with an injection cue, and the paragraph right after one.
func splitSuspicious(sources []string) (clean, tainted []string) {
	for _, src := range sources {
		taintNext := false
		for _, p := range paragraphBreak.Split(src, -1) {
			if InjectionCues(p) > 0 {
				tainted = append(tainted, p)
				taintNext = true
				continue
			}
			if taintNext {
				tainted = append(tainted, p)
				taintNext = false
				continue
			}
			clean = append(clean, p)
		}
	}
	return clean, tainted
}

// joinLower joins texts in lower case, separated by line breaks.
func joinLower(texts []string) string {
	return strings.ToLower(strings.Join(texts, "\n"))
}
