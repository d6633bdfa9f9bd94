package demo

import (
	"html"
	"strings"

	"github.com/plume-admin/plume/internal/docwrite"
)

const erpSubject = "Commission de sécurité – visite de la salle polyvalente de Fresnoy-sur-Selle (ERP type L, 3e catégorie)"

// CompteRenduERP is the minutes of the safety commission visit (DOCX).
func CompteRenduERP() docwrite.Doc {
	return docwrite.Doc{
		Title: "Compte rendu de visite – sous-commission départementale de sécurité",
		Blocks: []docwrite.Block{
			docwrite.Para("Établissement : salle polyvalente de Fresnoy-sur-Selle, ERP de type L, 3e catégorie. Visite du 24 mars 2026."),
			docwrite.Heading(2, "Participants"),
			docwrite.List("Julien Caron, préfecture de la Somme, président de séance", "Cdt Éric Moreau, SDIS de la Somme", "Thomas Petit, DDT de la Somme (accessibilité)", "Isabelle Garnier, maire de Fresnoy-sur-Selle"),
			docwrite.Heading(2, "Avis"),
			docwrite.Para("La sous-commission émet un avis favorable à l'ouverture au public, assorti des prescriptions ci-dessous."),
			docwrite.Table(
				[]string{"Prescription", "Responsable", "Échéance"},
				[]string{"Faire vérifier l'ensemble des extincteurs", "exploitant", "avant le 15 juillet 2026"},
				[]string{"Lever les réserves du rapport électrique", "commune", "avant le 15 juillet 2026"},
				[]string{"Former deux agents à l'évacuation", "commune", "sous huitaine"},
				[]string{"Tenir à jour le registre de sécurité", "exploitant", "permanent"},
			),
			docwrite.Para("Prochaine visite périodique : 2029."),
		},
	}
}

// ArreteERP is the opening order of the building (PDF); it has every kind
// of block, so the tests of package extract use it too.
func ArreteERP() docwrite.Doc {
	return docwrite.Doc{
		Title: "Arrêté préfectoral n° 2026-0412",
		Blocks: []docwrite.Block{
			docwrite.Heading(1, "Objet : ouverture au public de l'ERP « Salle des fêtes »"),
			docwrite.Para("Le préfet de la Somme, chevalier de la Légion d'honneur, vu le code de la construction et de l'habitation, vu l'avis favorable de la sous-commission départementale de sécurité du 12 mars 2026,"),
			docwrite.Heading(2, "Article 1er"),
			docwrite.Para("L'établissement est autorisé à ouvrir au public à compter du 1er avril 2026, sous réserve des prescriptions suivantes :"),
			docwrite.List("vérifier les extincteurs avant le 15 juillet 2026", "afficher les consignes d'évacuation", "former deux agents à l'évacuation sous huitaine"),
			docwrite.Heading(2, "Article 2"),
			docwrite.Table([]string{"Pièce", "Fournie", "Observation"}, []string{"Registre de sécurité", "oui", "à jour"}, []string{"Rapport électrique", "non", "à transmettre"}),
			docwrite.Para("Fait à Amiens, le 20 mars 2026. Pour le préfet et par délégation, la directrice de la citoyenneté et de la légalité."),
		},
	}
}

