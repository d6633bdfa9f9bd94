package extract_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

var updateSeeds = flag.Bool("update-fuzz-seeds", false, "rewrite testdata/fuzz seed corpora")

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = extract.Limits{MaxBytes: 4 << 20, MaxRows: 200, Timeout: 5 * time.Second}

// checkExtract runs Extract and fails on anything but a clean result or a
// documented error; a recovered panic of our own code is a failure.
func checkExtract(t *testing.T, name, mediaType string, data []byte) {
	doc, err := extract.Extract(context.Background(), name, mediaType, data, fuzzLimits)
	if err != nil {
		known := false
		for _, e := range []error{extract.ErrProtected, extract.ErrUnsupported, extract.ErrNoText, extract.ErrTooLarge, extract.ErrMalformed} {
			known = known || errors.Is(err, e)
		}
		if !known {
			t.Fatalf("undocumented error: %v", err)
		}
		if strings.Contains(err.Error(), "erreur interne") {
			t.Fatalf("panic in our code: %v", err)
		}
		return
	}
	if !utf8.ValidString(doc.Text) {
		t.Fatalf("invalid UTF-8 in text")
	}
}

// wrap puts a fuzzed part into a minimal package of the given format.
func wrap(format string, part []byte) []byte {
	switch format {
	case "docx":
		return docwrite.Zip(docwrite.Entry{Name: "word/document.xml", Data: part})
	case "xlsx":
		return docwrite.Zip(
			docwrite.Entry{Name: "xl/workbook.xml", Data: []byte(`<workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`)},
			docwrite.Entry{Name: "xl/_rels/workbook.xml.rels", Data: []byte(`<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`)},
			docwrite.Entry{Name: "xl/sharedStrings.xml", Data: []byte(`<sst><si><t>un</t></si><si><r><t>deux</t></r></si></sst>`)},
			docwrite.Entry{Name: "xl/worksheets/sheet1.xml", Data: part})
	case "pptx":
		return docwrite.Zip(
			docwrite.Entry{Name: "ppt/presentation.xml", Data: []byte(`<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId r:id="rId1"/></p:sldIdLst></p:presentation>`)},
			docwrite.Entry{Name: "ppt/_rels/presentation.xml.rels", Data: []byte(`<Relationships><Relationship Id="rId1" Target="slides/slide1.xml"/></Relationships>`)},
			docwrite.Entry{Name: "ppt/slides/slide1.xml", Data: part})
	case "odt", "ods", "odp":
		mt := map[string]string{"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[format]
		return docwrite.Zip(
			docwrite.Entry{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument." + mt), Store: true},
			docwrite.Entry{Name: "content.xml", Data: part})
	}
	return part
}

// part returns the fuzzed part of a generated package.
func partOf(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	p, err := docwrite.ReadEntry(data, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fuzzTargets lists every fuzzed format, its seeds and how inputs become documents.
var fuzzTargets = []struct {
	fuzz, format, name, mediaType string
	seeds                         func(testing.TB) [][]byte
}{
	{"FuzzPDF", "pdf", "f.pdf", "application/pdf", func(t testing.TB) [][]byte {
		return [][]byte{
			docwrite.PDFWith(extracttest.Sample(), docwrite.PDFOptions{Uncompressed: true}),
			extracttest.EncryptedPDF(), extracttest.RecursivePDF(), extracttest.ScannedPDF(1),
			[]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"),
			extracttest.BombPDF(16 << 20), extracttest.XrefLoopPDF(), extracttest.ObjStmLoopPDF(),
		}
	}},
	{"FuzzDOCX", "docx", "f.docx", "", func(t testing.TB) [][]byte {
		return [][]byte{
			partOf(t, docwrite.DOCX(extracttest.Sample()), "word/document.xml"),
			[]byte(`<w:document xmlns:w="w"><w:body>` + strings.Repeat("<w:tbl><w:tr><w:tc>", 300) + `</w:body></w:document>`),
			[]byte(`<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><w:document><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:document>`),
		}
	}},
	{"FuzzODT", "odt", "f.odt", "", func(t testing.TB) [][]byte {
		return [][]byte{
			partOf(t, docwrite.ODT(extracttest.Sample()), "content.xml"),
			[]byte(`<office:document-content><office:body><office:text><text:p>a<text:s text:c="999999999"/>b</text:p>` + strings.Repeat("<text:list><text:list-item>", 150) + `</office:text></office:body></office:document-content>`),
		}
	}},
	{"FuzzODS", "ods", "f.ods", "", func(t testing.TB) [][]byte {
		return [][]byte{
			partOf(t, docwrite.ODS(extracttest.SampleSheets()...), "content.xml"),
			[]byte(`<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="2000000000"><table:table-cell table:number-columns-repeated="2000000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`),
		}
	}},
	{"FuzzODP", "odp", "f.odp", "", func(t testing.TB) [][]byte {
		return [][]byte{partOf(t, docwrite.ODP(extracttest.SampleSlides()...), "content.xml")}
	}},
	{"FuzzXLSX", "xlsx", "f.xlsx", "", func(t testing.TB) [][]byte {
		return [][]byte{
			partOf(t, docwrite.XLSX(extracttest.SampleSheets()...), "xl/worksheets/sheet1.xml"),
			[]byte(`<worksheet><sheetData><row><c r="XFD1048576" t="s"><v>1</v></c><c r="A1" t="s"><v>-5</v></c><c r="ZZZZZZ1" t="b"><v>1</v></c></row></sheetData></worksheet>`),
		}
	}},
	{"FuzzPPTX", "pptx", "f.pptx", "", func(t testing.TB) [][]byte {
		return [][]byte{partOf(t, docwrite.PPTX(extracttest.SampleSlides()...), "ppt/slides/slide1.xml")}
	}},
	{"FuzzRTF", "rtf", "f.rtf", "application/rtf", func(t testing.TB) [][]byte {
		return [][]byte{
			docwrite.RTF(extracttest.Sample()),
			[]byte(`{\rtf1\ansi\ansicpg1251\uc2 \u-3913?? \'e9\bin999999999 {\*\x y}\pict ff}`),
			[]byte(`{\rtf1 ` + strings.Repeat(`{\b `, 300)),
		}
	}},
	{"FuzzHTML", "html", "f.html", "text/html", func(t testing.TB) [][]byte {
		return [][]byte{
			[]byte(`<h1>Titre</h1><p>un <b>deux</b></p><ul><li>a<ol><li>b</ol></ul><table><tr><td>1<table><tr><td>2</table></table><div hidden>caché</div>`),
			[]byte(strings.Repeat("<div>", 5000) + "fond"),
			[]byte("<meta charset=\"iso-8859-15\"><p>\xa4 \xe9</p>"),
		}
	}},
	{"FuzzText", "txt", "f.csv", "text/csv", func(t testing.TB) [][]byte {
		return [][]byte{
			[]byte("a;b;c\r\n1;\"2;3\";4\r\n\"non fermé;5\n"),
			[]byte("\xff\xfea\x00;\x00b\x00"),
			[]byte("Pr\xe9fecture\x80;\x9c"),
		}
	}},
	{"FuzzEML", "eml", "f.eml", "message/rfc822", func(t testing.TB) [][]byte {
		return [][]byte{
			mailWith("Objet", "Bonjour\r\n", "a.odt", "application/vnd.oasis.opendocument.text", docwrite.ODT(extracttest.Sample())),
			nestedMail(3),
			[]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--"),
		}
	}},
}

func runFuzz(f *testing.F, fuzz string) {
	for _, ft := range fuzzTargets {
		if ft.fuzz != fuzz {
			continue
		}
		for _, s := range ft.seeds(f) {
			f.Add(s)
		}
		f.Fuzz(func(t *testing.T, part []byte) {
			checkExtract(t, ft.name, ft.mediaType, wrap(ft.format, part))
		})
		return
	}
	f.Fatalf("no target %s", fuzz)
}

func FuzzPDF(f *testing.F)  { runFuzz(f, "FuzzPDF") }
func FuzzDOCX(f *testing.F) { runFuzz(f, "FuzzDOCX") }
func FuzzODT(f *testing.F)  { runFuzz(f, "FuzzODT") }
func FuzzODS(f *testing.F)  { runFuzz(f, "FuzzODS") }
func FuzzODP(f *testing.F)  { runFuzz(f, "FuzzODP") }
func FuzzXLSX(f *testing.F) { runFuzz(f, "FuzzXLSX") }
func FuzzPPTX(f *testing.F) { runFuzz(f, "FuzzPPTX") }
func FuzzRTF(f *testing.F)  { runFuzz(f, "FuzzRTF") }
func FuzzHTML(f *testing.F) { runFuzz(f, "FuzzHTML") }
func FuzzText(f *testing.F) { runFuzz(f, "FuzzText") }
func FuzzEML(f *testing.F)  { runFuzz(f, "FuzzEML") }

// TestWriteFuzzSeeds rewrites testdata/fuzz/<Target>/ from the seeds above
// when run with -update-fuzz-seeds, so that `go test` replays them and
// `go test -fuzz` starts from them.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-fuzz-seeds to rewrite testdata/fuzz")
	}
	for _, ft := range fuzzTargets {
		dir := filepath.Join("testdata", "fuzz", ft.fuzz)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range ft.seeds(t) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
