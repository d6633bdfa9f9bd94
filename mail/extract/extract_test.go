package extract_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// sampleWants are phrases of extracttest.Sample every text format must give back.
var sampleWants = []string{
	"Arrêté préfectoral n° 2026-0412",
	"Salle des fêtes",
	"vérifier les extincteurs avant le 15 juillet 2026",
	"former deux agents à l'évacuation sous huitaine",
	"Registre de sécurité",
	"à transmettre",
	"la directrice de la citoyenneté et de la légalité.",
}

var formatTests = []struct {
	name, mediaType string
	data            func() []byte
	format          string
	wants           []string
	pages, sheets   int
	slides          int
}{
	{"arrete.pdf", "application/pdf", func() []byte { return docwrite.PDF(extracttest.Sample()) }, "pdf",
		append([]string{"# Arrêté préfectoral", "## Objet", "## Article 1er", "• vérifier"}, sampleWants...), 1, 0, 0},
	{"arrete.docx", "", func() []byte { return docwrite.DOCX(extracttest.Sample()) }, "docx",
		append([]string{"# Arrêté préfectoral", "## Article 1er", "- vérifier les extincteurs", "| Registre de sécurité | oui | à jour |"}, sampleWants...), 0, 0, 0},
	{"arrete.odt", "application/vnd.oasis.opendocument.text", func() []byte { return docwrite.ODT(extracttest.Sample()) }, "odt",
		append([]string{"# Arrêté préfectoral", "## Article 2", "- afficher les consignes", "| Rapport électrique | non | à transmettre |"}, sampleWants...), 0, 0, 0},
	{"arrete.rtf", "application/rtf", func() []byte { return docwrite.RTF(extracttest.Sample()) }, "rtf",
		append([]string{"| Registre de sécurité | oui | à jour |"}, sampleWants...), 0, 0, 0},
	{"detr.xlsx", "", func() []byte { return docwrite.XLSX(extracttest.SampleSheets()...) }, "xlsx",
		[]string{"## Feuille 1 : Dotations DETR", "| Villers-Bocage | Rénovation de l'école | 120000 | 0,35 |", "## Feuille 2 : Calendrier", "| Commission d'élus | 12 mars 2026 |"}, 0, 2, 0},
	{"detr.ods", "", func() []byte { return docwrite.ODS(extracttest.SampleSheets()...) }, "ods",
		[]string{"## Feuille 1 : Dotations DETR", "| Corbie | Mise en accessibilité de la mairie | 85000 | 0.4 |", "| Étape | Date |"}, 0, 2, 0},
	{"erp.pptx", "", func() []byte { return docwrite.PPTX(extracttest.SampleSlides()...) }, "pptx",
		[]string{"## Diapositive 1", "### Commission de sécurité ERP", "- Bilan 2025", "Notes : Rappeler le nombre de visites réalisées.", "Notes : Confirmer les dates avec le SDIS."}, 0, 0, 3},
	{"erp.odp", "", func() []byte { return docwrite.ODP(extracttest.SampleSlides()...) }, "odp",
		[]string{"## Diapositive 3", "### Calendrier", "- Visites périodiques avant le 15 juillet", "Notes : Confirmer les dates avec le SDIS."}, 0, 0, 3},
	{"note.html", "text/html", func() []byte {
		return []byte(`<!doctype html><html><head><title>x</title><style>p{}</style></head><body><h1>Note de service</h1><p>Réunion  le <b>mardi</b>.</p><div style="display:none">texte caché</div><script>alert(1)</script><ol><li>ordre du jour</li><li>divers</li></ol><ul><li>café</li></ul><table><tr><th>Nom</th><th>Service</th></tr><tr><td>Mme Leroy</td><td>DCL</td></tr></table></body></html>`)
	}, "html", []string{"# Note de service", "Réunion le mardi.", "1. ordre du jour", "2. divers", "- café", "| Mme Leroy | DCL |"}, 0, 0, 0},
	{"liste.csv", "text/csv", func() []byte { return []byte("Pièce;Fournie\r\nKbis;oui\r\n\"RIB; original\";non\r\n") }, "csv",
		[]string{"| Pièce | Fournie |", "| RIB; original | non |"}, 0, 1, 0},
	{"lisez-moi.txt", "text/plain", func() []byte { return []byte("Bonjour,\n\nvoici la note.\n") }, "txt",
		[]string{"Bonjour,\n\nvoici la note."}, 0, 0, 0},
}

