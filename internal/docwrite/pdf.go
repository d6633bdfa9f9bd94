package docwrite

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// KindPageBreak starts a new PDF page (other formats ignore it).
const KindPageBreak BlockKind = 100

// PageBreak returns a page break block.
func PageBreak() Block { return Block{Kind: KindPageBreak} }

// PDFOptions changes how [PDFWith] writes a document.
type PDFOptions struct {
	// Encrypt adds a standard security handler to the trailer.
	Encrypt bool
	// Scanned draws an image instead of text on every page (no text layer).
	Scanned bool
	// Uncompressed leaves content streams unfiltered.
	Uncompressed bool
}

// PDF writes d as a PDF with a text layer: Helvetica in WinAnsiEncoding,
// headings in bold and larger, list items with bullets, tables as cells
// placed in columns. Long text is wrapped and paginated on A4.
func PDF(d Doc) []byte { return PDFWith(d, PDFOptions{}) }

const (
	pageW, pageH = 595.0, 842.0
	margin       = 56.0
	bodySize     = 11.0
	wrapAt       = 88
)

type pdfLineOut struct {
	font  string
	size  float64
	x     float64
	text  string
	extra float64 // space before the line
}

// layout turns blocks into pages of positioned lines.
func layout(d Doc) [][]pdfLineOut {
	var pages [][]pdfLineOut
	var cur []pdfLineOut
	y := pageH - margin
	newPage := func() {
		pages = append(pages, cur)
		cur = nil
		y = pageH - margin
	}
	add := func(l pdfLineOut) {
		lead := l.size*1.35 + l.extra
		if y-lead < margin {
			newPage()
		}
		y -= lead
		l.extra = y // reuse: absolute y
		cur = append(cur, l)
	}
	if d.Title != "" {
		add(pdfLineOut{font: "F2", size: 18, x: margin, text: d.Title})
	}
	for _, b := range d.Blocks {
		switch b.Kind {
		case KindPageBreak:
			newPage()
		case KindHeading:
			size := 16.0
			if b.Level > 1 {
				size = 13
			}
			add(pdfLineOut{font: "F2", size: size, x: margin, text: b.Text, extra: 8})
		case KindPara:
			for i, l := range wrap(b.Text, wrapAt) {
				e := 0.0
				if i == 0 {
					e = 5
				}
				add(pdfLineOut{font: "F1", size: bodySize, x: margin, text: l, extra: e})
			}
		case KindList:
			for _, it := range b.Items {
				for i, l := range wrap(it, wrapAt-4) {
					if i == 0 {
						l = "\u2022 " + l
					}
					add(pdfLineOut{font: "F1", size: bodySize, x: margin + 12, text: l})
				}
			}
		case KindTable:
			cols := 0
			for _, r := range b.Rows {
				cols = max(cols, len(r))
			}
			if cols == 0 {
				continue
			}
			colW := (pageW - 2*margin) / float64(cols)
			for ri, r := range b.Rows {
				font := "F1"
				if ri == 0 {
					font = "F2"
				}
				for ci, c := range r {
					l := pdfLineOut{font: font, size: 10, x: margin + float64(ci)*colW, text: c}
					if ci == 0 {
						add(l)
					} else {
						l.extra = y
						cur = append(cur, l)
					}
				}
			}
		}
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

func wrap(s string, n int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
			out = append(out, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// pdfString encodes s in WinAnsiEncoding as a PDF literal string.
func pdfString(s string) string {
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		var b strings.Builder
		for _, r := range s {
			if e, err := charmap.Windows1252.NewEncoder().String(string(r)); err == nil {
				b.WriteString(e)
			} else {
				b.WriteByte('?')
			}
		}
		enc = b.String()
	}
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return "(" + r.Replace(enc) + ")"
}

// PDFWith writes d as a PDF with options.
func PDFWith(d Doc, opt PDFOptions) []byte {
	pages := layout(d)
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, buf.Len())
		n := len(offsets)
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", n, body)
		return n
	}
	stream := func(dict string, data []byte) int {
		offsets = append(offsets, buf.Len())
		n := len(offsets)
		fmt.Fprintf(&buf, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
		buf.Write(data)
		buf.WriteString("\nendstream\nendobj\n")
		return n
	}
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// object numbers: 1 catalog, 2 pages, 3 F1, 4 F2, 5 image, then page/content pairs
	first := 6
	var kids []string
	for i := range pages {
		kids = append(kids, fmt.Sprintf("%d 0 R", first+2*i))
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0, 255, 255, 0})
	for _, lines := range pages {
		var cs strings.Builder
		if opt.Scanned {
			cs.WriteString("q 483 0 0 730 56 56 cm /Im1 Do Q\n")
		} else {
			for i, l := range lines {
				cs.WriteString("BT\n")
				fmt.Fprintf(&cs, "/%s %.0f Tf\n", l.font, l.size)
				if i%5 == 3 {
					// exercise TJ with kerning on some lines
					fmt.Fprintf(&cs, "1 0 0 1 %.2f %.2f Tm\n[%s -20 %s] TJ\n", l.x, l.extra, pdfString(firstHalf(l.text)), pdfString(secondHalf(l.text)))
				} else {
					fmt.Fprintf(&cs, "%.2f %.2f Td\n%s Tj\n", l.x, l.extra, pdfString(l.text))
				}
				cs.WriteString("ET\n")
			}
		}
		content := []byte(cs.String())
		dict := ""
		if !opt.Uncompressed {
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(content)
			zw.Close()
			content = z.Bytes()
			dict = "/Filter /FlateDecode"
		}
		pageNum := len(offsets) + 1
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /Im1 5 0 R >> >> /Contents %d 0 R >>", pageNum+1))
		stream(dict, content)
	}
	var trailerExtra string
	if opt.Encrypt {
		n := obj("<< /Filter /Standard /V 1 /R 2 /O <" + strings.Repeat("7a", 32) + "> /U <" + strings.Repeat("3c", 32) + "> /P -44 >>")
		trailerExtra = fmt.Sprintf(" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]", n)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, trailerExtra, xref)
	return buf.Bytes()
}

// firstHalf and secondHalf split a line at a word boundary near its middle.
func firstHalf(s string) string {
	i := strings.LastIndex(s[:len(s)/2+1], " ")
	if i <= 0 {
		return s
	}
	return s[:i+1]
}

func secondHalf(s string) string {
	i := strings.LastIndex(s[:len(s)/2+1], " ")
	if i <= 0 {
		return ""
	}
	return s[i+1:]
}
