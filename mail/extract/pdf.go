package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/plume-admin/plume/mail/extract/internal/pdf"
)

// Limits of the PDF walker, on top of Limits.
const (
	maxPDFPages = 10000
	maxPDFOps   = 20_000_000
	// maxPDFNodes caps the page-tree nodes visited: a tree whose kids
	// repeat the same node is visited once per path.
	maxPDFNodes = 4 * maxPDFPages
	// pdfLineCost is charged against MaxBytes for each line kept, on top of
	// its text, so that a flood of tiny lines is bounded too.
	pdfLineCost = 64
)

// pdfLimits bounds the PDF reader with the document's budget: decoded
// stream bytes count against MaxBytes as they are produced, and the reader
// checks the document's context every few kilobytes.
func pdfLimits(b *budget) pdf.Limits {
	return pdf.Limits{Charge: b.add, Check: b.check}
}

// pdfStop turns what stopped the PDF reader into an error of this package.
func pdfStop(s pdf.Stop) error {
	if errors.Is(s.Err, pdf.ErrLimit) {
		return fmt.Errorf("%w: %w", ErrTooLarge, s.Err)
	}
	return s.Err
}

// readPDF reads a PDF with the PDFium engine, after the built-in reader.
//
// The built-in reader goes first because it is bounded where PDFium is
// not: it counts every decompressed byte and operand against the
// document's budget, so a bomb is refused before PDFium would inflate it
// up to its memory limit. A document it refuses as too large is refused;
// otherwise PDFium reads it (PDFium also opens what the built-in reader
// cannot: LZW, PDF 2.0, damaged streams, owner passwords). When the engine
// cannot start, the built-in reader's text is kept, with a note.
func readPDF(b *budget, data []byte, doc *Document) error {
	gb := &budget{ctx: b.ctx, lim: b.lim}
	gdoc := &Document{Name: doc.Name, MediaType: doc.MediaType, Format: doc.Format}
	gerr := readPDFGo(gb, data, gdoc)
	if errors.Is(gerr, ErrTooLarge) || b.check() != nil {
		return gerr
	}
	err := readPDFium(b, data, doc)
	switch {
	case errors.Is(err, errNoEngine):
		gdoc.Notes = append(gdoc.Notes, "moteur PDF indisponible, lecteur simplifié utilisé : "+err.Error())
		*doc = *gdoc
		return gerr
	case errors.Is(err, ErrNoText) && errors.Is(gerr, ErrMalformed):
		// neither reader finds text: a broken file rather than a scan
		return gerr
	}
	return err
}

// readPDFGo reads the text layer of a PDF, page by page, in content order,
// rebuilding lines from text positions. Headings are lines set in a larger
// font than the body text.
func readPDFGo(b *budget, data []byte, doc *Document) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if a, ok := p.(abort); ok {
				err = a.err
				return
			}
			if s, ok := p.(pdf.Stop); ok {
				err = pdfStop(s)
				return
			}
			err = fmt.Errorf("%w: PDF: %v", ErrMalformed, p)
		}
	}()
	r, err := pdf.NewReaderLimits(bytes.NewReader(data), int64(len(data)), pdfLimits(b))
	if errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, pdf.ErrLimit) {
		return pdfStop(pdf.Stop{Err: err})
	}
	if err != nil {
		if bytes.Contains(data, []byte("/Encrypt")) {
			return fmt.Errorf("%w: PDF chiffré", ErrProtected)
		}
		return fmt.Errorf("%w: PDF: %w", ErrMalformed, err)
	}
	if r.Trailer().Key("Encrypt").Kind() != pdf.Null {
		return fmt.Errorf("%w: PDF chiffré", ErrProtected)
	}
	var pages []pdf.Value
	nodes := 0
	collectPages(r.Trailer().Key("Root").Key("Pages"), 0, &nodes, &pages)
	doc.Pages = len(pages)
	if len(pages) == 0 {
		return fmt.Errorf("%w: PDF sans page", ErrMalformed)
	}

	st := &pdfState{b: b}
	var lines []pdfLine
	var empty []string
	for i, pg := range pages {
		start := len(lines)
		lines = st.page(pg, lines)
		if len(lines) > start {
			lines[start].pageBreak = i > 0
		} else {
			empty = append(empty, strconv.Itoa(i+1))
		}
	}
	chars := 0
	for _, l := range lines {
		chars += len(strings.TrimSpace(l.text))
	}
	if chars == 0 {
		return ErrNoText
	}
	if len(empty) > 0 {
		doc.Skipped = append(doc.Skipped, "pages sans texte (numérisées ?) : "+strings.Join(limitList(empty, 20), ", "))
	}
	doc.Text = renderPDFLines(lines)
	return nil
}

func limitList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], "…")
}

// collectPages walks the page tree depth-first; depth, nodes visited and
// pages are capped so that cyclic or repeated /Kids cannot loop.
func collectPages(node pdf.Value, depth int, nodes *int, out *[]pdf.Value) {
	if *nodes++; *nodes > maxPDFNodes || depth > 64 || len(*out) >= maxPDFPages || node.Kind() != pdf.Dict {
		return
	}
	kids := node.Key("Kids")
	if node.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
		for i := 0; i < kids.Len() && len(*out) < maxPDFPages; i++ {
			collectPages(kids.Index(i), depth+1, nodes, out)
		}
		return
	}
	*out = append(*out, node)
}

// inherited looks a page attribute up the /Parent chain, at most 32 levels.
func inherited(page pdf.Value, key string) pdf.Value {
	for i, v := 0, page; i < 32 && v.Kind() == pdf.Dict; i, v = i+1, v.Key("Parent") {
		if r := v.Key(key); r.Kind() != pdf.Null {
			return r
		}
	}
	return pdf.Value{}
}

type nopEncoding struct{}

func (nopEncoding) Decode(raw string) string { return raw }

// renderPDFLines joins lines into paragraphs and marks headings: lines set
// in a font clearly larger than the most common body size.
func renderPDFLines(lines []pdfLine) string {
	weight := map[int]int{}
	for _, l := range lines {
		weight[int(math.Round(l.size*2))] += len(l.text)
	}
	body, best := 0, -1
	for s, n := range weight {
		if n > best || n == best && s < body {
			body, best = s, n
		}
	}
	bodySize := float64(body) / 2
	var sb strings.Builder
	for i, l := range lines {
		text := strings.TrimSpace(l.text)
		if text == "" {
			continue
		}
		heading := 0
		if bodySize > 0 && len(text) < 150 {
			switch {
			case l.size >= 1.6*bodySize:
				heading = 1
			case l.size >= 1.15*bodySize:
				heading = 2
			}
		}
		if i > 0 && (l.pageBreak || l.gapBefore || heading > 0) {
			sb.WriteString("\n")
		}
		if heading > 0 {
			sb.WriteString(strings.Repeat("#", heading) + " " + text + "\n\n")
			continue
		}
		sb.WriteString(text)
		sb.WriteByte('\n')
	}
	return sb.String()
}
