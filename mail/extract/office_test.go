package extract_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract"
)

// reviewed is a document with everything that shows only on paper: a
// header and a footer, a footnote, a comment, tracked changes and a
// numbered list.
func reviewed() docwrite.Doc {
	return docwrite.Doc{
		Header: "DIFFUSION RESTREINTE — Préfecture de la Somme",
		Footer: "Page de bas : direction de la citoyenneté",
		Blocks: []docwrite.Block{
			docwrite.Heading(1, "Note au préfet"),
			{Kind: docwrite.KindPara, Text: "La commission a rendu un avis favorable", Note: "Séance du 12 mars 2026.",
				Inserted: "sous réserve des travaux", Deleted: "sans réserve aucune", Comment: "Vérifier la date de séance"},
			{Kind: docwrite.KindList, Numbered: true, Items: []string{"notifier l'exploitant", "informer le maire", "archiver le dossier"}},
			docwrite.Para("Fin de la note."),
		},
	}
}

var asPrintedWants = []string{
	"En-tête : DIFFUSION RESTREINTE — Préfecture de la Somme",
	"La commission a rendu un avis favorable sous réserve des travaux[1]",
	"Note 1 : Séance du 12 mars 2026.",
	"Commentaire 1 (Relecteur) : Vérifier la date de séance",
	"1. notifier l'exploitant\n2. informer le maire\n3. archiver le dossier",
	"Pied de page : Page de bas : direction de la citoyenneté",
}

func TestOfficeAsPrinted(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"note.docx", docwrite.DOCX(reviewed())},
		{"note.odt", docwrite.ODT(reviewed())},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Extract(context.Background(), tt.name, "", tt.data, extract.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(doc.Text), " ")
			for _, w := range asPrintedWants {
				if !strings.Contains(doc.Text, w) && !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("text lacks %q; got:\n%s", w, doc.Text)
				}
			}
			if strings.Contains(doc.Text, "sans réserve aucune") {
				t.Errorf("deleted text kept:\n%s", doc.Text)
			}
			if strings.Index(doc.Text, "En-tête") > strings.Index(doc.Text, "Note au préfet") ||
				strings.Index(doc.Text, "Pied de page") < strings.Index(doc.Text, "Fin de la note") {
				t.Errorf("header or footer out of place:\n%s", doc.Text)
			}
		})
	}
}

// numberSheet holds numbers under the formats of a French workbook.
var numberSheet = docwrite.Sheet{Name: "Suivi", Rows: [][]string{
	{"Date", "Heure", "Taux", "Montant", "Moyenne", "Brut", "Texte", "Fixe"},
	{"44197", "0.5208333333333334", "0.125", "1234567.891", "6.2555199999999989", "6.2555199999999989", "1.50", "1.5"},
	{"45363.75", "1.75", "1", "-42", "3", "0.1", "00123"},
}, Formats: map[string]string{
	"A2": "dd/mm/yyyy", "B2": "hh:mm", "C2": "0.0%", "D2": `#,##0.00\ "€"`, "E2": "0.00", "G2": "@", "H2": "0.00", "G3": "@",
	"A3": "d mmmm yyyy hh:mm", "B3": "[h]:mm", "C3": "0%", "D3": `#,##0.00 "€";[Red]-#,##0.00 "€"`, "E3": "0.00",
}}

func TestXLSXNumberFormats(t *testing.T) {
	doc, err := extract.Extract(context.Background(), "suivi.xlsx", "", docwrite.XLSX(numberSheet), extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"| 01/01/2021 | 12:30 | 12,5% | 1 234 567,89 € | 6,26 | 6,25552 | 1.50 | 1,50 |",
		"| 12 mars 2024 18:00 | 42:00 | 100% | -42,00 € | 3,00 | 0,1 | 00123 |",
	} {
		if !strings.Contains(doc.Text, w) {
			t.Errorf("text lacks %q; got:\n%s", w, doc.Text)
		}
	}
}

// TestXLSXRelationshipNamespace renames the relationships prefix of the
// workbook: the sheet is found by the namespace URI, not by "r:".
func TestXLSXRelationshipNamespace(t *testing.T) {
	data := docwrite.XLSX(numberSheet)
	wb, err := docwrite.ReadEntry(data, "xl/workbook.xml")
	if err != nil {
		t.Fatal(err)
	}
	wb = []byte(strings.NewReplacer(`xmlns:r=`, `xmlns:rel=`, ` r:id=`, ` rel:id=`).Replace(string(wb)))
	if data, err = docwrite.ReplaceEntry(data, "xl/workbook.xml", wb); err != nil {
		t.Fatal(err)
	}
	doc, err := extract.Extract(context.Background(), "suivi.xlsx", "", data, extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "01/01/2021") || len(doc.Skipped) > 0 {
		t.Errorf("sheet lost with another prefix: skipped %q, text:\n%s", doc.Skipped, doc.Text)
	}
}

// corpusFile returns a file of the shared corpus of real-world documents
// (../shared/corpus beside the repository, or $PLUME_CORPUS); the test is
// skipped when the corpus is absent.
func corpusFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	root := os.Getenv("PLUME_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	data, err := os.ReadFile(filepath.Join(root, dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared corpus absent (%s): %v", root, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}
