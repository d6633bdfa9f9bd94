package extract

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"golang.org/x/text/unicode/norm"
)

// pdfChar is one character of a page as the engine places it, in the
// frame of its own writing direction: x grows along the line, y across it.
type pdfChar struct {
	r          rune
	x0, x1, y  float64
	size       float64
	angle      float64
	realSpace  bool
	badMapping bool
}

// readPDFium reads a PDF with the PDFium engine: the text of each page
// rebuilt from character positions, then the filled form fields.
func readPDFium(b *budget, data []byte, doc *Document) error {
	inst, release, err := pdfInstance(b.ctx)
	if err != nil {
		if cerr := b.check(); cerr != nil {
			return cerr
		}
		return err
	}
	defer release()
	// PDFium reads the document from data as it needs it, rather than
	// from a copy in its own memory
	empty := ""
	opened, err := inst.OpenDocument(&requests.OpenDocument{FileReader: bytes.NewReader(data), FileReaderSize: int64(len(data)), Password: &empty})
	if err != nil {
		if errors.Is(err, pdferrors.ErrPassword) {
			return fmt.Errorf("%w: PDF chiffré", ErrProtected)
		}
		return engineFailure(b, err)
	}
	pd := opened.Document
	defer func() { _, _ = inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: pd}) }()
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
	pageLines := make([][]pdfLine, n)
	var empties, unusable, scanned []int
	for i := range n {
		if err := b.check(); err != nil {
			return err
		}
		chars, err := pageChars(inst, pd, i)
		if err != nil {
			return engineFailure(b, err)
		}
		if err := b.add(len(chars) * 4); err != nil {
			return err
		}
		page := layoutChars(chars)
		switch {
		case len(page) == 0:
			empties = append(empties, i)
			if img, err := hasImage(inst, pd, i); err != nil {
				return engineFailure(b, err)
			} else if img {
				scanned = append(scanned, i)
			}
		case !usableText(chars):
			unusable = append(unusable, i)
			scanned = append(scanned, i)
			page = []pdfLine{{text: fmt.Sprintf("[page %d : pas de texte exploitable]", i+1)}}
		}
		if err := b.add(pdfLineCost * len(page)); err != nil {
			return err
		}
		pageLines[i] = page
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
		text += "\n## Champs du formulaire\n\n" + strings.Join(fields, "\n") + "\n"
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
	return nil
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

// pageChars reads the characters of page i with their boxes, leaving out
// the spaces and line breaks the engine generates: lines and spaces are
// rebuilt from positions, as pdftotext does.
func pageChars(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, i int) ([]pdfChar, error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}})
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage}) }()
	cc, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return nil, err
	}
	// one call for the text of the page; per character only its box
	all, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: cc.Count})
	if err != nil {
		return nil, err
	}
	runes := []rune(all.Text)
	chars := make([]pdfChar, 0, cc.Count)
	angle := 0.0
	for j := range cc.Count {
		var r rune
		if len(runes) == cc.Count {
			r = runes[j]
		} else { // characters outside the BMP: text and indices differ
			u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return nil, err
			}
			r = rune(u.Unicode)
		}
		if r == '\r' || r == '\n' {
			continue
		}
		if r == ' ' || r == 0xA0 {
			g, err := inst.FPDFText_IsGenerated(&requests.FPDFText_IsGenerated{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return nil, err
			}
			if !g.IsGenerated && len(chars) > 0 {
				chars[len(chars)-1].realSpace = true
			}
			continue
		}
		box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: j})
		if err != nil {
			return nil, err
		}
		rect := box.Rect
		// the angle is asked only where a line may change: the first
		// character, and one that does not follow the last one along x
		if k := len(chars) - 1; k < 0 || angle != 0 || !continuesLine(chars[k], rect.Left, rect.Bottom, rect.Top) {
			a, err := inst.FPDFText_GetCharAngle(&requests.FPDFText_GetCharAngle{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return nil, err
			}
			angle = float64(a.CharAngle)
		}
		c := placeChar(r, angle, rect.Left, rect.Right, rect.Bottom, rect.Top)
		// unmapped glyphs are sampled: one character in eight is checked
		if r == 0 || r == unicode.ReplacementChar {
			c.badMapping = true
		} else if j%8 == 0 {
			me, err := inst.FPDFText_HasUnicodeMapError(&requests.FPDFText_HasUnicodeMapError{TextPage: tp.TextPage, Index: j})
			if err != nil {
				return nil, err
			}
			c.badMapping = me.HasUnicodeMapError
		}
		chars = append(chars, c)
	}
	return chars, nil
}

