package extract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// TestPDFInflated: the hostile PDFs expand past the pre-pass threshold
// within it, ordinary documents stay far below.
func TestPDFInflated(t *testing.T) {
	for _, h := range extracttest.HostilePDFs() {
		if n, _ := pdfInflated(h.Data, prePassAbove); n <= prePassAbove && len(h.Data) <= prePassAbove && h.Name != "objects" && h.Name != "xref-loop" && h.Name != "objstm-loop" {
			t.Errorf("%s: %d bytes inflated, want past %d", h.Name, n, prePassAbove)
		}
	}
	if n, _ := pdfInflated(extracttest.BombPDF(300<<20), 1<<20); n > 1<<20+1 {
		t.Errorf("bomb: read %d bytes past the limit", n)
	}
	doc := docwrite.PDF(extracttest.LongDoc(40))
	if n, damaged := pdfInflated(doc, prePassAbove); n == 0 || n > 1<<20 || damaged != 0 {
		t.Errorf("40-page document: %d bytes inflated", n)
	}
}

func FuzzPDFInflated(f *testing.F) {
	f.Add(docwrite.PDF(extracttest.Sample()))
	f.Add([]byte("1 0 obj <</Filter /FlateDecode>> stream\r\nx\x9c\x03\x00endstream"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if n, _ := pdfInflated(data, 1<<16); n > 1<<16+1 || n < 0 {
			t.Fatalf("%d bytes counted, limit %d", n, 1<<16)
		}
	})
}

// TestPDFTwoInstances: a document read by two engine instances at once
// (each taking the next page) reads as with one, pages in order.
func TestPDFTwoInstances(t *testing.T) {
	data := docwrite.PDF(extracttest.LongDoc(30))
	var texts [2]string
	for i, n := range []int{1, 2} {
		b := &budget{ctx: context.Background(), lim: Limits{Timeout: time.Minute}.withDefaults()}
		doc := &Document{}
		if err := readPDFium(b, data, doc, n, nil); err != nil {
			t.Fatal(err)
		}
		texts[i] = doc.Text
	}
	if texts[0] != texts[1] {
		t.Errorf("two instances read differently:\n%.300s\n---\n%.300s", texts[0], texts[1])
	}
	if !strings.Contains(texts[1], "Section 30") || strings.Index(texts[1], "Section 2 ") > strings.Index(texts[1], "Section 3 ") {
		t.Errorf("pages out of order: %.300s", texts[1])
	}
}

// TestReadByGo: pages where the engine found no usable text are read by
// the built-in reader when it finds text there (a Type 3 font named glyph
// by glyph), and left to OCR when it finds none or garbage.
func TestReadByGo(t *testing.T) {
	data := docwrite.PDF(extracttest.LongDoc(3))
	b := &budget{ctx: context.Background(), lim: Limits{}.withDefaults()}
	pageLines := make([][]pdfLine, 3)
	pageLines[0] = []pdfLine{{text: "kept"}}
	read := readByGo(b, data, pageLines, []int{2, 1})
	if len(read) != 2 || read[0] != 1 || read[1] != 2 {
		t.Fatalf("read %v, want pages 1 and 2", read)
	}
	if pageLines[0][0].text != "kept" || !strings.Contains(pageLines[2][0].text, "Section 3") {
		t.Errorf("pages %+v", pageLines)
	}
	if got := readByGo(b, extracttest.ScannedPDF(1), make([][]pdfLine, 1), []int{0}); len(got) != 0 {
		t.Errorf("a scan read by the built-in reader: %v", got)
	}
	for text, want := range map[string]bool{"some more numbers": true, "12": false, "\ufffd\ufffd\ufffdab": false, "": false} {
		if got := usableLines([]pdfLine{{text: text}}); got != want {
			t.Errorf("usableLines(%q) = %v", text, got)
		}
	}
}

// TestPDFDamagedStream: a content stream broken in the middle is skipped
// (the other pages are read) and the document says so.
func TestPDFDamagedStream(t *testing.T) {
	data := extracttest.DamagedPDF()
	doc, err := Extract(context.Background(), "abime.pdf", "application/pdf", data, Limits{Queue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Damaged || !strings.Contains(strings.Join(doc.Notes, " "), "endommagé") {
		t.Errorf("no warning: notes %q", doc.Notes)
	}
	if !strings.Contains(doc.Text, "Section 3") {
		t.Errorf("the undamaged pages are missing: %.300q", doc.Text)
	}
}
