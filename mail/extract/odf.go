package extract

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
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
	r := &odfReader{w: &writer{b: b}, doc: doc, rowCap: b.lim.MaxRows}
	err = p.walk("content.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			r.start(t)
		case xml.EndElement:
			r.end(t)
		case xml.CharData:
			if r.inPara > 0 && r.skip == 0 {
				r.para.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return err
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
	inNotes   int
	notes     strings.Builder
	titleCls  bool
}

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
	case sp == "text" && local == "list":
		r.listDepth++
	case sp == "text" && local == "list-item":
		r.inItem = true
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
		r.tb.beginCell()
	case sp == "draw" && local == "page":
		r.doc.Slides++
		r.w.heading(2, "Diapositive "+strconv.Itoa(r.doc.Slides))
	case sp == "draw" && local == "frame":
		r.titleCls = attrNS(t, "presentation", "class") == "title"
	case sp == "presentation" && local == "notes":
		r.inNotes++
		r.notes.Reset()
	case sp == "draw" && (local == "image" || local == "object" || local == "object-ole"):
		r.images++
	}
}

func isSkipped(sp, local string) bool {
	return sp == "office" && local == "annotation" || sp == "text" && (local == "note" || local == "tracked-changes")
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
	case sp == "text" && (local == "p" || local == "h"):
		r.inPara--
		if r.inPara > 0 {
			r.para.WriteByte(' ')
			return
		}
		r.endPara()
	case sp == "text" && local == "list":
		r.listDepth--
		if r.listDepth == 0 && !r.tb.open() && r.inNotes == 0 {
			r.w.endList()
		}
	case sp == "text" && local == "list-item":
		r.inItem = false
	case sp == "table" && (local == "table-cell" || local == "covered-table-cell"):
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
		if s := strings.TrimSpace(r.notes.String()); s != "" {
			r.w.para("Notes : " + s)
		}
	}
}

func (r *odfReader) endPara() {
	text := r.para.String()
	r.para.Reset()
	switch {
	case r.inNotes > 0:
		if s := oneLine(text); s != "" {
			if r.notes.Len() > 0 {
				r.notes.WriteByte(' ')
			}
			r.notes.WriteString(s)
		}
	case r.tb.open():
		r.tb.text(text)
	case r.level > 0:
		r.w.heading(r.level, text)
	case r.titleCls:
		r.w.heading(3, text)
	case r.listDepth > 0:
		r.w.item(r.listDepth-1, 0, text)
	default:
		r.w.para(text)
	}
}