func TestFormats(t *testing.T) {
	for _, tt := range formatTests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Extract(context.Background(), tt.name, tt.mediaType, tt.data(), extract.Limits{})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if doc.Format != tt.format {
				t.Errorf("Format = %q, want %q", doc.Format, tt.format)
			}
			for _, w := range tt.wants {
				// PDF lines wrap: compare with white space collapsed
				if !strings.Contains(doc.Text, w) && !strings.Contains(strings.Join(strings.Fields(doc.Text), " "), w) {
					t.Errorf("text lacks %q; got:\n%s", w, doc.Text)
				}
			}
			if doc.Pages != tt.pages || doc.Sheets != tt.sheets || doc.Slides != tt.slides {
				t.Errorf("counts pages/sheets/slides = %d/%d/%d, want %d/%d/%d", doc.Pages, doc.Sheets, doc.Slides, tt.pages, tt.sheets, tt.slides)
			}
			if strings.Contains(doc.Text, "texte caché") || strings.Contains(doc.Text, "alert(") {
				t.Errorf("hidden or script text leaked: %q", doc.Text)
			}
		})
	}
}

var hostileTests = []struct {
	name string
	data func() []byte
	lim  extract.Limits
	want error
}{
	{"bomb.docx", func() []byte { return extracttest.ZipBomb(3 << 20) }, extract.Limits{MaxBytes: 1 << 20}, extract.ErrTooLarge},
	{"small-cap.docx", func() []byte { return docwrite.DOCX(extracttest.LongDoc(3)) }, extract.Limits{MaxBytes: 2000}, extract.ErrTooLarge},
	{"entries.docx", func() []byte { return extracttest.ManyEntries(1200) }, extract.Limits{}, extract.ErrTooLarge},
	{"deep.docx", func() []byte { return extracttest.DeepDOCX(5000) }, extract.Limits{}, extract.ErrTooLarge},
	{"protege.docx", extracttest.EncryptedOOXML, extract.Limits{}, extract.ErrProtected},
	{"protege.odt", docwrite.EncryptedODT, extract.Limits{}, extract.ErrProtected},
	{"protege.pdf", extracttest.EncryptedPDF, extract.Limits{}, extract.ErrProtected},
	{"scan.pdf", func() []byte { return extracttest.ScannedPDF(3) }, extract.Limits{OCRPages: 1, Timeout: time.Minute}, extract.ErrNoText},
	{"cycle.pdf", extracttest.RecursivePDF, extract.Limits{}, extract.ErrMalformed},
	{"truncated.pdf", func() []byte { b := docwrite.PDF(extracttest.Sample()); return b[:len(b)/2] }, extract.Limits{}, extract.ErrMalformed},
	{"old.doc", func() []byte {
		return append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	}, extract.Limits{}, extract.ErrUnsupported},
	{"photo.jpg", func() []byte { return []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01") }, extract.Limits{}, extract.ErrMalformed},
	{"broken.zip.docx", func() []byte { return []byte("PK\x03\x04 not really a zip") }, extract.Limits{}, extract.ErrMalformed},
	{"deep.rtf", func() []byte { return []byte(`{\rtf1` + strings.Repeat("{", 100000)) }, extract.Limits{}, extract.ErrTooLarge},
	{"nested.eml", func() []byte { return nestedMail(8) }, extract.Limits{}, nil}, // inner levels are skipped, not fatal
}

func TestHostile(t *testing.T) {
	for _, tt := range hostileTests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Extract(context.Background(), tt.name, "", tt.data(), tt.lim)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Extract: %v", err)
				}
				if len(doc.Skipped) == 0 {
					t.Errorf("expected skipped parts, got none")
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "erreur interne") {
				t.Errorf("internal panic: %v", err)
			}
		})
	}
}