// continuesLine reports whether a box follows the upright character prev
// on its line: the same baseline band, a little further right.
func continuesLine(prev pdfChar, left, bottom, top float32) bool {
	if prev.angle != 0 {
		return false
	}
	y := float64(bottom+top) / 2
	x := float64(left)
	return math.Abs(y-prev.y) < 0.25*prev.size && x >= prev.x0 && x-prev.x1 < 3*prev.size
}

// placeChar turns a box in page space into a pdfChar in the frame of the
// character's direction, so that rotated text is laid out as lines too.
func placeChar(r rune, angle float64, left, right, bottom, top float32) pdfChar {
	// snap to the nearest quarter turn: text at 0°, 90°, 180° or 270°
	q := int(math.Round(angle/(math.Pi/2))) & 3
	l, rt, bt, tp := float64(left), float64(right), float64(bottom), float64(top)
	c := pdfChar{r: r, angle: float64(q)}
	switch q {
	case 0:
		c.x0, c.x1, c.y, c.size = l, rt, (bt+tp)/2, tp-bt
	case 3: // PDFium measures angles clockwise: bottom to top
		c.x0, c.x1, c.y, c.size = bt, tp, -(l+rt)/2, rt-l
	case 2:
		c.x0, c.x1, c.y, c.size = -rt, -l, -(bt+tp)/2, tp-bt
	case 1: // top to bottom
		c.x0, c.x1, c.y, c.size = -tp, -bt, (l+rt)/2, rt-l
	}
	c.size = math.Abs(c.size)
	return c
}

// layoutChars rebuilds the lines of a page: a character far from the line's
// baseline, turned another way or well behind the last one starts a new
// line; a gap wider than a tenth of the type size, or a space character
// of the document that does not overlap the letters, is a word space; a
// wide gap is a tab (a column).
func layoutChars(chars []pdfChar) []pdfLine {
	var lines []pdfLine
	var cur strings.Builder
	var lineY, lineSize, lastEnd, prevY, prevSize, angle float64
	started, space := false, false
	prevY = math.NaN()
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			gap := !math.IsNaN(prevY) && math.Abs(lineY-prevY) > 1.6*math.Max(prevSize, lineSize)
			lines = append(lines, pdfLine{text: t, size: lineSize, gapBefore: gap})
			prevY, prevSize = lineY, lineSize
		}
		cur.Reset()
		started = false
	}
	for _, c := range chars {
		size := math.Max(c.size, 1)
		if started {
			tol := 0.5 * math.Min(size, lineSize)
			if c.angle != angle || math.Abs(c.y-lineY) > tol || c.x0 < lastEnd-2*lineSize {
				flush()
			}
		}
		if !started {
			started, space = true, false
			lineY, lineSize, angle = c.y, size, c.angle
		} else {
			gap := c.x0 - lastEnd
			switch {
			case gap > 2.5*lineSize:
				cur.WriteByte('\t')
			case space && gap > 0 || gap > 0.12*math.Min(size, lineSize):
				// a space character drawn over the letters before it is not one
				cur.WriteByte(' ')
			}
			lineSize = math.Max(lineSize, size)
		}
		cur.WriteRune(c.r)
		lastEnd = math.Max(c.x1, c.x0)
		space = c.realSpace
	}
	flush()
	for i := range lines {
		// the box height of a character is about 1.2 times its type size
		lines[i].size = math.Round(lines[i].size/1.2*2) / 2
	}
	return lines
}

// usableText reports whether the characters of a page read as text: not
// mostly unmapped glyphs, control characters or private-use codes.
func usableText(chars []pdfChar) bool {
	total, bad := 0, 0
	for i, c := range chars {
		total++
		// badMapping is known for one character in eight: count it eight times
		if c.badMapping && i%8 == 0 {
			bad += 8
		} else if c.r == 0 || c.r == unicode.ReplacementChar || unicode.Is(unicode.Co, c.r) || unicode.IsControl(c.r) && c.r != '\t' && c.r != 2 {
			bad++
		}
	}
	return total < 10 || bad*3 < total
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
// Arabic and half-width forms) by the letters they stand for (NFKC),
// leaving other characters as they are.
func normalizePresentation(s string) string {
	if !strings.ContainsFunc(s, isPresentationForm) {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if isPresentationForm(r) {
			sb.WriteString(norm.NFKC.String(string(r)))
		} else {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func isPresentationForm(r rune) bool {
	return r >= 0xFB00 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF || r >= 0xFF00 && r <= 0xFFEF
}

// maxFormFields caps the form fields listed for one document.
const maxFormFields = 2000

// formFields lists the filled fields of an AcroForm, labelled by their
// tooltip (the label a form shows) or else their name: "Nom : Dupont",
// "Majeur : coché". Empty and unchecked fields are left out.
func formFields(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, pages int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < pages && len(out) < maxFormFields; i++ {
		form, err := inst.GetForm(&requests.GetForm{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}})
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
