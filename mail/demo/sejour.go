package demo

const sejourSubject = "Demande de rendez-vous – renouvellement de titre de séjour"

func sejour() []msg {
	const t = "titre-sejour-rdv"
	m1text := `Bonjour,

Mon titre de séjour « salarié » expire le 30 juin 2026. J'ai déposé ma demande de renouvellement sur le site de l'ANEF le 2 mai mais je n'ai reçu aucune attestation, et je ne trouve aucun rendez-vous disponible pour la remise des empreintes.

Mon numéro étranger est le 8012345678. Je travaille comme aide-soignante à Amiens et mon employeur me demande un justificatif avant la fin du mois.

Pouvez-vous m'aider ? Vous pouvez me joindre au 06 39 98 45 67.

Merci d'avance,
Amina Benali`
	m1 := msg{thread: t, n: 1, folder: Inbox, from: citoyenne, to: []person{dclBox}, cc: []person{agent},
		date: at(5, 6, 21, 47), subject: sejourSubject, seen: true, mailer: "Roundcube Webmail",
		text: m1text,
	}
	m2text := `Madame,

Votre demande de renouvellement déposée sur l'ANEF le 2 mai 2026 est bien enregistrée. Une attestation de prolongation d'instruction vous sera délivrée dans votre espace ANEF ; elle vous autorise à poursuivre votre activité professionnelle.

Afin de compléter votre dossier, je vous remercie de déposer sous huitaine, dans votre espace ANEF :
- votre dernier bulletin de salaire ;
- un justificatif de domicile de moins de six mois.

Mme Roussel, du bureau du séjour, vous proposera ensuite un rendez-vous pour la remise des empreintes.

Cordialement,

` + sigAgentOutlook
	m2 := msg{thread: t, n: 2, folder: Sent, from: agent, to: []person{citoyenne}, cc: []person{sejourAgent},
		date: at(5, 7, 10, 12), subject: "RE: " + sejourSubject, inReplyTo: 1, seen: true, mailer: "Microsoft Outlook 16.0",
		text: m2text + "\n\n" + quoteOutlook(false, citoyenne, []person{dclBox}, []person{agent}, at(5, 6, 21, 47), sejourSubject, m1text),
	}
	m3text := `Bonjour Monsieur,

Merci beaucoup. J'ai déposé les deux documents aujourd'hui. Je n'ai toujours pas l'attestation de prolongation : est-ce que je peux continuer à travailler après le 30 juin si elle n'arrive pas ?

Mon adresse électronique personnelle est amina.benali@courriel.example si besoin.

Bien cordialement,
Amina Benali`
	m3 := msg{thread: t, n: 3, folder: Inbox, from: citoyenne, to: []person{agent}, cc: []person{sejourAgent},
		date: at(5, 12, 18, 3), subject: "Re: RE: " + sejourSubject, inReplyTo: 2, seen: true, mailer: "Roundcube Webmail",
		text: m3text + "\n\n" + quoteTB(agent, at(5, 7, 10, 12), m2text),
	}
	m4 := msg{thread: t, n: 4, folder: Sent, from: agent, to: []person{citoyenne}, cc: []person{sejourAgent},
		date: at(5, 13, 9, 25), subject: "Re: RE: " + sejourSubject, inReplyTo: 3, seen: true, mailer: "Mozilla Thunderbird",
		text: `Madame,

L'attestation de prolongation d'instruction a été générée ce matin dans votre espace ANEF. Elle est valable trois mois et vous permet de continuer à travailler après le 30 juin.

Mme Roussel vous appellera avant le 20 mai pour fixer le rendez-vous de remise des empreintes.

Cordialement,

` + sigAgent + "\n\n" + quoteTB(citoyenne, at(5, 12, 18, 3), m3text),
	}
	return []msg{m1, m2, m3, m4}
}
