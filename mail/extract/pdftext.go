package extract

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/klippa-app/go-pdfium/requests"
)

// readPDFium reads a PDF with the PDFium engine: the text of each page
// rebuilt from character positions, then the filled form fields. With
// instances 2, a document of parallelPages pages or more is read by two
// engine instances at once when a second one is free at once (the
// caller's slot accounting allowed it), each taking the next page to read.
func readPDFium(b *budget, data []byte, doc *Document, instances int, pagesRead func()) error {
	inst, release, err := pdfInstance(b.ctx)
	if err != nil {
		if cerr := b.check(); cerr != nil {
			return cerr
		}
		return err
	}
	defer release()
	pd, err := openPDF(b, inst, data)
	if err != nil {
		return err
	}
	defer closePDF(inst, pd)
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: pd})
	if err != nil {
		return engineFailure(b, err)
	}
	doc.Pages = count.PageCount
	if doc.Pages == 0 {
		return fmt.Errorf("%w: PDF sans page", ErrMalformed)
	}
	n := min(doc.Pages, maxPDFPages)
	if n < doc.Pages {
		doc.Skipped = append(doc.Skipped, fmt.Sprintf("pages au-delà de %d", maxPDFPages))
	}
	pages := make([]pageRead, n)
	r := &pageReader{b: b, pages: pages}
	var wg sync.WaitGroup
	if instances > 1 && n >= parallelPages {
		if inst2, release2, ok := tryPDFInstance(b.ctx); ok {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer release2()
				defer func() {
					if p := recover(); p != nil {
						r.fail(fmt.Errorf("%w: %s", ErrMalformed, internalError))
					}
				}()
				pd2, err := openPDF(b, inst2, data)
				if err != nil {
					r.fail(err)
					return
				}
				defer closePDF(inst2, pd2)
				r.read(inst2, pd2)
			}()
		}
	}
	r.read(inst, pd)
	wg.Wait()
	if pagesRead != nil {
		pagesRead()
	}
	if r.err != nil {
		return r.err
	}
	pageLines := make([][]pdfLine, n)
	var empties, unusable, scanned []int
	for i, p := range pages {
		pageLines[i] = p.lines
		switch {
		case p.empty:
			empties = append(empties, i)
		case p.unusable:
			unusable = append(unusable, i)
		}
		if p.scanned {
			scanned = append(scanned, i)
		}
	}
	if len(unusable) > 0 {
		// not the empty pages: no text object there (blank pages, scans)
		read := readByGo(b, data, pageLines, unusable)
		if len(read) > 0 {
			doc.Notes = append(doc.Notes, "pages lues par le lecteur simplifié, le moteur PDF n'y trouvant pas de texte exploitable (police Type 3 sans correspondance Unicode ?) : "+pageList(read))
			done := map[int][]pdfLine{}
			for _, i := range read {
				done[i] = pageLines[i]
			}
			unusable, scanned = notIn(unusable, done), notIn(scanned, done)
		}
	}
	var ocrErr error
	if len(scanned) > 0 {
		read, err := ocrPDFPages(b, inst, pd, scanned, doc)
		switch {
		case errors.Is(err, ErrNoOCR):
			ocrErr = err
		case err != nil:
			return engineFailure(b, err)
		}
		var ocred []int
		for _, i := range scanned {
			if l := read[i]; len(l) > 0 {
				pageLines[i] = l
				ocred = append(ocred, i)
			}
		}
		if len(ocred) > 0 {
			doc.Notes, doc.OCR = append(doc.Notes, ocrNote+" — pages "+pageList(ocred)), true
		}
		empties, unusable = notIn(empties, read), notIn(unusable, read)
	}
	var lines []pdfLine
	for i, page := range pageLines {
		if len(page) > 0 {
			page[0].pageBreak = i > 0
		}
		lines = append(lines, page...)
	}
	fields, err := formFields(inst, pd, n)
	if err != nil {
		return engineFailure(b, err)
	}
	text := renderPDFLines(joinHyphens(lines))
	if len(fields) > 0 {
		f := "\n## Champs du formulaire\n\n" + strings.Join(fields, "\n") + "\n"
		if err := b.add(len(f)); err != nil {
			return err
		}
		text += f
	}
	why := ""
	if ocrErr != nil {
		why = " (OCR indisponible : installez tesseract-ocr tesseract-ocr-fra)"
	}
	if len(empties) > 0 {
		doc.Skipped = append(doc.Skipped, "pages sans texte (numérisées ?)"+why+" : "+pageList(empties))
	}
	if len(unusable) > 0 {
		doc.Skipped = append(doc.Skipped, "pages sans texte exploitable"+why+" : "+pageList(unusable))
	}
	if len(empties)+len(unusable) == n && len(fields) == 0 {
		if ocrErr != nil {
			return ocrErr
		}
		return ErrNoText
	}
	doc.Text = normalizePresentation(text)
	// a presentation form may unfold into many letters (U+FDFA: 18)
	if grown := len(doc.Text) - len(text); grown > 0 {
		return b.add(grown)
	}
	return nil
}