// htmlQuote writes an HTML reply in Thunderbird's way: new text, then the
// attribution line and the previous message in <blockquote type="cite">.
func htmlQuote(newText, attribution, quotedHTML string) string {
	return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>` +
		textHTML(newText) +
		`<div class="moz-cite-prefix">` + html.EscapeString(attribution) + `<br></div><blockquote type="cite" cite="mid:x">` + quotedHTML + `</blockquote></body></html>`
}

// textHTML turns plain paragraphs into HTML <p> and <br>.
func textHTML(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if strings.HasPrefix(p, "-- \n") {
			b.WriteString(`<pre class="moz-signature" cols="72">` + html.EscapeString(p) + `</pre>`)
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>\n") + "</p>\n")
	}
	return b.String()
}

func erp() []msg {
	const t = "commission-securite-erp"
	m1text := `Mesdames, Messieurs,

La sous-commission départementale pour la sécurité contre les risques d'incendie et de panique dans les ERP procédera à la visite de réception de la salle polyvalente de Fresnoy-sur-Selle le mardi 24 mars 2026 à 14 h, sur place.

L'exploitant devra tenir à disposition, au plus tard 8 jours avant la visite :
- le registre de sécurité ;
- les rapports de vérification des installations électriques et de gaz ;
- l'attestation de bon fonctionnement du système de sécurité incendie.

Merci de me confirmer votre présence avant le 16 mars.

Cordialement,

` + sigAgent
	m1 := msg{thread: t, n: 1, folder: Sent, from: agent, to: []person{sdis, ddt, maireFresnoy},
		date: at(3, 9, 10, 0), subject: erpSubject, seen: true, mailer: "Mozilla Thunderbird",
		text: m1text, html: `<!DOCTYPE html><html><body>` + textHTML(m1text) + `</body></html>`,
	}
	m2new := `Bonjour,

Je serai présent le 24 mars. Je rappelle à la commune que le rapport de vérification électrique doit être transmis avant la visite : sans ce document, la commission ne pourra émettre qu'un avis défavorable.

Cordialement,

` + sigSDIS
	m2 := msg{thread: t, n: 2, folder: Inbox, from: sdis, to: []person{agent}, cc: []person{ddt, maireFresnoy},
		date: at(3, 10, 8, 45), subject: "Re: " + erpSubject, inReplyTo: 1, seen: true, mailer: "Mozilla Thunderbird",
		text: m2new + "\n\n" + quoteTB(agent, at(3, 9, 10, 0), m1text),
		html: htmlQuote(m2new, "Le 09/03/2026 à 10:00, Julien Caron a écrit :", textHTML(m1text)),
	}
	m3text := `Monsieur,

Vous trouverez ci-joint le rapport de vérification électrique établi le 11 mars. Deux réserves mineures y figurent ; l'électricien intervient la semaine prochaine.

Par ailleurs, la commune sollicite une dérogation pour la largeur de la rampe d'accès (1,30 m au lieu de 1,40 m) : le dossier sera-t-il examiné le jour de la visite ?

Bien cordialement,

` + sigMaireFresnoy
	m3 := msg{thread: t, n: 3, folder: Inbox, from: maireFresnoy, to: []person{agent}, cc: []person{sdis, ddt},
		date: at(3, 12, 17, 12), subject: "RE: " + erpSubject, inReplyTo: 2, seen: true, mailer: "Microsoft Outlook 16.0",
		text: m3text + "\n\n" + quoteOutlook(false, sdis, []person{agent}, []person{ddt, maireFresnoy}, at(3, 10, 8, 45), "Re: "+erpSubject, m2new),
	}
	m4text := `Madame la Maire,

Vous trouverez ci-joint le compte rendu de la visite du 24 mars et l'arrêté autorisant l'ouverture au public.

La sous-commission a émis un avis favorable assorti de prescriptions :
- faire vérifier l'ensemble des extincteurs avant le 15 juillet 2026 ;
- lever les réserves du rapport électrique avant le 15 juillet 2026 ;
- former deux agents à l'évacuation sous huitaine.

La demande de dérogation relative à la rampe d'accès sera examinée par la sous-commission accessibilité du 9 avril ; M. Petit vous contactera.

Je vous prie d'agréer, Madame la Maire, l'expression de ma considération distinguée.

` + sigAgent
	m4 := msg{thread: t, n: 4, folder: Sent, from: agent, to: []person{maireFresnoy}, cc: []person{sdis, ddt, directrice},
		date: at(3, 25, 11, 30), subject: "Re: RE: " + erpSubject, inReplyTo: 3, seen: true, mailer: "Mozilla Thunderbird",
		text: m4text + "\n\n" + quoteTB(maireFresnoy, at(3, 12, 17, 12), m3text),
		atts: []attachment{
			{"compte-rendu-visite-ERP-Fresnoy.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docwrite.DOCX(CompteRenduERP())},
			{"arrete-ouverture-ERP-2026-0412.pdf", "application/pdf", docwrite.PDF(ArreteERP())},
		},
	}
	m5 := msg{thread: t, n: 5, folder: Inbox, from: maireFresnoy, to: []person{agent},
		date: at(3, 26, 9, 10), subject: "RE: " + erpSubject, inReplyTo: 4, seen: false, flagged: true, mailer: "Microsoft Outlook 16.0",
		text: `Monsieur,

Merci pour ces documents. La formation des deux agents est programmée le 1er avril.

Une question : le registre de sécurité doit-il être conservé en mairie ou dans la salle elle-même ?

Bien cordialement,

` + sigMaireFresnoy + "\n\n" + quoteOutlook(true, agent, []person{maireFresnoy}, []person{sdis, ddt, directrice}, at(3, 25, 11, 30), "Re: RE: "+erpSubject, m4text),
	}
	return []msg{m1, m2, m3, m4, m5}
}
