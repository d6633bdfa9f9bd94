package demo

import "github.com/plume-admin/plume/internal/docwrite"

const cdciSubject = "Organisation de la réunion de la CDCI du 16 juin 2026"

// OrdreDuJourCDCI is the meeting agenda (DOCX).
func OrdreDuJourCDCI() docwrite.Doc {
	return docwrite.Doc{
		Title: "Commission départementale de la coopération intercommunale",
		Blocks: []docwrite.Block{
			docwrite.Heading(1, "Ordre du jour – séance du 16 juin 2026, 14 h 30"),
			docwrite.List(
				"Approbation du compte rendu de la séance du 19 juin 2025",
				"Projet d'extension du périmètre de la communauté de communes du Val de Noye",
				"Retrait de la commune de Hangest-le-Petit du syndicat scolaire du Haut-Plateau",
				"Questions diverses",
			),
			docwrite.Para("Lieu : préfecture de la Somme, salle Jules Verne. Merci de confirmer votre présence avant le 5 juin."),
		},
	}
}

// CompteRenduCDCI is last year's minutes (ODT).
func CompteRenduCDCI() docwrite.Doc {
	return docwrite.Doc{
		Title: "Compte rendu de la CDCI du 19 juin 2025",
		Blocks: []docwrite.Block{
			docwrite.Para("Présents : 31 membres sur 45 ; le quorum est atteint."),
			docwrite.Heading(2, "Délibérations"),
			docwrite.Table(
				[]string{"Point", "Vote", "Résultat"},
				[]string{"Fusion des syndicats d'eau de la Selle", "28 pour, 3 abstentions", "avis favorable"},
				[]string{"Dissolution du SIVU des Trois Vallées", "31 pour", "avis favorable"},
			),
			docwrite.Para("La séance est levée à 17 h 10."),
		},
	}
}

func cdci() []msg {
	const t = "reunion-cdci"
	m1text := `Mesdames, Messieurs,

La prochaine réunion de la commission départementale de la coopération intercommunale (CDCI) doit se tenir en juin. Je vous propose les créneaux suivants :
- mardi 9 juin, 14 h 30 ;
- mardi 16 juin, 14 h 30 ;
- jeudi 18 juin, 10 h.

Merci de m'indiquer vos disponibilités avant le 15 mai.

Cordialement,

` + sigAgent
	m1 := msg{thread: t, n: 1, folder: Sent, from: agent, to: []person{presidentCC, intercoBur}, cc: []person{directrice},
		date: at(5, 11, 15, 0), subject: cdciSubject, seen: true, mailer: "Mozilla Thunderbird", text: m1text,
	}
	m2text := `Monsieur,

Le 16 juin me convient. Le 9 juin est impossible en raison du conseil communautaire.

Cordialement,

` + sigDelattre
	m2 := msg{thread: t, n: 2, folder: Inbox, from: presidentCC, to: []person{agent}, cc: []person{intercoBur, directrice},
		date: at(5, 12, 9, 20), subject: "RE: " + cdciSubject, inReplyTo: 1, seen: true, mailer: "Microsoft Outlook 16.0",
		text: m2text + "\n\n" + quoteOutlook(true, agent, []person{presidentCC, intercoBur}, []person{directrice}, at(5, 11, 15, 0), cdciSubject, m1text),
	}
	m3new := `Bonjour Julien,

La salle Jules Verne est libre le 16 juin de 14 h à 18 h, je l'ai réservée. Je prépare les convocations : elles doivent partir au moins quinze jours avant la séance, donc avant le 1er juin.

Peux-tu me transmettre l'ordre du jour définitif d'ici vendredi ?

Lucie

` + sigIntercoBur
	m3 := msg{thread: t, n: 3, folder: Inbox, from: intercoBur, to: []person{agent}, cc: []person{directrice},
		date: at(5, 12, 11, 47), subject: "Re: " + cdciSubject, inReplyTo: 1, seen: true, mailer: "Mozilla Thunderbird",
		text: m3new + "\n\n" + quoteTB(agent, at(5, 11, 15, 0), m1text),
		html: htmlQuote(m3new, "Le 11/05/2026 à 15:00, Julien Caron a écrit :", textHTML(m1text)),
	}
	m4text := `Mesdames, Messieurs,

La réunion de la CDCI est fixée au mardi 16 juin 2026 à 14 h 30, en préfecture, salle Jules Verne.

Vous trouverez ci-joints l'ordre du jour et, pour mémoire, le compte rendu de la séance du 19 juin 2025. Merci de confirmer votre présence ou de désigner votre suppléant avant le 5 juin.

Cordialement,

` + sigAgent
	m4 := msg{thread: t, n: 4, folder: Sent, from: agent, to: []person{presidentCC, intercoBur}, cc: []person{directrice},
		date: at(5, 13, 16, 30), subject: "Re: " + cdciSubject, inReplyTo: 3, seen: true, mailer: "Mozilla Thunderbird",
		text: m4text + "\n\n" + quoteTB(intercoBur, at(5, 12, 11, 47), m3new),
		atts: []attachment{
			{"ordre-du-jour-CDCI-16-juin-2026.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docwrite.DOCX(OrdreDuJourCDCI())},
			{"compte-rendu-CDCI-19-juin-2025.odt", "application/vnd.oasis.opendocument.text", docwrite.ODT(CompteRenduCDCI())},
		},
	}
	m5 := msg{thread: t, n: 5, folder: Inbox, from: presidentCC, to: []person{agent},
		date: at(6, 2, 10, 5), subject: "RE: " + cdciSubject, inReplyTo: 4, seen: false, mailer: "Microsoft Outlook 16.0",
		text: `Monsieur,

Je confirme ma présence le 16 juin. Je serai accompagné de Mme Claire Vasseur, directrice générale des services de la communauté de communes, qui présentera le projet d'extension du périmètre.

Pourriez-vous nous transmettre la carte du périmètre envisagé avant la séance ?

Cordialement,

` + sigDelattre + "\n\n" + quoteOutlook(true, agent, []person{presidentCC, intercoBur}, []person{directrice}, at(5, 13, 16, 30), "Re: "+cdciSubject, m4text),
	}
	return []msg{m1, m2, m3, m4, m5}
}