// readByGo reads with the built-in reader the pages where the engine found
// no usable text, and keeps its reading of those where it finds some: a
// Type 3 font whose glyphs are named but not mapped to Unicode (as
// Matplotlib writes) reads by its glyph names, better than by OCR. It
// returns the pages so read, whose lines are now in pageLines.
func readByGo(b *budget, data []byte, pageLines [][]pdfLine, pages []int) []int {
	gp, err := readPDFGoPages(&budget{ctx: b.ctx, lim: b.lim}, data)
	if err != nil || len(gp) != len(pageLines) {
		return nil
	}
	var read []int
	for _, i := range pages {
		if usableLines(gp[i]) && b.add(pdfLineCost*len(gp[i])) == nil {
			pageLines[i] = gp[i]
			read = append(read, i)
		}
	}
	slices.Sort(read)
	return read
}

// usableLines reports whether lines hold some text that is not mostly
// unmapped glyphs.
func usableLines(lines []pdfLine) bool {
	letters, bad, total := 0, 0, 0
	for _, l := range lines {
		for _, r := range l.text {
			total++
			switch {
			case badRune(r):
				bad++
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				letters++
			}
		}
	}
	return letters >= 3 && bad*3 < total
}

// notIn keeps the pages of s that are not keys of read.
func notIn(s []int, read map[int][]pdfLine) []int {
	var out []int
	for _, i := range s {
		if len(read[i]) == 0 {
			out = append(out, i)
		}
	}
	return out
}

// pageList names 0-based pages as a short 1-based list.
func pageList(pages []int) string {
	s := make([]string, len(pages))
	for i, p := range pages {
		s[i] = strconv.Itoa(p + 1)
	}
	return strings.Join(limitList(s, 20), ", ")
}

// joinHyphens joins a word cut at a line end by a hyphen ("adminis-" then
// "tration") when the next line of the same paragraph goes on in lower case.
func joinHyphens(lines []pdfLine) []pdfLine {
	out := lines[:0:0]
	for _, l := range lines {
		if k := len(out) - 1; k >= 0 && !l.pageBreak && !l.gapBefore && hyphenated(out[k].text) {
			if r := []rune(l.text); len(r) > 0 && unicode.IsLower(r[0]) {
				prev := []rune(out[k].text)
				out[k].text = string(prev[:len(prev)-1]) + l.text
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// hyphenated reports whether s ends with a letter and a hyphen (or a soft
// hyphen, or PDFium's mark for a hyphen at a line end, U+FFFE).
func hyphenated(s string) bool {
	r := []rune(s)
	if len(r) < 3 {
		return false
	}
	switch r[len(r)-1] {
	case '-', '\u00ad', '\u2010', '\u0002', '\ufffe':
		return unicode.IsLower(r[len(r)-2])
	}
	return false
}
