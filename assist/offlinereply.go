package assist

import (
	"strings"
)

// Template replies of the offline engine, one per kind, in French and
// English. [à compléter] marks every fact a person must supply.

var replyTemplates = map[string]map[string]string{
	"reply": {
		"fr": "Je fais suite à votre message du {{date}} relatif à « {{subject}} ».\n\n[à compléter : réponse sur le fond]",
		"en": "Further to your message of {{date}} about \"{{subject}}\":\n\n[to be completed: answer on the substance]",
	},
	"ack": {
		"fr": "J'accuse bonne réception de votre message du {{date}} relatif à « {{subject}} ».\n\nVotre demande est en cours d'examen ; une réponse vous sera apportée dans les meilleurs délais.",
		"en": "I acknowledge receipt of your message of {{date}} about \"{{subject}}\".\n\nYour request is being examined and you will receive an answer as soon as possible.",
	},
	KindReceipt: {
		"fr": "J'accuse réception de votre demande du {{date}} relative à « {{subject}} ».\n\nElle est en cours d'instruction par mes services.",
		"en": "I acknowledge receipt of your request of {{date}} about \"{{subject}}\".\n\nIt is being examined by my services.",
	},
	"missing_documents": {
		"fr": "Je fais suite à votre message du {{date}} relatif à « {{subject}} ».\n\nAfin de poursuivre l'instruction de votre dossier, je vous remercie de bien vouloir me transmettre les pièces suivantes :\n- [à compléter]\n\nDès réception de ces éléments, votre dossier pourra être examiné.",
		"en": "Further to your message of {{date}} about \"{{subject}}\".\n\nTo continue processing your file, please send me the following documents:\n- [to be completed]\n\nYour file will be examined as soon as they are received.",
	},
	"meeting_accept": {
		"fr": "Je vous remercie pour votre invitation relative à « {{subject}} ».\n\nJe vous confirme ma participation à la réunion du [à compléter : date, heure et lieu].",
		"en": "Thank you for your invitation about \"{{subject}}\".\n\nI confirm that I will attend the meeting on [to be completed: date, time and place].",
	},
	"meeting_decline": {
		"fr": "Je vous remercie pour votre invitation relative à « {{subject}} ».\n\nJe ne serai malheureusement pas en mesure d'y participer. [à compléter : représentant ou autre date proposée]",
		"en": "Thank you for your invitation about \"{{subject}}\".\n\nUnfortunately I will not be able to attend. [to be completed: representative or another date]",
	},
	"holding": {
		"fr": "J'ai bien reçu votre message du {{date}} relatif à « {{subject}} ».\n\nVotre demande est prise en compte ; je reviendrai vers vous d'ici le [à compléter].",
		"en": "I have received your message of {{date}} about \"{{subject}}\".\n\nYour request is being handled; I will come back to you by [to be completed].",
	},
}

// offlineReply fills the kind's template from the thread's metadata.
func (a *Assistant) offlineReply(req ReplyRequest, lang string) *Reply {
	signer := replier(req.thread, req.Signer)
	target := replyTarget(req.thread, signer)
	latest := req.thread.Messages[target]
	ad := findAddressee(req.thread, target, req.ReplyAll)
	date := ""
	if !latest.Date.IsZero() {
		date = latest.Date.Format("02/01/2006")
	}
	subject := strings.TrimPrefix(strings.TrimPrefix(replySubject(latest, lang), "RE : "), "Re: ")
	body := fillPlaceholders(replyTemplates[req.Kind][lang], map[string]string{"date": date, "subject": subject})
	missing := "[à compléter]"
	note := "[Brouillon automatique hors ligne : modèle de réponse à relire et compléter.]"
	if lang == "en" {
		missing = "[to be completed]"
		note = "[Automatic offline draft: a template to review and complete.]"
	}
	if date == "" {
		body = strings.ReplaceAll(body, " du  ", " ")
		body = strings.ReplaceAll(body, " of  ", " ")
	}
	var sb strings.Builder
	sb.WriteString(note + "\n\n")
	sb.WriteString(appellation(ad, req.Tone, lang) + "\n\n")
	sb.WriteString(body + "\n\n")
	if in := strings.TrimSpace(req.Instructions); in != "" {
		if lang == "en" {
			sb.WriteString("[to be completed according to your instructions: " + in + "]\n\n")
		} else {
			sb.WriteString("[à compléter selon vos consignes : " + in + "]\n\n")
		}
	}
	sb.WriteString(closing(ad, req.Tone, lang) + "\n\n")
	if signer.Name != "" {
		sb.WriteString(signer.Name)
	} else {
		sb.WriteString(missing)
	}
	r := &Reply{Subject: replySubject(latest, lang), Text: strings.TrimSpace(sb.String())}
	r.HTML = htmlFromText(r.Text)
	return r
}

// fillPlaceholders replaces {{name}} by vals[name]; unknown names stay.
func fillPlaceholders(tmpl string, vals map[string]string) string {
	var sb strings.Builder
	for {
		i := strings.Index(tmpl, "{{")
		if i < 0 {
			sb.WriteString(tmpl)
			return sb.String()
		}
		j := strings.Index(tmpl[i:], "}}")
		if j < 0 {
			sb.WriteString(tmpl)
			return sb.String()
		}
		name := strings.TrimSpace(tmpl[i+2 : i+j])
		sb.WriteString(tmpl[:i])
		if v, ok := vals[name]; ok {
			sb.WriteString(v)
		} else {
			sb.WriteString(tmpl[i : i+j+2])
		}
		tmpl = tmpl[i+j+2:]
	}
}
