package extracttest

import (
	"fmt"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/demo"
)

// Sample returns a short administrative document with every kind of block,
// the demo mailbox's opening order: tests compare what each format gives
// back.
func Sample() docwrite.Doc { return demo.ArreteERP() }

// SampleSheets returns two small sheets for spreadsheet tests.
func SampleSheets() []docwrite.Sheet {
	return []docwrite.Sheet{
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
func SampleSlides() []docwrite.Slide {
	return []docwrite.Slide{
		{Title: "Commission de sécurité ERP", Bullets: []string{"Bilan 2025", "Programme 2026"}, Notes: "Rappeler le nombre de visites réalisées."},
		{Title: "Avis défavorables", Bullets: []string{"Trois établissements", "Relances sous huitaine"}},
		{Title: "Calendrier", Bullets: []string{"Visites périodiques avant le 15 juillet"}, Notes: "Confirmer les dates avec le SDIS."},
	}
}

// LongDoc returns a document of exactly pages PDF pages of administrative
// prose, each page a heading and paragraphs; used by benchmarks.
func LongDoc(pages int) docwrite.Doc {
	d := docwrite.Doc{}
	for p := 1; p <= pages; p++ {
		if p > 1 {
			d.Blocks = append(d.Blocks, docwrite.PageBreak())
		}
		d.Blocks = append(d.Blocks, docwrite.Heading(2, fmt.Sprintf("Section %d : instruction du dossier n° %04d", p, 1000+p)))
		for i := 0; i < 6; i++ {
			d.Blocks = append(d.Blocks, docwrite.Para(fmt.Sprintf(
				"Paragraphe %d.%d. Le service instructeur a examiné la demande déposée par la commune et constate que les pièces justificatives réglementaires, notamment la délibération du conseil municipal, le plan de financement prévisionnel et l'échéancier des travaux, ont été transmises dans les délais impartis. La décision attributive de subvention sera notifiée après avis de la commission départementale, et le versement interviendra sur présentation des factures acquittées.", p, i+1)))
		}
	}
	return d
}
