package extract

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// Reading the pages of a PDF with one or two engine instances.

// parallelPages is the page count from which a document is read by two
// engine instances when both are free.
const parallelPages = 8

// openPDF opens data in inst. PDFium reads the document from data as it
// needs it, rather than from a copy in its own memory.
func openPDF(b *budget, inst pdfium.Pdfium, data []byte) (references.FPDF_DOCUMENT, error) {
	empty := ""
	opened, err := inst.OpenDocument(&requests.OpenDocument{FileReader: bytes.NewReader(data), FileReaderSize: int64(len(data)), Password: &empty})
	if err != nil {
		if errors.Is(err, pdferrors.ErrPassword) {
			return "", fmt.Errorf("%w: PDF chiffré", ErrProtected)
		}
		return "", engineFailure(b, err)
	}
	return opened.Document, nil
}

func closePDF(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT) {
	_, _ = inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: pd})
}

// pageRead is what reading one page found.
type pageRead struct {
	lines []pdfLine
	// empty: no text; unusable: text made of unmapped glyphs; scanned:
	// worth reading by OCR (an empty page showing an image, or unusable)
	empty, unusable, scanned bool
}

// pageReader hands out the pages of one document to the engine instances
// reading it, and gathers what they read.
type pageReader struct {
	b     *budget
	mu    sync.Mutex // guards next, err and the budget
	next  int
	err   error
	pages []pageRead
}

// take returns the next page to read, or false when all are taken or a
// reader failed.
func (r *pageReader) take() (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil || r.next >= len(r.pages) {
		return 0, false
	}
	r.next++
	return r.next - 1, true
}

func (r *pageReader) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// charge counts n bytes against the document's budget.
func (r *pageReader) charge(n int) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b.add(n)
}

// read reads pages with one instance until none is left.
func (r *pageReader) read(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT) {
	for {
		i, ok := r.take()
		if !ok {
			return
		}
		if err := r.b.check(); err != nil {
			r.fail(err)
			return
		}
		p, err := readPageOf(r, inst, pd, i)
		if err != nil {
			r.fail(err)
			return
		}
		r.pages[i] = p
	}
}

// readPageOf reads page i and charges its characters and lines.
func readPageOf(r *pageReader, inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, i int) (pageRead, error) {
	lines, usable, chars, err := readPage(inst, pd, i)
	if err != nil {
		return pageRead{}, engineFailure(r.b, err)
	}
	if err := r.charge(chars * 4); err != nil {
		return pageRead{}, err
	}
	var p pageRead
	switch {
	case len(lines) == 0:
		p.empty = true
		img, err := hasImage(inst, pd, i)
		if err != nil {
			return pageRead{}, engineFailure(r.b, err)
		}
		p.scanned = img
	case !usable:
		p.unusable, p.scanned = true, true
		lines = []pdfLine{{text: fmt.Sprintf("[page %d : pas de texte exploitable]", i+1)}}
	}
	p.lines = lines
	return p, r.charge(pdfLineCost * len(lines))
}

// readPage reads the lines of page i and whether they read as text (see
// usableText), with the number of characters of the page. The text comes
// in one call; lines and word spaces are rebuilt from each character's box
// (pageChars, layoutChars), as pdftotext does: PDFium's own spaces split
// words set with tight kerning ("Cancellat ion") and join others.
func readPage(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, i int) (lines []pdfLine, usable bool, chars int, err error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}})
	if err != nil {
		return nil, false, 0, err
	}
	defer func() { _, _ = inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage}) }()
	cc, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || cc.Count <= 0 {
		return nil, true, 0, err
	}
	all, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: cc.Count})
	if err != nil {
		return nil, false, 0, err
	}
	pc, err := pageChars(inst, tp.TextPage, []rune(all.Text), cc.Count)
	if err != nil {
		return nil, false, 0, err
	}
	return layoutChars(pc), usableText(pc), cc.Count, nil
}

// hasImage reports whether page i shows an image, directly or in a form
// XObject's first level: a page worth reading by OCR.
func hasImage(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, i int) (bool, error) {
	page := requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}
	n, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: page})
	if err != nil {
		return false, err
	}
	for j := range min(n.Count, 10000) {
		o, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: page, Index: j})
		if err != nil {
			return false, err
		}
		t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o.PageObject})
		if err != nil {
			return false, err
		}
		if t.Type == enums.FPDF_PAGEOBJ_IMAGE || t.Type == enums.FPDF_PAGEOBJ_FORM {
			return true, nil
		}
	}
	return false, nil
}