// TestNoTextMessage reads a scan on a machine without Tesseract: the
// refusal wraps ErrNoOCR and ErrNoText and says how to install it.
func TestNoTextMessage(t *testing.T) {
	var err error
	extract.WithoutTesseract(func() {
		_, err = extract.Extract(context.Background(), "scan.pdf", "application/pdf", extracttest.ScannedPDF(1), extract.Limits{})
	})
	if !errors.Is(err, extract.ErrNoOCR) || !errors.Is(err, extract.ErrNoText) || !strings.Contains(err.Error(), "apt-get install tesseract-ocr tesseract-ocr-fra") {
		t.Fatalf("err = %v", err)
	}
}

func TestRowCap(t *testing.T) {
	rows := [][]string{{"n", "valeur"}}
	for i := 0; i < 50; i++ {
		rows = append(rows, []string{"ligne", strings.Repeat("x", i%5+1)})
	}
	for _, data := range map[string][]byte{
		"a.xlsx": docwrite.XLSX(docwrite.Sheet{Name: "S", Rows: rows}),
		"a.ods":  docwrite.ODS(docwrite.Sheet{Name: "S", Rows: rows}),
	} {
		doc, err := extract.Extract(context.Background(), "", "", data, extract.Limits{MaxRows: 10})
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(doc.Text, "| ligne |"); n != 9 {
			t.Errorf("%s: %d rows kept, want 9 (header + 9)", doc.Format, n)
		}
		if len(doc.Skipped) != 1 || !strings.Contains(doc.Skipped[0], "41") {
			t.Errorf("%s: Skipped = %v", doc.Format, doc.Skipped)
		}
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := extract.Extract(ctx, "a.pdf", "", docwrite.PDF(extracttest.Sample()), extract.Limits{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestTimeout feeds a document that cannot finish within a nanosecond; the
// error must name the limit whichever of the parser or the timer wins.
func TestTimeout(t *testing.T) {
	doc := docwrite.PDF(extracttest.LongDoc(40))
	_, err := extract.Extract(context.Background(), "long.pdf", "", doc, extract.Limits{Timeout: time.Nanosecond})
	if !errors.Is(err, extract.ErrTooLarge) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

var charsetTests = []struct {
	name string
	data []byte
	want string
	note bool
}{
	{"utf8", []byte("Préfecture : 15 € HT"), "Préfecture : 15 € HT", false},
	{"bom", []byte("\xef\xbb\xbfPréfecture"), "Préfecture", false},
	{"utf16le", []byte("\xff\xfeP\x00r\x00\xe9\x00f\x00"), "Préf", false},
	{"cp1252", []byte("Pr\xe9fecture \x80 \x9cuvre"), "Préfecture € œuvre", true},
	{"latin9", []byte("Pr\xe9fecture 15 \xa4"), "Préfecture 15 €", true},
}

func TestCharsets(t *testing.T) {
	for _, tt := range charsetTests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Extract(context.Background(), "a.txt", "text/plain", tt.data, extract.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tt.want {
				t.Errorf("Text = %q, want %q", doc.Text, tt.want)
			}
			if (len(doc.Notes) > 0) != tt.note {
				t.Errorf("Notes = %v", doc.Notes)
			}
		})
	}
}

func TestAttachedMail(t *testing.T) {
	raw := mailWith("Compte rendu", "Bonjour,\r\nvoici le compte rendu.\r\n", "cr.docx",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document", docwrite.DOCX(extracttest.Sample()))
	doc, err := extract.Extract(context.Background(), "message.eml", "message/rfc822", raw, extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"De : Jeanne Martin <jeanne.martin@somme.gouv.fr>", "Objet : Compte rendu", "voici le compte rendu.", "## Pièce jointe : cr.docx", "Registre de sécurité"} {
		if !strings.Contains(doc.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, doc.Text)
		}
	}
	if doc.Format != "eml" {
		t.Errorf("Format = %q", doc.Format)
	}
}
