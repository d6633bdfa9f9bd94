package assist

import (
	"strings"
)

// offlineDraft fills the layout of a courrier or a note with the facts the
// offline engine extracts from the sources (the sentences it would quote
// in a summary, the deadlines it finds); everything else is [à compléter].
func (a *Assistant) offlineDraft(req DraftRequest, srcs []source, lang string) *Draft {
	t := req.Pass.Thread()
	d := &Draft{Kind: req.Kind, Attachments: []string{}}
	var facts, deadlines []string
	subject, when := "", ""
	if t != nil && len(t.Messages) > 0 {
		m := t.Latest()
		subject = strings.TrimSpace(m.NormSubject)
		if subject == "" {
			subject = strings.TrimSpace(m.Subject)
		}
		if !m.Date.IsZero() {
			when = frenchDate(m.Date)
		}
		s := a.offlineSummary(ThreadRequest{Pass: req.Pass, Length: "standard", thread: t}, lang, "no model configured")
		facts = s.KeyPoints
		for _, it := range s.ActionItems {
			if it.DueText != "" || it.Due != "" {
				deadlines = append(deadlines, it.What)
			}
		}
	}
	for _, s := range srcs {
		if s.msg >= 0 {
			continue
		}
		if subject == "" {
			subject = s.cite
		}
		ss := sentences(s.text)
		facts = append(facts, ss[:min(len(ss), 3)]...)
	}
	d.Object = orTodo(subject, "objet")
	quoted := func(ss []string) string {
		var q []string
		for _, s := range ss {
			q = append(q, "« "+strings.TrimSpace(s)+" »")
		}
		return strings.Join(q, " ; ")
	}
	instr := strings.TrimSpace(req.Instructions)
	if d.Kind == DraftNote {
		d.OurRef = "[à compléter : références]"
		if when != "" {
			d.OurRef = "Courriel du " + when + " (« " + subject + " »)"
		}
		d.Ask = "La présente note a pour objet de [à compléter : décision ou arbitrage attendu] au sujet de « " + d.Object + " »."
		d.Body = append(d.Body, Section{Title: "I. Contexte", Text: "[Éléments relevés dans les sources, à reformuler :] " + orTodo(quoted(facts), "contexte")})
		if len(deadlines) > 0 {
			d.Body = append(d.Body, Section{Title: "II. Échéances", Text: quoted(deadlines)})
		}
		analysis := "[à compléter : analyse]"
		if instr != "" {
			analysis = "[à compléter selon les consignes : " + instr + "]"
		}
		d.Body = append(d.Body, Section{Title: map[bool]string{true: "III. Analyse", false: "II. Analyse"}[len(deadlines) > 0], Text: analysis})
		d.Proposal = "[à compléter : proposition ou décision attendue]"
	} else {
		if when != "" {
			d.YourRef = "Votre courriel du " + when
			d.Body = append(d.Body, Section{Text: "Par courriel du " + when + ", vous avez appelé mon attention sur « " + d.Object + " »."})
		} else {
			d.Body = append(d.Body, Section{Text: "J'ai pris connaissance de votre demande relative à « " + d.Object + " »."})
		}
		if len(facts) > 0 {
			d.Body = append(d.Body, Section{Text: "[Éléments relevés dans les sources, à reprendre :] " + quoted(facts)})
		}
		answer := "[à compléter : réponse sur le fond]"
		if instr != "" {
			answer = "[à compléter selon les consignes : " + instr + "]"
		}
		d.Body = append(d.Body, Section{Text: answer})
		d.Body = append(d.Body, Section{Text: "Mes services restent à votre disposition pour tout renseignement complémentaire."})
	}
	return d
}
