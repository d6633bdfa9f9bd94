package extract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// pdfFeatures are PDFs the built-in reader refused or misread; each must
// now be read with the text wanted.
var pdfFeatures = []struct {
	name string
	data []byte
	want []string
}{
	{"pdf20.pdf", []byte(strings.Replace(string(textPDF("Arr\xeat\xe9 pr\xe9fectoral")), "%PDF-1.4", "%PDF-2.0", 1)), []string{"Arrêté préfectoral"}},
	{"ligature.pdf", textPDF("La con\xfeguration"), []string{"configuration"}},
	{"hyphen.pdf", twoLines("Les services de l'adminis-", "tration pr\xe9fectorale"), []string{"administration préfectorale"}},
	{"rotated.pdf", rotatedPDF("Arr\xeat\xe9 portant autorisation"), []string{"Arrêté portant autorisation"}},
}

// textPDF writes one line of text (WinAnsi bytes) in Helvetica; byte 0xFE
// is mapped by a /Differences entry to the glyph "fi" (U+FB01).
func textPDF(line string) []byte {
	return contentPDF("BT /F1 12 Tf 72 700 Td (" + line + ") Tj ET")
}

func twoLines(a, b string) []byte {
	return contentPDF("BT /F1 12 Tf 72 700 Td (" + a + ") Tj 0 -14 Td (" + b + ") Tj ET")
}

// rotatedPDF writes a line turned a quarter, as on a landscape page.
func rotatedPDF(line string) []byte {
	return contentPDF("BT /F1 12 Tf 0 1 -1 0 300 100 Tm (" + line + ") Tj ET")
}

func contentPDF(content string) []byte {
	return extracttest.RawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length "+itoa(len(content))+" >>\nstream\n"+content+"\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [254 /fi] >> >>",
	)
}

func itoa(n int) string {
	s := ""
	for ; n > 0 || s == ""; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// TestPDFFeatures reads PDF 2.0, a ligature, a hyphenated line end and a
// rotated line.
func TestPDFFeatures(t *testing.T) {
	for _, tt := range pdfFeatures {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Extract(context.Background(), tt.name, "", tt.data, extract.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(doc.Text), " ")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("text %q lacks %q", text, w)
				}
			}
		})
	}
}

// TestPDFForm reads the filled fields of an AcroForm, labelled.
func TestPDFForm(t *testing.T) {
	content := "BT /F1 12 Tf 72 700 Td (Demande de carte grise) Tj ET"
	data := extracttest.RawPDF(
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 7 0 R] >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R 7 0 R] >>",
		"<< /Length "+itoa(len(content))+" >>\nstream\n"+content+"\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (nom) /TU (Nom du demandeur) /V (Dupont) /Rect [72 600 300 620] /P 3 0 R >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (commune) /V (Amiens) /Rect [72 560 300 580] /P 3 0 R >>",
	)
	doc, err := extract.Extract(context.Background(), "cerfa.pdf", "", data, extract.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Demande de carte grise", "Nom du demandeur : Dupont", "commune : Amiens"} {
		if !strings.Contains(doc.Text, w) {
			t.Errorf("text %q lacks %q", doc.Text, w)
		}
	}
}

// TestPDFUnusablePage says "pas de texte exploitable" for a page whose
// characters have no Unicode meaning (control codes) instead of garbage.
func TestPDFUnusablePage(t *testing.T) {
	junk := strings.Repeat("\x01\x02\x03\x04\x05\x06\x07\x08", 8)
	data := contentPDF("BT /F1 12 Tf 72 700 Td (" + junk + ") Tj ET")
	_, err := extract.Extract(context.Background(), "junk.pdf", "", data, extract.Limits{})
	if err == nil {
		t.Fatal("junk read as text")
	}
	t.Log(err)
}
