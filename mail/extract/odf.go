package extract

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// readODF reads content.xml of an OpenDocument text, spreadsheet or
// presentation: headings, paragraphs, lists, tables, sheets, slides and
// speaker notes.
func readODF(b *budget, data []byte, doc *Document) error {
	p, err := openZip(b, data)
	if err != nil {
		return err
	}
	if p.has("META-INF/manifest.xml") {
		m, err := p.read("META-INF/manifest.xml")
		if err != nil {
			return err
		}
		if bytes.Contains(m, []byte("encryption-data")) {
			return fmt.Errorf("%w: document OpenDocument chiffré", ErrProtected)
		}
	}
	r := &odfReader{w: &writer{b: b}, doc: doc, rowCap: b.lim.MaxRows, lists: map[string]*[10]listLevel{}}
	var header, footer []string
	if p.has("styles.xml") {
		if header, footer, err = r.styles(p); err != nil {
			return err
		}
	}
	for _, h := range header {
		r.w.para("En-tête : " + h)
	}
	err = p.walk("content.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			r.listStyle(t)
			r.start(t)
		case xml.EndElement:
			r.end(t)
		case xml.CharData:
			switch {
			case r.inCreator:
				r.creator.Write(t)
			case r.inPara > 0 && r.skip == 0:
				r.para.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.w.raw(r.notes.String())
	r.w.raw(r.comments.String())
	for _, f := range footer {
		r.w.para("Pied de page : " + f)
	}
	doc.skippedImages(r.images)
	for name, n := range r.capped {
		doc.skippedRows(name, r.rowCap, n)
	}
	doc.Text = r.w.String()
	return nil
}

type odfReader struct {
	w   *writer
	doc *Document

	para      strings.Builder
	inPara    int // depth of text:p / text:h
	level     int // heading level of the current text:h
	listDepth int
	inItem    bool
	skip      int // inside notes, annotations, tracked changes
	tb        tables
	sheet     string
	rowRepeat int
	cellRep   int
	rowCap    int
	capped    map[string]int
	images    int
	inNotes   int // inside the speaker notes of a slide
	slideNote strings.Builder
	titleCls  bool

	// Lists: the list styles by name and the lists being read.
	lists     map[string]*[10]listLevel
	styleName string // the list style being read
	listStack []odfList

	// Asides are notes and comments met inside a paragraph: the
	// paragraph is put aside while they are read.
	asides      []odfAside
	nFoot, nEnd int
	nComments   int
	overflow    int    // asides past the nesting cap
	notes       writer // "Note 1 : …" paragraphs, written after the body
	comments    writer
	inCreator   bool
	creator     strings.Builder

	// The value of the current spreadsheet cell, for cells without text.
	valueType, value string
}

// listLevel is how one level of an ODF list style labels its items.
type listLevel struct {
	format, prefix, suffix string // format "" is a bullet
	start                  int
}

// odfList is a list being read.
type odfList struct {
	style    string
	count    int
	numbered bool // the current item got its label
}

// odfAside is a note or comment being read and the paragraph it interrupts.
type odfAside struct {
	kind   string // footnote, endnote, annotation
	para   string
	inPara int
	level  int
	text   strings.Builder
}

// maxListStyles caps the list styles kept from one document.
const maxListStyles = 10000

func (r *odfReader) start(t xml.StartElement) {
	sp, local := t.Name.Space, t.Name.Local
	if r.skip > 0 {
		if isSkipped(sp, local) {
			r.skip++
		}
		return
	}
	switch {
	case isSkipped(sp, local):
		r.skip++
	case sp == "text" && (local == "p" || local == "h"):
		if r.inPara == 0 {
			r.para.Reset()
			r.level = 0
			if local == "h" {
				r.level, _ = strconv.Atoi(attrNS(t, "text", "outline-level"))
				if r.level <= 0 {
					r.level = 1
				}
			}
		}
		r.inPara++
	case sp == "text" && local == "s":
		n, _ := strconv.Atoi(attrNS(t, "text", "c"))
		r.para.WriteString(strings.Repeat(" ", max(1, min(n, 100))))
	case sp == "text" && local == "tab":
		r.para.WriteByte('\t')
	case sp == "text" && local == "line-break":
		r.para.WriteByte('\n')
	case sp == "text" && local == "note":
		kind := attrNS(t, "text", "note-class")
		if kind != "endnote" {
			kind = "footnote"
		}
		r.aside(kind)
	case sp == "office" && local == "annotation":
		r.aside("annotation")
		r.creator.Reset()
	case sp == "dc" && local == "creator" && len(r.asides) > 0:
		r.inCreator = true
	case sp == "text" && local == "list":
		r.listDepth++
		style := attrNS(t, "text", "style-name")
		if style == "" && len(r.listStack) > 0 {
			style = r.listStack[len(r.listStack)-1].style
		}
		if len(r.listStack) < maxDepth {
			r.listStack = append(r.listStack, odfList{style: style})
		}
	case sp == "text" && local == "list-item":
		r.inItem = true
		if n := len(r.listStack); n > 0 {
			r.listStack[n-1].numbered = false
			if v, err := strconv.Atoi(attrNS(t, "text", "start-value")); err == nil {
				if l := r.lists[r.listStack[n-1].style]; l != nil {
					r.listStack[n-1].count = v - l[min(n-1, 9)].start
				}
			}
		}
	case sp == "table" && local == "table":
		if !r.tb.open() {
			r.sheet = attrNS(t, "table", "name")
			if r.doc.Format == "ods" {
				r.doc.Sheets++
			}
		}
		r.tb.begin()
	case sp == "table" && local == "table-row":
		r.rowRepeat, _ = strconv.Atoi(attrNS(t, "table", "number-rows-repeated"))
		r.tb.beginRow()
	case sp == "table" && (local == "table-cell" || local == "covered-table-cell"):
		r.cellRep, _ = strconv.Atoi(attrNS(t, "table", "number-columns-repeated"))
		r.valueType, r.value = attrNS(t, "office", "value-type"), odfValue(t)
		r.tb.beginCell()
	case sp == "draw" && local == "page":
		r.doc.Slides++
		r.w.heading(2, "Diapositive "+strconv.Itoa(r.doc.Slides))
	case sp == "draw" && local == "frame":
		r.titleCls = attrNS(t, "presentation", "class") == "title"
	case sp == "presentation" && local == "notes":
		r.inNotes++
		r.slideNote.Reset()
	case sp == "draw" && (local == "image" || local == "object" || local == "object-ole"):
		r.images++
	}
}

// isSkipped names what is not shown: the deleted text of tracked changes
// and the citation of a note (numbered by the reader).
func isSkipped(sp, local string) bool {
	return sp == "text" && (local == "note-citation" || local == "tracked-changes")
}

// aside puts the current paragraph aside to read a note or comment.
func (r *odfReader) aside(kind string) {
	if len(r.asides) >= maxMailDepth {
		r.overflow++ // notes in notes in notes: read as text of the outer one
		return
	}
	r.asides = append(r.asides, odfAside{kind: kind, para: r.para.String(), inPara: r.inPara, level: r.level})
	r.para.Reset()
	r.inPara = 0
}

// unaside ends the innermost note or comment and resumes its paragraph
// with the note's call ("[1]").
func (r *odfReader) unaside() {
	a := &r.asides[len(r.asides)-1]
	text := oneLine(a.text.String())
	r.asides = r.asides[:len(r.asides)-1]
	r.para.Reset()
	r.para.WriteString(a.para)
	r.inPara, r.level = a.inPara, a.level
	if text == "" {
		return
	}
	switch a.kind {
	case "footnote":
		r.nFoot++
		r.para.WriteString("[" + strconv.Itoa(r.nFoot) + "]")
		r.notes.para("Note " + strconv.Itoa(r.nFoot) + " : " + text)
	case "endnote":
		r.nEnd++
		r.para.WriteString("[" + roman(r.nEnd, false) + "]")
		r.notes.para("Note de fin " + roman(r.nEnd, false) + " : " + text)
	default:
		r.nComments++
		label := "Commentaire " + strconv.Itoa(r.nComments)
		if c := oneLine(r.creator.String()); c != "" {
			label += " (" + c + ")"
		}
		r.comments.para(label + " : " + text)
	}
}

// odfValue renders the value of a cell without text as LibreOffice shows
// it by default, in French conventions.
func odfValue(t xml.StartElement) string {
	v := attrNS(t, "office", "value")
	switch attrNS(t, "office", "value-type") {
	case "float":
		return formatCell(v, "General", false)
	case "percentage":
		return formatCell(v, "0.##%", false)
	case "currency":
		return strings.TrimSpace(formatCell(v, "#,##0.00", false) + " " + attrNS(t, "office", "currency"))
	case "date":
		d := attrNS(t, "office", "date-value")
		if tm, err := time.Parse("2006-01-02T15:04:05", d); err == nil {
			return tm.Format("02/01/2006 15:04")
		}
		if tm, err := time.Parse("2006-01-02", d); err == nil {
			return tm.Format("02/01/2006")
		}
		return d
	case "time":
		d := attrNS(t, "office", "time-value")
		if dur, err := time.ParseDuration(strings.ToLower(strings.TrimPrefix(d, "PT"))); err == nil {
			return pad(int(dur.Hours()), 2) + ":" + pad(int(dur.Minutes())%60, 2)
		}
		return d
	case "boolean":
		if attrNS(t, "office", "boolean-value") == "true" {
			return "VRAI"
		}
		return "FAUX"
	}
	return ""
}

func (r *odfReader) end(t xml.EndElement) {
	sp, local := t.Name.Space, t.Name.Local
	if r.skip > 0 {
		if isSkipped(sp, local) {
			r.skip--
		}
		return
	}
	switch {
	case sp == "text" && local == "note" || sp == "office" && local == "annotation":
		switch {
		case r.overflow > 0:
			r.overflow--
		case len(r.asides) > 0:
			r.unaside()
		}
	case sp == "dc" && local == "creator":
		r.inCreator = false
	case sp == "text" && (local == "p" || local == "h"):
		r.inPara--
		if r.inPara > 0 {
			r.para.WriteByte(' ')
			return
		}
		r.endPara()
	case sp == "text" && local == "list":
		if len(r.listStack) > 0 {
			r.listStack = r.listStack[:len(r.listStack)-1]
		}
		r.listDepth--
		if r.listDepth == 0 && !r.tb.open() && r.inNotes == 0 {
			r.w.endList()
		}
	case sp == "text" && local == "list-item":
		r.inItem = false
	case sp == "table" && (local == "table-cell" || local == "covered-table-cell"):
		if top := r.tb.top(); top != nil && top.cell.Len() == 0 && r.value != "" {
			r.tb.text(r.value)
		}
		r.value = ""
		r.tb.endCell(r.cellRep)
	case sp == "table" && local == "table-row":
		top := r.tb.top()
		nonEmpty := top != nil && len(top.row) > 0
		added := r.tb.endRow(r.rowRepeat, r.rowCap)
		if nonEmpty && added < max(1, r.rowRepeat) {
			if r.capped == nil {
				r.capped = map[string]int{}
			}
			r.capped[r.sheet] += max(1, r.rowRepeat) - added
		}
	case sp == "table" && local == "table":
		if rows := r.tb.end(); rows != nil {
			if r.doc.Format == "ods" {
				r.w.heading(2, "Feuille "+strconv.Itoa(r.doc.Sheets)+" : "+r.sheet)
			}
			r.w.table(rows)
		}
	case sp == "presentation" && local == "notes":
		r.inNotes--
		if s := strings.TrimSpace(r.slideNote.String()); s != "" {
			r.w.para("Notes : " + s)
		}
	}
}

func (r *odfReader) endPara() {
	text := r.para.String()
	r.para.Reset()
	switch {
	case len(r.asides) > 0:
		a := &r.asides[len(r.asides)-1]
		a.text.WriteString(text)
		a.text.WriteByte(' ')
	case r.inNotes > 0:
		if s := oneLine(text); s != "" {
			if r.slideNote.Len() > 0 {
				r.slideNote.WriteByte(' ')
			}
			r.slideNote.WriteString(s)
		}
	case r.tb.open():
		r.tb.text(text)
	case r.level > 0:
		r.w.heading(r.level, text)
	case r.titleCls:
		r.w.heading(3, text)
	case r.listDepth > 0:
		r.w.numbered(r.listDepth-1, r.listLabel(), text)
	default:
		r.w.para(text)
	}
}
