package demo

import "github.com/plume-admin/plume/internal/docwrite"

const drSubject = "[DIFFUSION RESTREINTE] Note interservices – dispositif de sécurité, visite ministérielle du 4 juin"

// NoteDR is the interservice note marked DIFFUSION RESTREINTE (PDF).
func NoteDR() docwrite.Doc {
	return docwrite.Doc{
		Title: "DIFFUSION RESTREINTE",
		Blocks: []docwrite.Block{
			docwrite.Heading(1, "Note interservices – visite ministérielle du 4 juin 2026"),
			docwrite.Para("Objet : dispositif de sécurité et mesures de police administrative."),
			docwrite.List(
				"Périmètre de protection autour de l'hôtel de ville d'Amiens de 8 h à 14 h.",
				"Arrêté d'interdiction de manifestation sur le périmètre, à publier avant le 2 juin.",
				"Arrêté de fermeture temporaire du parking de la place de l'Hôtel-de-Ville.",
				"Mise en place d'un centre opérationnel départemental restreint.",
			),
			docwrite.Para("Retour des services attendu avant le 27 mai 2026. DIFFUSION RESTREINTE – ne pas transférer."),
		},
	}
}

func noteDR() []msg {
	const t = "note-dispositif-dr"
	dr := [][2]string{{"X-Classification", "DIFFUSION RESTREINTE"}, {"Sensitivity", "Company-Confidential"}}
	m1text := `DIFFUSION RESTREINTE

Madame la Directrice, Monsieur,

Dans la perspective de la visite ministérielle du 4 juin à Amiens, je vous adresse ci-jointe la note décrivant le dispositif de sécurité envisagé.

La DCL est sollicitée pour préparer :
- l'arrêté d'interdiction de manifestation sur le périmètre de protection ;
- l'arrêté de fermeture temporaire du parking de la place de l'Hôtel-de-Ville.

Merci de me faire part de vos observations avant le 27 mai. Cette note ne doit pas être transférée en dehors des destinataires.

` + sigCabinet
	m1 := msg{thread: t, n: 1, folder: Inbox, from: cabinet, to: []person{directrice, agent}, cc: []person{sidpc},
		date: at(5, 20, 18, 20), subject: drSubject, seen: true, flagged: true, headers: dr, mailer: "Microsoft Outlook 16.0",
		text: m1text,
		atts: []attachment{{"note-dispositif-visite-4-juin-DR.pdf", "application/pdf", docwrite.PDF(NoteDR())}},
	}
	m2text := `DIFFUSION RESTREINTE

Monsieur le Directeur,

La DCL préparera les deux arrêtés. Pour l'interdiction de manifestation, il nous faudrait l'analyse de risque de la DDSP au plus tard le 29 mai, afin de motiver l'arrêté et de le publier le 2 juin au recueil des actes administratifs spécial.

Je propose un point d'étape le 22 mai à 14 h.

Bien cordialement,

` + sigAgent
	m2 := msg{thread: t, n: 2, folder: Sent, from: agent, to: []person{cabinet}, cc: []person{directrice, sidpc},
		date: at(5, 21, 9, 40), subject: "Re: " + drSubject, inReplyTo: 1, seen: true, headers: dr, mailer: "Mozilla Thunderbird",
		text: m2text + "\n\n" + quoteTB(cabinet, at(5, 20, 18, 20), m1text),
	}
	m3 := msg{thread: t, n: 3, folder: Inbox, from: cabinet, to: []person{agent}, cc: []person{directrice, sidpc},
		date: at(5, 22, 8, 15), subject: "RE: " + drSubject, inReplyTo: 2, seen: false, headers: dr, mailer: "Microsoft Outlook 16.0",
		text: `DIFFUSION RESTREINTE

D'accord pour le point d'étape aujourd'hui à 14 h, salle du cabinet. La DDSP transmettra son analyse le 28 mai.

` + sigCabinet + "\n\n" + quoteOutlook(true, agent, []person{cabinet}, []person{directrice, sidpc}, at(5, 21, 9, 40), "Re: "+drSubject, m2text),
	}
	return []msg{m1, m2, m3}
}
