package extracttest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// HostilePDF is a PDF built to exhaust a reader: a few hundred kilobytes on
// disk that expand, nest or loop without end.
type HostilePDF struct {
	// Name says what the file does.
	Name string
	// Data is the file.
	Data []byte
}

// HostilePDFs returns the hostile PDFs: a content stream of 300 MB of zeros
// deflated (the zip bomb of issue 16), a huge literal and a huge hex string,
// a huge array, an operand flood without operator, deep nesting, an
// enormous object count, a cross-reference /Prev loop and an object stream
// that contains itself.
func HostilePDFs() []HostilePDF {
	return []HostilePDF{
		{"zeros", BombPDF(300 << 20)},
		{"string", ContentPDF(io.MultiReader(strings.NewReader("BT /F1 12 Tf ("), repeatReader("A", 100<<20), strings.NewReader(") Tj ET")))},
		{"hexstring", ContentPDF(io.MultiReader(strings.NewReader("BT /F1 12 Tf <"), repeatReader("41", 50<<20), strings.NewReader("> Tj ET")))},
		{"array", ContentPDF(io.MultiReader(strings.NewReader("BT /F1 12 Tf ["), repeatReader("123456 ", 3<<20), strings.NewReader("] TJ ET")))},
		{"operands", ContentPDF(repeatReader("1 ", 8<<20))},
		{"nesting", ContentPDF(repeatReader("[", 50<<20))},
		{"objects", ManyObjectsPDF(5_000_000)},
		{"xref-loop", XrefLoopPDF()},
		{"objstm-loop", ObjStmLoopPDF()},
	}
}

// BombPDF writes a PDF whose content stream is n zero bytes, deflated:
// about n/1000 bytes on disk.
func BombPDF(n int) []byte { return ContentPDF(repeatReader("\x00", n)) }

// repeatReader reads s n times.
func repeatReader(s string, n int) io.Reader {
	return io.LimitReader(&cycle{s: s}, int64(len(s)*n))
}

type cycle struct {
	s   string
	off int
}

func (c *cycle) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.s[c.off]
		c.off = (c.off + 1) % len(c.s)
	}
	return len(p), nil
}

// ContentPDF writes a one-page PDF whose content stream is content,
// deflated; the page uses Helvetica as /F1.
func ContentPDF(content io.Reader) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if _, err := io.Copy(zw, content); err != nil {
		panic(err)
	}
	zw.Close()
	return RawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
}

// RawPDF writes objects 1, 2, … with the given bodies, a cross-reference
// table and a trailer whose /Root is object 1.
func RawPDF(bodies ...string) []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, b := range bodies {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, b)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(bodies)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(bodies)+1, xref)
	return buf.Bytes()
}

// ManyObjectsPDF writes a PDF whose cross-reference table names object n:
// a reader that sizes its table from it allocates n entries.
func ManyObjectsPDF(n int) []byte {
	b := RawPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
	i := bytes.LastIndex(b, []byte("trailer"))
	extra := fmt.Sprintf("%d 1\n0000000009 00000 n \n", n)
	out := append([]byte{}, b[:i]...)
	out = append(out, extra...)
	out = append(out, b[i:]...)
	return bytes.Replace(out, []byte("/Size 3"), []byte(fmt.Sprintf("/Size %d", n+1)), 1)
}

// XrefLoopPDF writes a PDF whose trailer's /Prev points back at its own
// cross-reference table.
func XrefLoopPDF() []byte {
	b := RawPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
	i := bytes.LastIndex(b, []byte("xref\n0 "))
	return bytes.Replace(b, []byte("/Root 1 0 R"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d", i)), 1)
}

// ObjStmLoopPDF writes a PDF 1.5 whose cross-reference stream says that
// object 4, the page content, lives in object stream 4: a reader that
// follows it recurses without end.
func ObjStmLoopPDF() []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.5\n")
	offsets := []int{0}
	for i, body := range []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
	} {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := buf.Len()
	var rows []byte
	rows = append(rows, 0, 0, 0, 0)
	for _, o := range offsets[1:] {
		rows = append(rows, 1, byte(o>>8), byte(o), 0)
	}
	rows = append(rows, 2, 0, 4, 0) // object 4: index 0 of object stream 4
	rows = append(rows, 1, byte(xref>>8), byte(xref), 0)
	fmt.Fprintf(&buf, "5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(rows), rows)
	fmt.Fprintf(&buf, "startxref\n%d\n%%%%EOF\n", xref)
	return buf.Bytes()
}
