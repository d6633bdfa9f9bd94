package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// readDOCX reads a Word document as it reads on paper: the headers, the
// body (paragraphs, headings from the style outline level, list items
// with their numbers, tables), footnote and endnote calls ("[1]") with
// the notes after the body ("Note 1 : …"), comments, then the footers.
// Tracked changes are shown resolved: insertions kept, deletions and
// moved-away text left out.
func readDOCX(b *budget, data []byte, doc *Document) error {
	p, err := openZip(b, data)
	if err != nil {
		return err
	}
	r := &docxReader{p: p, notes: map[string]string{}, endnotes: map[string]string{}}
	if r.levels, err = docxHeadingLevels(p); err != nil {
		return err
	}
	main, err := p.mainPart("word/document.xml")
	if err != nil {
		return err
	}
	rels, err := p.relationships(main)
	if err != nil {
		return err
	}
	parts := map[string][]string{}
	for _, rel := range rels {
		if p.has(rel.target) {
			parts[rel.kind] = append(parts[rel.kind], rel.target)
		}
	}
	if r.num, err = readNumbering(p, first(parts["numbering"], "word/numbering.xml")); err != nil {
		return err
	}
	for _, n := range parts["footnotes"] {
		if err := r.collect(n, "footnote", r.notes); err != nil {
			return err
		}
	}
	for _, n := range parts["endnotes"] {
		if err := r.collect(n, "endnote", r.endnotes); err != nil {
			return err
		}
	}

	w := &writer{b: b}
	if err := r.labelled(w, parts["header"], "En-tête"); err != nil {
		return err
	}
	if err := r.part(main, w); err != nil {
		return err
	}
	for i, id := range r.noteOrder {
		w.para("Note " + strconv.Itoa(i+1) + " : " + r.notes[id])
	}
	for i, id := range r.endOrder {
		w.para("Note de fin " + roman(i+1, false) + " : " + r.endnotes[id])
	}
	for _, n := range parts["comments"] {
		if err := r.comments(n, w); err != nil {
			return err
		}
	}
	if err := r.labelled(w, parts["footer"], "Pied de page"); err != nil {
		return err
	}
	doc.skippedImages(r.images)
	for _, name := range p.order {
		if strings.HasPrefix(name, "word/embeddings/") {
			doc.Skipped = append(doc.Skipped, "objet incorporé : "+strings.TrimPrefix(name, "word/embeddings/"))
		}
	}
	doc.Text = w.String()
	return nil
}

func first(list []string, dflt string) string {
	if len(list) > 0 {
		return list[0]
	}
	return dflt
}

// docxReader reads the parts of one Word document.
type docxReader struct {
	p        *pkg
	levels   map[string]int
	num      *numbering
	notes    map[string]string // footnote id → text
	endnotes map[string]string
	// noteOrder and endOrder are the note ids in the order of their calls.
	noteOrder, endOrder []string
	images              int
}

// call returns the mark of a note call, numbering notes in reading order.
func (r *docxReader) call(id string, end bool) string {
	order, texts := &r.noteOrder, r.notes
	if end {
		order, texts = &r.endOrder, r.endnotes
	}
	if _, ok := texts[id]; !ok {
		return ""
	}
	for i, seen := range *order {
		if seen == id {
			return noteMark(i+1, end)
		}
	}
	*order = append(*order, id)
	return noteMark(len(*order), end)
}

func noteMark(n int, end bool) string {
	if end {
		return "[" + roman(n, false) + "]"
	}
	return "[" + strconv.Itoa(n) + "]"
}

// labelled writes the text of header or footer parts after a label, each
// distinct text once.
func (r *docxReader) labelled(w *writer, parts []string, label string) error {
	seen := map[string]bool{}
	for _, name := range parts {
		pw := &writer{b: w.b}
		if err := r.part(name, pw); err != nil {
			return err
		}
		text := strings.TrimSpace(pw.String())
		if text == "" || seen[text] {
			continue
		}
		seen[text] = true
		w.para(label + " : " + oneLine(text))
	}
	return nil
}

// collect reads the notes of a footnotes or endnotes part (separators left out).
func (r *docxReader) collect(name, element string, into map[string]string) error {
	return r.items(name, element, func(se xml.StartElement) bool {
		t := attr(se, "type")
		return t == "" || t == "normal"
	}, func(se xml.StartElement, text string) {
		into[attr(se, "id")] = text
	})
}

// comments writes the comments of a comments part, with their authors.
func (r *docxReader) comments(name string, w *writer) error {
	n := 0
	return r.items(name, "comment", nil, func(se xml.StartElement, text string) {
		n++
		label := "Commentaire " + strconv.Itoa(n)
		if a := oneLine(attr(se, "author")); a != "" {
			label += " (" + a + ")"
		}
		w.para(label + " : " + text)
	})
}

// items reads the elements named element of a part, each as one line of
// text, and passes them to fn; keep, when set, selects the elements read.
func (r *docxReader) items(name, element string, keep func(xml.StartElement) bool, fn func(xml.StartElement, string)) error {
	var (
		cur   xml.StartElement
		in    bool
		depth int
		sub   *docxBody
	)
	return r.p.walk(name, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if !in && t.Name.Local == element && (keep == nil || keep(t)) {
				cur, in, depth = t, true, 0
				sub = r.body(&writer{b: r.p.b})
				return nil
			}
			if in && t.Name.Local == element {
				depth++
			}
		case xml.EndElement:
			if in && t.Name.Local == element {
				if depth > 0 {
					depth--
				} else {
					in = false
					fn(cur, oneLine(sub.w.String()))
					return nil
				}
			}
		}
		if in {
			sub.token(tok)
		}
		return nil
	})
}

