package extract_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

const tesseractHint = "apt-get install -y tesseract-ocr tesseract-ocr-fra"

// TestMain keeps the compiled PDF engine between test runs.
func TestMain(m *testing.M) {
	if os.Getenv("PLUME_TEST_NO_WORKER") != "" {
		extract.WithoutWorkers() // TestPDFWithoutWorker
	}
	_ = extract.StartPDFEngine(extract.PDFEngine{CacheDir: filepath.Join(os.TempDir(), "plume-test-wazero")})
	os.Exit(m.Run())
}

// letter is a short French letter, rendered then scanned by the OCR tests.
var letter = docwrite.Doc{Blocks: []docwrite.Block{
	docwrite.Heading(1, "Préfecture de la Somme"),
	docwrite.Para("Objet : demande de titre de séjour. Madame, nous accusons réception de votre dossier complet et vous informons que votre rendez-vous est fixé au mardi quatorze mars à dix heures."),
}}

// scanOf renders the first page of a generated PDF at 150 dpi, as a PNG.
func scanOf(t *testing.T, d docwrite.Doc) []byte {
	t.Helper()
	png, err := extract.RenderPNG(docwrite.PDF(d), 150)
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// TestOCRImage reads a PNG picture of a letter and the same picture as a
// one-page scanned PDF (JPEG inside): the text is found, and a note says
// it was read by OCR.
func TestOCRImage(t *testing.T) {
	testenv.RequireBinary(t, "tesseract", tesseractHint)
	png := scanOf(t, letter)
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	var progress []int
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"lettre.png", png},
		{"lettre.jpg", jpg.Bytes()},
		{"lettre-scannee.pdf", extracttest.ScanPDF(jpg.Bytes(), b.Dx(), b.Dy())},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lim := extract.Limits{Timeout: 2 * time.Minute, Progress: func(done, total int) { progress = append(progress, done, total) }}
			doc, err := extract.Extract(context.Background(), tt.name, "", tt.data, lim)
			if err != nil {
				t.Fatal(err)
			}
			want := "Préfecture de la Somme Objet : demande de titre de séjour"
			if r := recall(want, doc.Text); r < 0.9 {
				t.Errorf("recall %.2f of %q in %q", r, want, doc.Text)
			}
			if !doc.OCR || !strings.Contains(strings.Join(doc.Notes, " "), "OCR") {
				t.Errorf("no OCR note: %q", doc.Notes)
			}
		})
	}
	if len(progress) != 2 || progress[0] != 1 || progress[1] != 1 {
		t.Errorf("progress = %v, want [1 1] for the PDF's one page", progress)
	}
}

// TestOCRPageCap reads a 3-page scan with OCRPages 1: one page is read,
// the others are named in Skipped.
func TestOCRPageCap(t *testing.T) {
	testenv.RequireBinary(t, "tesseract", tesseractHint)
	_, err := extract.Extract(context.Background(), "scan.pdf", "", extracttest.ScannedPDF(3), extract.Limits{OCRPages: 1, Timeout: time.Minute})
	if !errors.Is(err, extract.ErrNoText) {
		t.Fatalf("err = %v, want ErrNoText (the pages hold a blank picture)", err)
	}
}

// TestImageWithoutTesseract refuses a picture with the install hint.
func TestImageWithoutTesseract(t *testing.T) {
	var err error
	extract.WithoutTesseract(func() {
		_, err = extract.Extract(context.Background(), "lettre.png", "image/png", scanOf(t, letter), extract.Limits{})
	})
	if !errors.Is(err, extract.ErrNoOCR) {
		t.Fatalf("err = %v, want ErrNoOCR", err)
	}
}

// TestImageTooLarge refuses a picture whose header declares more pixels
// than the OCR cap, before any decoding.
func TestImageTooLarge(t *testing.T) {
	tiff := []byte("II*\x00\x08\x00\x00\x00\x02\x00" +
		"\x00\x01\x04\x00\x01\x00\x00\x00\x00\x00\x01\x00" + // width 65536
		"\x01\x01\x04\x00\x01\x00\x00\x00\x00\x00\x01\x00") // height 65536
	_, err := extract.Extract(context.Background(), "scan.tiff", "image/tiff", tiff, extract.Limits{})
	if !errors.Is(err, extract.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// FuzzImage reads arbitrary bytes as a picture on a machine without
// Tesseract: the header reader must refuse or size them, never panic.
func FuzzImage(f *testing.F) {
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x00\x01\x03\x00\x01\x00\x00\x00\x10\x00\x00\x00"))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\x00\x00"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		extract.WithoutTesseract(func() {
			_, err := extract.Extract(context.Background(), "scan.tiff", "", data, extract.Limits{})
			if err != nil && strings.Contains(err.Error(), "erreur interne") {
				t.Fatal(err)
			}
		})
	})
}
