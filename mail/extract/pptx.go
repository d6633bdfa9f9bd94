package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// readPPTX reads the slides in presentation order, with their titles,
// bullet levels, tables and speaker notes.
func readPPTX(b *budget, data []byte, doc *Document) error {
	p, err := openZip(b, data)
	if err != nil {
		return err
	}
	rels, err := p.rels("ppt/presentation.xml")
	if err != nil {
		return err
	}
	var slides []string
	err = p.walk("ppt/presentation.xml", func(tok xml.Token) error {
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sldId" {
			if part := rels[attrNS(se, "r", "id")]; part != "" {
				slides = append(slides, part)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	w := &writer{b: b}
	images := 0
	for _, part := range slides {
		doc.Slides++
		w.heading(2, "Diapositive "+strconv.Itoa(doc.Slides))
		if !p.has(part) {
			doc.Skipped = append(doc.Skipped, "diapositive "+strconv.Itoa(doc.Slides)+" introuvable")
			continue
		}
		n, err := pptxPart(p, part, w, false)
		if err != nil {
			return err
		}
		images += n
		srels, err := p.rels(part)
		if err != nil {
			return err
		}
		for _, target := range srels {
			if strings.Contains(target, "notesSlides/") && p.has(target) {
				nw := &writer{b: b}
				if _, err := pptxPart(p, target, nw, true); err != nil {
					return err
				}
				if s := oneLine(nw.String()); s != "" {
					w.para("Notes : " + s)
				}
			}
		}
	}
	doc.skippedImages(images)
	doc.Text = w.String()
	return nil
}

// pptxPart writes the text of one slide or notes part and returns the
// number of pictures seen. In notes, the slide image and number are left out.
func pptxPart(p *pkg, part string, w *writer, notes bool) (int, error) {
	var (
		tb      tables
		para    strings.Builder
		inT     bool
		lvl     int
		phType  string
		images  int
		skipSp  bool
		spDepth int
		inList  bool
	)
	err := p.walk(part, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sp":
				spDepth++
				phType, skipSp = "", false
			case "ph":
				phType = attr(t, "type")
				if notes && (phType == "sldImg" || phType == "sldNum" || phType == "hdr" || phType == "ftr" || phType == "dt") {
					skipSp = true
				}
			case "p":
				para.Reset()
				lvl = 0
			case "pPr":
				lvl, _ = strconv.Atoi(attr(t, "lvl"))
			case "t":
				inT = true
			case "br":
				para.WriteByte('\n')
			case "pic":
				images++
			case "tbl":
				tb.begin()
			case "tr":
				tb.beginRow()
			case "tc":
				tb.beginCell()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "sp":
				spDepth--
				if inList {
					w.endList()
					inList = false
				}
			case "t":
				inT = false
			case "p":
				if t.Name.Space != "a" || skipSp {
					return nil
				}
				text := para.String()
				switch {
				case tb.open():
					tb.text(text)
				case notes:
					w.para(text)
				case phType == "title" || phType == "ctrTitle":
					w.heading(3, text)
				case phType == "body" || phType == "" && spDepth > 0:
					if strings.TrimSpace(text) != "" {
						w.item(lvl, 0, text)
						inList = true
					}
				default:
					w.para(text)
				}
			case "tc":
				tb.endCell(1)
			case "tr":
				tb.endRow(1, 0)
			case "tbl":
				if rows := tb.end(); rows != nil {
					w.table(rows)
				}
			}
		case xml.CharData:
			if inT {
				para.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return images, nil
}
