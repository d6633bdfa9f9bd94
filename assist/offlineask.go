package assist

import (
	"regexp"
	"sort"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// The offline answer to a question is extractive: the sentences of the
// sources that share the most words with the question, quoted as they are,
// each followed by its source. A question about a date or an amount
// prefers sentences that hold one.

// askDateRE and askNumberRE tell what a question is about.
var (
	askDateRE   = regexp.MustCompile(`(?i)\b(quand|date|délai|limite|avant|jusqu|échéance|when|deadline|until)`)
	askAmountRE = regexp.MustCompile(`(?i)\b(combien|montant|coût|prix|somme|how much|amount|cost)`)
	hasDateRE   = regexp.MustCompile(`(?i)\d{1,2}[/.]\d{1,2}|\b\d{1,2}(er)?\s+(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)|\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|huitaine|quinzaine)\b`)
	hasAmountRE = regexp.MustCompile(`\d[\d  .,]*\s*(€|euros?|EUR|k€)`)
)

// askWords are a text's words for matching, plurals folded.
func askWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words(s) {
		out[strings.TrimRight(w, "sx")] = true
	}
	return out
}

// askStop are question words that say nothing of the answer.
var askStop = askWords("quel quelle quels quelles quoi comment pourquoi combien est-ce what which who how why does")

// offlineAnswer quotes the sentences of srcs that best match question.
func offlineAnswer(question string, srcs []source, t *mail.Thread, lang string) *Answer {
	qw := askWords(question)
	for w := range askStop {
		delete(qw, w)
	}
	type hit struct {
		text  string
		src   source
		score float64
		order int
	}
	var hits []hit
	score := func(s string) float64 {
		n := 0.0
		for w := range askWords(s) {
			if qw[w] {
				n++
			}
		}
		if n > 0 && askDateRE.MatchString(question) && hasDateRE.MatchString(s) {
			n += 1.5
		}
		if n > 0 && askAmountRE.MatchString(question) && hasAmountRE.MatchString(s) {
			n += 1.5
		}
		return n
	}
	need := 1.0
	if len(qw) > 2 {
		need = 2
	}
	// Messages: the sentences the offline engine may quote (no signatures,
	// headers or disclaimers); documents: every sentence of the page.
	bySrc := map[int]source{}
	for _, s := range srcs {
		if s.msg >= 0 {
			bySrc[s.msg] = s
		}
	}
	if t != nil {
		for _, c := range threadSentences(t) {
			if sc := score(c.text); sc >= need && !c.cited {
				hits = append(hits, hit{c.text, bySrc[c.msg], sc, len(hits)})
			}
		}
	}
	for _, s := range srcs {
		if s.msg >= 0 {
			continue
		}
		for _, sent := range sentences(s.text) {
			if sc := score(sent); sc >= need {
				hits = append(hits, hit{sent, s, sc, len(hits)})
			}
		}
	}
	ans := &Answer{Question: question, Citations: []Citation{}}
	if len(hits) == 0 {
		ans.Text = notInSources
		if lang == "en" {
			ans.Text = "The thread does not say."
		}
		return ans
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	hits = hits[:min(len(hits), 3)]
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].order < hits[j].order })
	var sb strings.Builder
	if lang == "en" {
		sb.WriteString("[Automatic offline answer: sentences quoted from the sources, not rewritten.]")
	} else {
		sb.WriteString("[Réponse automatique hors ligne : phrases extraites des sources, non reformulées.]")
	}
	seen := map[string]bool{}
	for _, h := range hits {
		sb.WriteString("\n« " + strings.TrimSpace(h.text) + " » (" + h.src.cite + ")")
		if !seen[h.src.ref] {
			seen[h.src.ref] = true
			ans.Citations = append(ans.Citations, Citation{Ref: h.src.ref, Source: h.src.cite})
		}
	}
	ans.Text, ans.Found = sb.String(), true
	return ans
}
