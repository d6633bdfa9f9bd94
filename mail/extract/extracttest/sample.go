package extracttest

import "fmt"

// Sample returns a short administrative document with every kind of block:
// used by tests to compare what each format gives back.
func Sample() Doc {
	return Doc{
		Title: "Arrêté préfectoral n° 2026-0412",
		Blocks: []Block{
			Heading(1, "Objet : ouverture au public de l'ERP « Salle des fêtes »"),
			Para("Le préfet de la Somme, chevalier de la Légion d'honneur, vu le code de la construction et de l'habitation, vu l'avis favorable de la sous-commission départementale de sécurité du 12 mars 2026,"),
			Heading(2, "Article 1er"),
			Para("L'établissement est autorisé à ouvrir au public à compter du 1er avril 2026, sous réserve des prescriptions suivantes :"),
			List("vérifier les extincteurs avant le 15 juillet 2026", "afficher les consignes d'évacuation", "former deux agents à l'évacuation sous huitaine"),
			Heading(2, "Article 2"),
			Table([]string{"Pièce", "Fournie", "Observation"}, []string{"Registre de sécurité", "oui", "à jour"}, []string{"Rapport électrique", "non", "à transmettre"}),
			Para("Fait à Amiens, le 20 mars 2026. Pour le préfet et par délégation, la directrice de la citoyenneté et de la légalité."),
		},
	}
}

// SampleSheets returns two small sheets for spreadsheet tests.
func SampleSheets() []Sheet {
	return []Sheet{
		{Name: "Dotations DETR", Rows: [][]string{
			{"Commune", "Projet", "Montant", "Taux"},
			{"Villers-Bocage", "Rénovation de l'école", "120000", "0.35"},
			{"Corbie", "Mise en accessibilité de la mairie", "85000", "0.4"},
		}},
		{Name: "Calendrier", Rows: [][]string{
			{"Étape", "Date"},
			{"Dépôt des dossiers", "15 janvier 2026"},
			{"Commission d'élus", "12 mars 2026"},
		}},
	}
}

// SampleSlides returns three slides with notes for presentation tests.
func SampleSlides() []Slide {
	return []Slide{
		{Title: "Commission de sécurité ERP", Bullets: []string{"Bilan 2025", "Programme 2026"}, Notes: "Rappeler le nombre de visites réalisées."},
		{Title: "Avis défavorables", Bullets: []string{"Trois établissements", "Relances sous huitaine"}},
		{Title: "Calendrier", Bullets: []string{"Visites périodiques avant le 15 juillet"}, Notes: "Confirmer les dates avec le SDIS."},
	}
}

// LongDoc returns a document of exactly pages PDF pages of administrative
// prose, each page a heading and paragraphs; used by benchmarks.
func LongDoc(pages int) Doc {
	d := Doc{}
	for p := 1; p <= pages; p++ {
		if p > 1 {
			d.Blocks = append(d.Blocks, PageBreak())
		}
		d.Blocks = append(d.Blocks, Heading(2, fmt.Sprintf("Section %d : instruction du dossier n° %04d", p, 1000+p)))
		for i := 0; i < 6; i++ {
			d.Blocks = append(d.Blocks, Para(fmt.Sprintf(
				"Paragraphe %d.%d. Le service instructeur a examiné la demande déposée par la commune et constate que les pièces justificatives réglementaires, notamment la délibération du conseil municipal, le plan de financement prévisionnel et l'échéancier des travaux, ont été transmises dans les délais impartis. La décision attributive de subvention sera notifiée après avis de la commission départementale, et le versement interviendra sur présentation des factures acquittées.", p, i+1)))
		}
	}
	return d
}
