package extract

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
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

// prePassAbove is the size, in file bytes or in decoded content, above
// which a PDF is read by the built-in reader before a worker reads it.
const prePassAbove = 8 << 20

// readPDF reads a PDF with the PDFium engine, in a worker process when
// there is one, else in this process; the built-in reader (readPDFGo)
// guards the engine and stands in for it.
//
// The built-in reader is bounded where the engine is only capped: it
// counts every decompressed byte and operand against the document's
// budget, so a bomb is refused at the budget (25 MiB by default) before
// PDFium would inflate it up to its memory limit (192 MiB). In this
// process it always goes first. A worker is capped too and is killed at
// the document's deadline, so there the built-in reader goes first only
// on a document that is large or expands beyond prePassAbove (a quick
// look at its compressed streams, pdfInflated: the hostile files expand
// past it within milliseconds, the 54 files of the evaluation corpus stay
// under 4 MiB), and after the worker when it fails: to tell a bomb or a
// broken file from a scan, and to give the text it finds when the engine
// cannot read the file (with a note). PDFium opens what the built-in
// reader cannot: LZW, PDF 2.0, damaged streams, owner passwords.
func readPDF(b *budget, data []byte, doc *Document) error {
	inflated, damaged := pdfInflated(data, prePassAbove)
	err := readPDFWith(b, data, doc, len(data) > prePassAbove || inflated > prePassAbove)
	if err == nil && damaged > 0 {
		doc.Notes = append(doc.Notes, fmt.Sprintf("PDF : %d flux compressé(s) endommagé(s), ignoré(s) : du texte peut manquer", damaged))
		doc.Damaged = true
	}
	return err
}

// readPDFWith reads a PDF; large says whether the built-in reader reads
// it first (see readPDF).
func readPDFWith(b *budget, data []byte, doc *Document, large bool) error {
	gdoc := &Document{Name: doc.Name, MediaType: doc.MediaType, Format: doc.Format}
	gb := &budget{ctx: b.ctx, lim: b.lim}
	// two engine instances read a document at once only when it is small:
	// each may take up to its memory cap
	instances := 2
	if large {
		instances = 1
	}
	if !useWorkers() || large {
		gerr := readPDFGo(gb, data, gdoc)
		if errors.Is(gerr, ErrTooLarge) || b.check() != nil {
			return gerr
		}
		if !useWorkers() {
			return pdfVerdict(readPDFium(b, data, doc, instances, nil), gerr, doc, gdoc)
		}
		return pdfVerdict(readPDFWorker(b, data, doc, instances), gerr, doc, gdoc)
	}
	err := readPDFWorker(b, data, doc, instances)
	if err == nil || !errors.Is(err, errNoEngine) && !errors.Is(err, ErrNoText) && !errors.Is(err, ErrMalformed) {
		return err
	}
	if cerr := b.check(); cerr != nil {
		return cerr
	}
	return pdfVerdict(err, readPDFGo(gb, data, gdoc), doc, gdoc)
}

// pdfVerdict chooses between the engine's reading (err, doc) and the
// built-in reader's (gerr, gdoc) of the same PDF.
func pdfVerdict(err, gerr error, doc, gdoc *Document) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(gerr, ErrTooLarge):
		// a bomb that the engine choked on
		return gerr
	case errors.Is(gerr, ErrProtected) && !errors.Is(err, ErrNoText):
		// the engine failed where the built-in reader found a password
		return gerr
	case errors.Is(err, errNoEngine):
		gdoc.Notes = append(gdoc.Notes, "moteur PDF indisponible, lecteur simplifié utilisé : "+err.Error())
		*doc = *gdoc
		return gerr
	case errors.Is(err, ErrMalformed) && gerr == nil:
		gdoc.Notes = append(gdoc.Notes, "lu par le lecteur simplifié, le moteur PDF ayant échoué : "+err.Error())
		gdoc.Damaged = true
		*doc = *gdoc
		return nil
	case errors.Is(err, ErrNoText) && errors.Is(gerr, ErrMalformed):
		// neither reader finds text: a broken file rather than a scan
		return gerr
	}
	return err
}

// readPDFGo reads the text layer of a PDF, page by page, in content order,
// rebuilding lines from text positions. Headings are lines set in a larger
// font than the body text.
func readPDFGo(b *budget, data []byte, doc *Document) error {
	pages, err := readPDFGoPages(b, data)
	if err != nil {
		return err
	}
	doc.Pages = len(pages)
	var lines []pdfLine
	var empty []string
	for i, page := range pages {
		if len(page) > 0 {
			page[0].pageBreak = i > 0
		} else {
			empty = append(empty, strconv.Itoa(i+1))
		}
		lines = append(lines, page...)
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

// readPDFGoPages reads the lines of each page with the built-in reader.
func readPDFGoPages(b *budget, data []byte) (out [][]pdfLine, err error) {
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
		return nil, err
	}
	if errors.Is(err, pdf.ErrLimit) {
		return nil, pdfStop(pdf.Stop{Err: err})
	}
	if err != nil {
		if bytes.Contains(data, []byte("/Encrypt")) {
			return nil, fmt.Errorf("%w: PDF chiffré", ErrProtected)
		}
		return nil, fmt.Errorf("%w: PDF: %w", ErrMalformed, err)
	}
	if r.Trailer().Key("Encrypt").Kind() != pdf.Null {
		return nil, fmt.Errorf("%w: PDF chiffré", ErrProtected)
	}
	var pages []pdf.Value
	nodes := 0
	collectPages(r.Trailer().Key("Root").Key("Pages"), 0, &nodes, &pages)
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: PDF sans page", ErrMalformed)
	}
	st := &pdfState{b: b}
	out = make([][]pdfLine, len(pages))
	for i, pg := range pages {
		out[i] = st.page(pg, nil)
	}
	return out, nil
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

// pdfInflated sums the decoded size of the Flate-compressed streams of a
// PDF that are not images, stopping once the sum passes limit. It reads the
// raw file, without the object model: a quick look at how far a document
// expands, so that the thorough bounded reading (readPDFGo) runs first on
// the documents that could make the engine fill its memory. It also counts
// the streams that start well and then break: the engine skips them, and
// the text they held is missing.
func pdfInflated(data []byte, limit int64) (total int64, damaged int) {
	var zr io.ReadCloser
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte("stream"))
		if i < 0 {
			break
		}
		i += off
		off = i + len("stream")
		if i >= 3 && string(data[i-3:i]) == "end" {
			continue
		}
		body := off
		if body < len(data) && data[body] == '\r' {
			body++
		}
		if body >= len(data) || data[body] != '\n' && body == off {
			continue // the word, not the keyword
		}
		if data[body] == '\n' {
			body++
		}
		// the stream's dictionary lies between "obj" and the keyword
		from := max(0, i-4096)
		dict := data[from:i]
		if k := bytes.LastIndex(dict, []byte("obj")); k >= 0 {
			dict = dict[k:]
		}
		if !bytes.Contains(dict, []byte("/FlateDecode")) || bytes.Contains(dict, []byte("/Image")) {
			continue
		}
		var err error
		if zr == nil {
			zr, err = zlib.NewReader(bytes.NewReader(data[body:]))
		} else {
			err = zr.(zlib.Resetter).Reset(bytes.NewReader(data[body:]), nil)
		}
		if err != nil {
			zr = nil
			continue
		}
		n, err := io.Copy(io.Discard, io.LimitReader(zr, limit-total+1))
		if err != nil {
			damaged++ // a valid start, then broken data or checksum
		}
		if total += n; total > limit {
			break
		}
	}
	return total, damaged
}
