package demo

import "github.com/plume-admin/plume/internal/docwrite"

const detrSubject = "Demande de subvention DETR 2026 – rénovation de l'école communale"

// ListePiecesDETR is the list of documents for a DETR application (ODT).
func ListePiecesDETR() docwrite.Doc {
	return docwrite.Doc{
		Title: "Dotation d'équipement des territoires ruraux (DETR) 2026",
		Blocks: []docwrite.Block{
			docwrite.Heading(1, "Liste des pièces à fournir"),
			docwrite.Para("Commune de Hangest-le-Petit – projet : rénovation énergétique et mise en accessibilité de l'école communale."),
			docwrite.Table(
				[]string{"Pièce", "Statut", "Observation"},
				[]string{"Délibération du conseil municipal approuvant le projet", "reçue", "du 12 février 2026"},
				[]string{"Plan de financement prévisionnel signé", "manquante", "à signer par le maire"},
				[]string{"Devis estimatif détaillé", "reçue", ""},
				[]string{"Relevé d'identité bancaire de la commune", "manquante", "au nom de la commune"},
				[]string{"Attestation de non-commencement des travaux", "manquante", ""},
			),
			docwrite.Heading(2, "Rappels"),
			docwrite.List(
				"Les pièces manquantes sont à transmettre avant le 15 avril 2026.",
				"Les travaux ne doivent pas commencer avant l'accusé de réception du dossier complet.",
				"Le taux de subvention envisagé est compris entre 30 % et 40 % du montant HT.",
			),
			docwrite.Para("Bureau des finances locales – Préfecture de la Somme."),
		},
	}
}

// Deliberation is the council deliberation attached by the mayor (PDF).
func Deliberation() docwrite.Doc {
	return docwrite.Doc{
		Title: "Commune de Hangest-le-Petit – Extrait du registre des délibérations",
		Blocks: []docwrite.Block{
			docwrite.Heading(2, "Séance du 12 février 2026"),
			docwrite.Para("Objet : demande de subvention au titre de la DETR 2026 pour la rénovation de l'école communale."),
			docwrite.Para("Le conseil municipal, après en avoir délibéré, à l'unanimité des membres présents, approuve le projet de rénovation énergétique et de mise en accessibilité de l'école pour un montant de 184 500 € HT et sollicite une subvention de l'État au titre de la DETR."),
			docwrite.Table(
				[]string{"Financement", "Montant HT", "Part"},
				[]string{"DETR (sollicitée)", "73 800 €", "40 %"},
				[]string{"Conseil départemental", "36 900 €", "20 %"},
				[]string{"Autofinancement", "73 800 €", "40 %"},
			),
			docwrite.Para("Fait et délibéré les jour, mois et an susdits. Le maire, Bernard Lefebvre."),
		},
	}
}

