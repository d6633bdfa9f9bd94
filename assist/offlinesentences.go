package assist

import (
	"regexp"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// offlineNoiseRE matches what an extractive summary must never quote:
// header fields of quoted history, separator rules, our own labels,
// disclaimers and mobile sign-offs.
var offlineNoiseRE = regexp.MustCompile(`(?i)` +
	`(^|\s)(de|from|envoyé|envoye|sent|objet|subject|cc|à|to)\s?:\s|` +
	`_{5,}|-{5,}|={5,}|` +
	`^\[|\[(historique|contenu transféré|quoted history|forwarded content)|` +
	`\b(a écrit|wrote)\s*:\s*$|` +
	`(ce (message|courriel|mail|e-mail)|this (message|e-?mail)).{0,80}(confidenti|destinataires?|intended)|` +
	`pensez à l'environnement|think before printing|avant d'imprimer|` +
	`^(envoyé (de|depuis) mon|sent from my)`)

// contactLineRE matches lines made of contact details only.
var contactLineRE = regexp.MustCompile(`(?i)^((tél|tel|fax|mob|port|standard)\.?\s*:?\s*)?[+\d][\d .()/-]{7,}$|^\S+@\S+$`)

// threadSentences are the sentences the offline engine may pick: what each
// message adds first, then cited history of messages absent from the
// thread, header lines, rules, labels, signatures and disclaimers left out.
func threadSentences(t *mail.Thread) []candidate {
	sigs := map[string]bool{}
	for _, m := range t.Messages {
		mark(signatureLines(m.Signature), sigs)
	}
	blocks := threadBlocks(t, "fr")
	var out []candidate
	add := func(paras []string, msg int, cited bool) {
		for _, p := range paras {
			if isQuoteHeader(p) {
				continue
			}
			for _, s := range contentSentences(p) {
				if offlineNoise(s, sigs) {
					continue
				}
				out = append(out, candidate{text: s, msg: msg, order: len(out), cited: cited})
			}
		}
	}
	for _, b := range blocks {
		add(b.own, b.idx-1, false)
	}
	for _, b := range blocks {
		add(b.cited, b.idx-1, true)
	}
	return out
}

// offlineNoise reports whether s is not worth quoting in a summary.
func offlineNoise(s string, sigs map[string]bool) bool {
	if len(words(s)) < 3 && !askRE.MatchString(s) {
		return true // greetings, sign-offs, names; not "Merci de faire le nécessaire."
	}
	if offlineNoiseRE.MatchString(s) || contactLineRE.MatchString(strings.TrimSpace(s)) {
		return true
	}
	return sigs[normSentence(s)]
}
