package extract

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"golang.org/x/text/unicode/norm"
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
			doc.Notes = append(doc.Notes, ocrNote+" — pages "+pageList(ocred))
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

// normalizePresentation replaces presentation forms (the ligatures ﬁ, ﬀ,
// Arabic forms) by the letters they stand for (NFKC), and the ligatures
// of Word's Calibri that its PDFs map to unrelated letters (see
// calibriLigatures), leaving other characters as they are.
func normalizePresentation(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isPresentationForm(r) || calibriLigatures[r] != "" }) {
		return s
	}
	var sb strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case isPresentationForm(r):
			sb.WriteString(norm.NFKC.String(string(r)))
		case calibriLigatures[r] != "" && i > 0 && isLowerLatin(rs[i-1]) && (i+1 == len(rs) || isLowerLatin(rs[i+1]) || !unicode.IsLetter(rs[i+1])):
			sb.WriteString(calibriLigatures[r])
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// calibriLigatures are the ligatures of Calibri that Word's PDF export
// maps to letters of African alphabets: "aƩestaƟon" for "attestation".
// They are read as the two letters they draw only after a lower-case
// Latin letter, where those capitals cannot stand.
var calibriLigatures = map[rune]string{
	'Ɵ': "ti", // Ɵ
	'Ʃ': "tt", // Ʃ
}

func isLowerLatin(r rune) bool {
	return unicode.IsLower(r) && unicode.Is(unicode.Latin, r)
}

func isPresentationForm(r rune) bool {
	// not the full-width forms (U+FF00–FFEF): they are the ordinary
	// punctuation of Chinese and Japanese text
	return r >= 0xFB00 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF
}

// maxFormFields caps the form fields listed for one document.
const maxFormFields = 2000

// formFields lists the filled fields of an AcroForm, labelled by their
// tooltip (the label a form shows) or else their name: "Nom : Dupont",
// "Majeur : coché". Empty and unchecked fields are left out.
func formFields(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, pages int) ([]string, error) {
	// a document without a form is the rule: reading a page's fields
	// starts a form environment, as costly as reading its text
	ft, err := inst.FPDF_GetFormType(&requests.FPDF_GetFormType{Document: pd})
	if err != nil || ft.FormType == enums.FPDF_FORMTYPE_NONE {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for i := 0; i < pages && len(out) < maxFormFields; i++ {
		page := requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}
		if n, err := inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: page}); err != nil {
			return nil, err
		} else if n.Count == 0 {
			continue // fields are widget annotations
		}
		form, err := inst.GetForm(&requests.GetForm{Page: page})
		if err != nil {
			return nil, err
		}
		for _, f := range form.Fields {
			label := strings.TrimSpace(f.ToolTip)
			if label == "" {
				label = strings.TrimSpace(f.Name)
			}
			var value string
			switch f.Type {
			case enums.FPDF_FORMFIELD_TYPE_CHECKBOX, enums.FPDF_FORMFIELD_TYPE_XFA_CHECKBOX:
				if f.IsChecked != nil && *f.IsChecked {
					value = "coché"
				}
			case enums.FPDF_FORMFIELD_TYPE_RADIOBUTTON:
				if f.IsChecked != nil && *f.IsChecked && f.Value != nil {
					value = *f.Value
				}
			case enums.FPDF_FORMFIELD_TYPE_COMBOBOX, enums.FPDF_FORMFIELD_TYPE_LISTBOX:
				value = strings.Join(f.Values, ", ")
			case enums.FPDF_FORMFIELD_TYPE_PUSHBUTTON, enums.FPDF_FORMFIELD_TYPE_SIGNATURE:
			default:
				if f.Value != nil {
					value = *f.Value
				}
			}
			value = strings.Join(strings.Fields(value), " ")
			line := "- " + label + " : " + value
			if value == "" || seen[line] {
				continue
			}
			seen[line] = true
			out = append(out, line)
		}
	}
	return out, nil
}
