package extracttest

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/plume-admin/plume/internal/docwrite"
)

// ZipBomb writes a DOCX whose document.xml decompresses to size bytes of
// repeated text: a few kilobytes on disk.
func ZipBomb(size int) []byte {
	head := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`
	tail := `</w:t></w:r></w:p></w:body></w:document>`
	body := head + strings.Repeat("A", max(0, size-len(head)-len(tail))) + tail
	return docwrite.Zip(
		docwrite.Entry{Name: "[Content_Types].xml", Data: []byte(`<Types/>`)},
		docwrite.Entry{Name: "word/document.xml", Data: []byte(body)},
	)
}

// ManyEntries writes a DOCX with n extra empty entries.
func ManyEntries(n int) []byte {
	es := []docwrite.Entry{{Name: "word/document.xml", Data: []byte(`<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`)}}
	for i := 0; i < n; i++ {
		es = append(es, docwrite.Entry{Name: fmt.Sprintf("word/media/f%d.bin", i), Store: true})
	}
	return docwrite.Zip(es...)
}

// DeepDOCX writes a DOCX whose tables nest depth levels deep.
func DeepDOCX(depth int) []byte {
	body := strings.Repeat(`<w:tbl><w:tr><w:tc>`, depth) + `<w:p><w:r><w:t>fond</w:t></w:r></w:p>` + strings.Repeat(`</w:tc></w:tr></w:tbl>`, depth)
	return docwrite.Zip(docwrite.Entry{Name: "word/document.xml", Data: []byte(`<w:document xmlns:w="w"><w:body>` + body + `</w:body></w:document>`)})
}

// EncryptedOOXML writes the start of an OLE compound file holding an
// EncryptionInfo stream, as Office writes password-protected .docx files.
func EncryptedOOXML() []byte {
	b := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	b = append(b, make([]byte, 512-len(b))...)
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		entry := make([]byte, 128)
		for i, c := range name {
			entry[2*i] = byte(c)
		}
		b = append(b, entry...)
	}
	return b
}

// RecursivePDF writes a PDF whose page tree is a cycle (/Kids points back
// to its own parent).
func RecursivePDF() []byte {
	return []byte("%PDF-1.4\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n" +
		"3 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 /Parent 3 0 R >> endobj\n" +
		"trailer << /Root 1 0 R /Size 4 >>\n%%EOF\n")
}

// ScannedPDF writes pages that hold only an image, like a scan without OCR.
func ScannedPDF(pages int) []byte {
	d := docwrite.Doc{}
	for i := 0; i < pages; i++ {
		if i > 0 {
			d.Blocks = append(d.Blocks, docwrite.PageBreak())
		}
		d.Blocks = append(d.Blocks, docwrite.Para("x"))
	}
	return docwrite.PDFWith(d, docwrite.PDFOptions{Scanned: true})
}

// EncryptedPDF writes a small PDF whose trailer declares encryption.
func EncryptedPDF() []byte {
	return docwrite.PDFWith(docwrite.Doc{Blocks: []docwrite.Block{docwrite.Para("Contenu confidentiel.")}}, docwrite.PDFOptions{Encrypt: true})
}

// DamagedPDF returns a 3-page PDF (LongDoc) whose first compressed content
// stream is broken in its middle, its zlib header kept: the other pages
// read, and the reader should say that text is missing.
func DamagedPDF() []byte {
	data := docwrite.PDF(LongDoc(3))
	f := bytes.Index(data, []byte("/FlateDecode"))
	i := f + bytes.Index(data[f:], []byte("stream\n"))
	j := bytes.Index(data[i:], []byte("endstream"))
	mid := i + len("stream\n") + j/2
	for k := mid; k < mid+16; k++ {
		data[k] ^= 0x5a
	}
	return data
}
