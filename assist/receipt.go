package assist

import (
	"regexp"
	"strings"
	"time"

	"github.com/plume-admin/plume/mail"
)

// An accusé de réception of a request from the public (reply kind
// KindReceipt) carries the mentions of the Code des relations entre le
// public et l'administration: L112-3 (every request is acknowledged),
// R112-5 (the date of receipt, the date after which silence is a decision
// and which one, the service in charge with its address, e-mail and
// telephone; the appeal routes when silence means rejection, the
// attestation of L232-3 when it means acceptance), L114-5 (the missing
// pieces and the deadline to send them; their effect on the delay),
// L112-6 (without these mentions the appeal delays cannot be opposed to
// the requester). The model, or the offline template, writes the letter;
// the mentions are computed here from the configuration's procedure table
// and the request's date, and added after the answer is restored and
// guarded: nothing in them comes from the model. What is not known is
// [à compléter].

// KindReceipt is the reply kind of an accusé de réception per the CRPA.
const KindReceipt = "accuse_reception"

// closingLineRE finds the formule de politesse the mentions go before.
var closingLineRE = regexp.MustCompile(`(?im)^(je vous prie d'agréer|veuillez agréer|je vous prie de croire|bien cordialement|cordialement|kind regards|best regards|yours (faithfully|sincerely))`)

// addReceipt adds the CRPA mentions to an acknowledgement drafted for req.
func (a *Assistant) addReceipt(r *Reply, req ReplyRequest) {
	t := req.Pass.Thread()
	if r == nil || t == nil || len(t.Messages) == 0 {
		return
	}
	signer := mail.Address{Name: req.Pass.Text(req.Signer.Name), Address: req.Pass.Text(req.Signer.Address)}
	m := t.Messages[replyTarget(t, replier(t, signer))]
	mentions := a.receiptMentions(m.Date, m.Subject+"\n"+newText(m), req.Procedure, req.Missing, req.Incomplete)
	text := r.Text
	if loc := closingLineRE.FindAllStringIndex(text, -1); len(loc) > 0 {
		at := loc[len(loc)-1][0]
		text = text[:at] + mentions + "\n\n" + text[at:]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + mentions
	}
	r.Text = text
	r.HTML = htmlFromText(text)
}

// receiptMentions writes the mentions of an acknowledgement of a request
// received on received (zero: unknown), about text.
func (a *Assistant) receiptMentions(received time.Time, text, procedure string, missing []string, incomplete bool) string {
	o := a.opts.Organisation
	p, known := o.procedure(procedure, text)
	var sb strings.Builder
	line := func(s string) { sb.WriteString("- " + s + "\n") }
	sb.WriteString("Mentions prévues par les articles L112-3 et R112-5 du code des relations entre le public et l'administration :\n")
	day := ""
	if !received.IsZero() {
		day = frenchDate(received)
	}
	line("Date de réception de votre demande : " + orTodo(day, "date de réception") + ".")
	service, phone, email := o.Service, o.Phone, o.Email
	if p.Service != "" {
		service = p.Service
	}
	if p.Phone != "" {
		phone = p.Phone
	}
	if p.Email != "" {
		email = p.Email
	}
	who := orTodo(service, "service chargé du dossier")
	if o.Name != "" {
		who += ", " + o.Name
	}
	line("Service chargé du dossier : " + who + " ; adresse : " + orTodo(o.Address, "adresse postale") +
		" ; courriel : " + orTodo(email, "adresse électronique") + " ; téléphone : " + orTodo(phone, "téléphone") + ".")
	incomplete = incomplete || len(missing) > 0
	if !known {
		line("[à compléter : la demande est-elle susceptible de donner lieu à une décision implicite d'acceptation ou de rejet, " +
			"à quelle date, et, en cas de rejet, les délais et voies de recours]")
	} else {
		label := orTodo(p.Label, "procédure")
		basis := p.Basis
		accepts := p.Silence == SilenceAccepts
		if basis == "" {
			basis = map[bool]string{true: "article L231-1", false: "article L231-4"}[accepts] + " du code des relations entre le public et l'administration"
		}
		kind, deemed := "rejet", "rejetée"
		if accepts {
			kind, deemed = "acceptation", "acceptée"
		}
		s := "Votre demande (" + label + ") est susceptible de donner lieu à une décision implicite de " + kind +
			" : à défaut de décision expresse, elle sera réputée " + deemed
		switch {
		case incomplete && accepts:
			s += " au terme d'un délai de " + p.delayText() + " courant à compter de la réception des pièces manquantes"
		case incomplete:
			s += " au terme d'un délai de " + p.delayText() + " à compter de sa réception, suspendu pendant le délai imparti pour produire les pièces manquantes"
		case received.IsZero():
			s += " le [à compléter : date de réception + " + p.delayText() + "]"
		default:
			s += " le " + frenchDate(p.decisionDate(received)) + ", au terme d'un délai de " + p.delayText()
		}
		line(s + " (" + basis + ").")
		if accepts {
			line("Une attestation de la décision implicite d'acceptation vous sera délivrée sur simple demande (article L232-3 du code des relations entre le public et l'administration).")
		} else {
			authority := orTodo(o.Signatory, "autorité")
			line("Voies et délais de recours : la décision implicite de rejet pourra être contestée dans un délai de deux mois à compter de la date à laquelle elle sera née, " +
				"par un recours gracieux auprès de l'autorité qui l'a prise (" + lowerFirst(authority) + "), par un recours hiérarchique auprès du ministre compétent, " +
				"ou par un recours contentieux devant le " + orTodo(o.Court, "tribunal administratif compétent") + ". " +
				"Dans ce délai, vous pouvez demander la communication des motifs de cette décision (article L232-4 du code des relations entre le public et l'administration).")
		}
	}
	if incomplete {
		deadline := ""
		if known && p.PiecesDays > 0 {
			deadline = frenchDate(a.opts.Now().AddDate(0, 0, p.PiecesDays))
		}
		line("Votre demande est incomplète. Pièces manquantes, à transmettre avant le " + orTodo(deadline, "date limite") + " :")
		if len(missing) == 0 {
			missing = []string{"[à compléter : pièces manquantes]"}
		}
		for _, s := range missing {
			sb.WriteString("    - " + strings.TrimSpace(s) + "\n")
		}
		if known && p.Silence == SilenceAccepts {
			line("Le délai au terme duquel votre demande sera réputée acceptée ne court qu'à compter de la réception de ces pièces (article L114-5 du code des relations entre le public et l'administration).")
		} else {
			line("Le délai au terme duquel votre demande sera réputée rejetée est suspendu pendant le délai imparti pour produire ces pièces ; leur production avant ce terme met fin à la suspension (article L114-5 du code des relations entre le public et l'administration).")
		}
	}
	return strings.TrimRight(sb.String(), "\n")
}

// lowerFirst puts the first letter of s in lower case ("Le préfet" → "le préfet").
func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