// part writes one story (the body, a header, a footer) into w.
func (r *docxReader) part(name string, w *writer) error {
	body := r.body(w)
	return r.p.walk(name, func(tok xml.Token) error {
		body.token(tok)
		return nil
	})
}

func (r *docxReader) body(w *writer) *docxBody {
	return &docxBody{r: r, w: w, numLvl: -1, outlined: -1}
}

// docxBody is the state of one story being read.
type docxBody struct {
	r        *docxReader
	w        *writer
	tb       tables
	para     strings.Builder
	style    string
	numID    string
	numLvl   int
	inText   bool
	inRun    bool
	skip     int // depth inside deleted or moved-away text, field codes, fallbacks
	inList   bool
	outlined int
}

// skipped names the elements whose text is not shown: deletions, text
// moved elsewhere, field instructions, and the fallback of alternate content.
func skipped(n xml.Name) bool {
	switch n.Local {
	case "delText", "instrText", "del", "moveFrom", "delInstrText":
		return n.Space == "w" || n.Space == ""
	case "Fallback":
		return n.Space == "mc"
	}
	return false
}

func (d *docxBody) token(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		if skipped(t.Name) {
			d.skip++
			return
		}
		switch t.Name.Local {
		case "p":
			d.para.Reset()
			d.style, d.numID, d.numLvl, d.outlined = "", "", -1, -1
		case "pStyle":
			d.style = attr(t, "val")
		case "outlineLvl":
			d.outlined, _ = strconv.Atoi(attr(t, "val"))
		case "numPr":
			if d.numLvl < 0 {
				d.numLvl = 0
			}
		case "ilvl":
			d.numLvl, _ = strconv.Atoi(attr(t, "val"))
		case "numId":
			d.numID = attr(t, "val")
		case "t":
			d.inText = true
		case "r":
			d.inRun = true
		case "tab":
			if d.inRun {
				d.para.WriteByte('\t')
			}
		case "br", "cr":
			d.para.WriteByte('\n')
		case "footnoteReference", "endnoteReference":
			if d.skip == 0 {
				d.para.WriteString(d.r.call(attr(t, "id"), t.Name.Local == "endnoteReference"))
			}
		case "drawing", "pict", "object":
			d.r.images++
		case "tbl":
			d.tb.begin()
		case "tr":
			d.tb.beginRow()
		case "tc":
			d.tb.beginCell()
		}
	case xml.EndElement:
		if skipped(t.Name) {
			d.skip--
			return
		}
		switch t.Name.Local {
		case "t":
			d.inText = false
		case "r":
			d.inRun = false
		case "p":
			d.endPara()
		case "tc":
			d.tb.endCell(1)
		case "tr":
			d.tb.endRow(1, 0)
		case "tbl":
			if rows := d.tb.end(); rows != nil {
				d.closeList()
				d.w.table(rows)
			}
		}
	case xml.CharData:
		if d.inText && d.skip <= 0 {
			d.para.Write(t)
		}
	}
}

func (d *docxBody) closeList() {
	if d.inList {
		d.w.endList()
		d.inList = false
	}
}

func (d *docxBody) endPara() {
	text := d.para.String()
	if d.tb.open() {
		if d.numLvl >= 0 && d.numID != "" && d.numID != "0" {
			if label := d.r.num.next(d.numID, d.numLvl); label != "" {
				text = label + " " + text
			}
		}
		d.tb.text(text)
		return
	}
	level := d.r.levels[d.style]
	if level == 0 && d.outlined >= 0 && d.outlined < 9 {
		level = d.outlined + 1
	}
	switch {
	case level > 0:
		d.closeList()
		d.w.heading(level, text)
	case d.numLvl >= 0 && d.numID != "0" && strings.TrimSpace(text) != "":
		label := ""
		if d.numID != "" {
			label = d.r.num.next(d.numID, d.numLvl)
		}
		d.w.numbered(d.numLvl, label, text)
		d.inList = true
	default:
		d.closeList()
		d.w.para(text)
	}
}

// docxHeadingLevels maps paragraph style ids to heading levels, from the
// style names ("heading 1", "Title") and outline levels of word/styles.xml.
func docxHeadingLevels(p *pkg) (map[string]int, error) {
	levels := map[string]int{}
	for i := 1; i <= 9; i++ {
		n := strconv.Itoa(i)
		levels["Heading"+n] = i
		levels["Titre"+n] = i
	}
	levels["Title"], levels["Titre"] = 1, 1
	if !p.has("word/styles.xml") {
		return levels, nil
	}
	var id string
	err := p.walk("word/styles.xml", func(tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		switch se.Name.Local {
		case "style":
			id = attr(se, "styleId")
		case "name":
			name := strings.ToLower(attr(se, "val"))
			if name == "title" {
				levels[id] = 1
			} else if rest, ok := strings.CutPrefix(name, "heading "); ok {
				if n, err := strconv.Atoi(rest); err == nil && n > 0 {
					levels[id] = n
				}
			}
		case "outlineLvl":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n >= 0 && n < 9 && id != "" {
				if _, ok := levels[id]; !ok {
					levels[id] = n + 1
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return levels, nil
}
