package extract_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/plume-admin/plume/internal/docwrite"
	"golang.org/x/text/unicode/norm"

	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// pdfSizes are the page counts compared with pdftotext.
var pdfSizes = []int{1, 20, 200}

// words splits text into lower-case words of letters and digits, after
// composing letters and their combining marks (NFC): pdftotext writes a
// TeX accent over a letter as the letter and a combining mark ("a" U+0300),
// which must not split the word.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// recall is the share of reference words (as a multiset) found in got.
func recall(ref, got string) float64 {
	have := map[string]int{}
	for _, w := range words(got) {
		have[w]++
	}
	total, found := 0, 0
	for _, w := range words(ref) {
		total++
		if have[w] > 0 {
			have[w]--
			found++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(found) / float64(total)
}

func pdftotext(tb testing.TB, bin, file string) string {
	tb.Helper()
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func writePDF(tb testing.TB, pages int) (string, []byte) {
	tb.Helper()
	data := docwrite.PDF(extracttest.LongDoc(pages))
	file := filepath.Join(tb.TempDir(), fmt.Sprintf("doc-%d.pdf", pages))
	if err := os.WriteFile(file, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return file, data
}

const popplerHint = "apt-get install -y poppler-utils"

// TestPDFRecallAgainstPdftotext checks our text keeps at least 95 % of the
// words pdftotext finds, on the same generated PDFs.
func TestPDFRecallAgainstPdftotext(t *testing.T) {
	bin := testenv.RequireBinary(t, "pdftotext", popplerHint)
	for _, n := range pdfSizes {
		file, data := writePDF(t, n)
		ref := pdftotext(t, bin, file)
		doc, err := extract.Extract(context.Background(), "doc.pdf", "application/pdf", data, extract.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Pages != n {
			t.Errorf("%d pages: Pages = %d", n, doc.Pages)
		}
		if r := recall(ref, doc.Text); r < 0.95 {
			t.Errorf("%d pages: recall %.3f < 0.95", n, r)
		} else {
			t.Logf("%d pages: recall %.4f (%d reference words)", n, r, len(words(ref)))
		}
	}
}

// BenchmarkPDF measures Extract on generated PDFs and reports the word
// recall against pdftotext when it is installed.
func BenchmarkPDF(b *testing.B) {
	bin := testenv.LookPath("pdftotext")
	for _, n := range pdfSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			file, data := writePDF(b, n)
			var doc *extract.Document
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				var err error
				doc, err = extract.Extract(context.Background(), "doc.pdf", "", data, extract.Limits{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if bin != "" {
				b.ReportMetric(recall(pdftotext(b, bin, file), doc.Text), "recall")
			}
		})
	}
}

// BenchmarkPdftotext runs poppler's pdftotext on the same PDFs, process
// start included, as a user of the command line would.
func BenchmarkPdftotext(b *testing.B) {
	bin := testenv.LookPath("pdftotext")
	if bin == "" {
		testenv.Missing(b, "pdftotext", popplerHint)
	}
	for _, n := range pdfSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			file, data := writePDF(b, n)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var out bytes.Buffer
				cmd := exec.Command(bin, "-enc", "UTF-8", file, "-")
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