func detr() []msg {
	const t = "subvention-detr"
	m1 := msg{thread: t, n: 1, folder: Archive, from: maireHangest, to: []person{agent}, cc: []person{secHangest},
		date: at(3, 2, 10, 14), subject: detrSubject, seen: true, mailer: "Microsoft Outlook 16.0",
		text: `Monsieur,

La commune de Hangest-le-Petit souhaite déposer une demande de subvention au titre de la DETR 2026 pour la rénovation énergétique et la mise en accessibilité de son école communale (montant estimé : 184 500 € HT).

Vous trouverez ci-joint la délibération du conseil municipal du 12 février. Pourriez-vous m'indiquer la liste des pièces à fournir et la date limite de dépôt ?

Je vous prie d'agréer, Monsieur, l'expression de mes salutations distinguées.

` + sigMaireHangest,
		atts: []attachment{{"deliberation-2026-004.pdf", "application/pdf", docwrite.PDF(Deliberation())}},
	}
	m2 := msg{thread: t, n: 2, folder: Sent, from: agent, to: []person{maireHangest}, cc: []person{secHangest, financesLoc},
		date: at(3, 3, 9, 2), subject: "Re: " + detrSubject, inReplyTo: 1, seen: true, mailer: "Mozilla Thunderbird",
		text: `Monsieur le Maire,

Je vous remercie pour votre message et la délibération jointe.

Vous trouverez ci-joint la liste des pièces constitutives du dossier. Trois pièces manquent à ce jour : le plan de financement signé, le RIB de la commune et l'attestation de non-commencement des travaux. Je vous remercie de les transmettre avant le 15 avril 2026, date de clôture de l'appel à projets.

Mme Lambert, du bureau des finances locales, instruira le dossier.

Je vous prie d'agréer, Monsieur le Maire, l'expression de ma considération distinguée.

` + sigAgent + "\n\n" + quoteTB(maireHangest, at(3, 2, 10, 14), "Monsieur,\n\nLa commune de Hangest-le-Petit souhaite déposer une demande de subvention au titre de la DETR 2026 pour la rénovation énergétique et la mise en accessibilité de son école communale (montant estimé : 184 500 € HT).\n\nPourriez-vous m'indiquer la liste des pièces à fournir et la date limite de dépôt ?\n\n"+sigMaireHangest),
		atts: []attachment{{"liste-pieces-DETR-2026.odt", "application/vnd.oasis.opendocument.text", docwrite.ODT(ListePiecesDETR())}},
	}
	m3text := `Bonjour Monsieur Caron,

Suite à votre message, veuillez trouver ci-dessous les coordonnées bancaires de la commune :
IBAN : FR76 1234 5000 0100 0123 4567 887
SIRET : 218 009 900 00018

Le plan de financement sera signé par M. le Maire à son retour, la semaine prochaine. L'attestation de non-commencement est en cours de rédaction.

Pour toute question, vous pouvez me joindre au 03 53 48 20 11 ou à secretariat@hangest-le-petit.example.

Cordialement,

` + sigSecHangest
	m3 := msg{thread: t, n: 3, folder: Inbox, from: secHangest, to: []person{agent}, cc: []person{maireHangest},
		date: at(3, 17, 16, 40), subject: "RE: " + detrSubject, inReplyTo: 2, seen: true, mailer: "Microsoft Outlook 16.0",
		text: m3text + "\n\n" + quoteOutlook(false, agent, []person{maireHangest}, []person{secHangest, financesLoc}, at(3, 3, 9, 2), "Re: "+detrSubject,
			"Monsieur le Maire,\n\nJe vous remercie pour votre message et la délibération jointe.\n\nTrois pièces manquent à ce jour : le plan de financement signé, le RIB de la commune et l'attestation de non-commencement des travaux. Je vous remercie de les transmettre avant le 15 avril 2026, date de clôture de l'appel à projets.\n\n"+sigAgentOutlook),
	}
	m4 := msg{thread: t, n: 4, folder: Sent, from: agent, to: []person{secHangest}, cc: []person{financesLoc},
		date: at(3, 18, 11, 5), subject: "Re: RE: " + detrSubject, inReplyTo: 3, seen: true, mailer: "Mozilla Thunderbird",
		text: `Madame,

Je vous remercie pour ces éléments, que je transmets à Mme Lambert.

Je vous rappelle que le plan de financement signé et l'attestation de non-commencement doivent nous parvenir sous huitaine pour que le dossier puisse être présenté à la commission d'élus.

Bien cordialement,

` + sigAgent + "\n\n" + quoteTB(secHangest, at(3, 17, 16, 40), m3text),
	}
	m5text := `Monsieur,

Ci-joint le plan de financement signé et l'attestation de non-commencement des travaux. Le dossier devrait ainsi être complet.

Pouvez-vous me confirmer la date de la commission d'élus et le calendrier de notification ? Nous souhaiterions lancer la consultation des entreprises en mai.

Bien à vous,

` + sigMaireHangest
	m5 := msg{thread: t, n: 5, folder: Inbox, from: maireHangest, to: []person{agent}, cc: []person{secHangest},
		date: at(3, 25, 9, 30), subject: "RE: " + detrSubject, inReplyTo: 4, seen: true, mailer: "Microsoft Outlook 16.0",
		text: m5text + "\n\n" + quoteOutlook(true, agent, []person{secHangest}, []person{financesLoc}, at(3, 18, 11, 5), "Re: RE: "+detrSubject,
			"Madame,\n\nJe vous rappelle que le plan de financement signé et l'attestation de non-commencement doivent nous parvenir sous huitaine pour que le dossier puisse être présenté à la commission d'élus.\n\n"+sigAgentOutlook),
	}
	m6 := msg{thread: t, n: 6, folder: Sent, from: agent, to: []person{maireHangest}, cc: []person{secHangest, financesLoc},
		date: at(3, 26, 14, 20), subject: "Re: " + detrSubject, inReplyTo: 5, seen: true, mailer: "Mozilla Thunderbird",
		text: `Monsieur le Maire,

Le dossier est désormais complet ; l'accusé de réception vous sera adressé cette semaine.

La commission d'élus DETR se réunira le 14 avril 2026. La décision attributive vous sera notifiée avant la fin du mois d'avril. Vous pourrez lancer la consultation des entreprises dès réception de l'accusé de réception, sans attendre la décision, mais aucun ordre de service ne doit être signé avant.

Je vous prie d'agréer, Monsieur le Maire, l'expression de ma considération distinguée.

` + sigAgent + "\n\n" + quoteTB(maireHangest, at(3, 25, 9, 30), m5text),
	}
	return []msg{m1, m2, m3, m4, m5, m6}
}
