package extract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// readDOCX reads word/document.xml: paragraphs, headings (from the style
// outline level), list items and tables.
func readDOCX(b *budget, data []byte, doc *Document) error {
	p, err := openZip(b, data)
	if err != nil {
		return err
	}
	levels, err := docxHeadingLevels(p)
	if err != nil {
		return err
	}
	w := &writer{b: b}
	var (
		tb       tables
		para     strings.Builder
		style    string
		numLvl   = -1
		inText   bool
		inRun    bool
		skip     int // depth inside deleted text or field codes
		images   int
		inList   bool
		outlined = -1
	)
	err = p.walk("word/document.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				para.Reset()
				style, numLvl, outlined = "", -1, -1
			case "pStyle":
				style = attr(t, "val")
			case "outlineLvl":
				outlined, _ = strconv.Atoi(attr(t, "val"))
			case "numPr":
				if numLvl < 0 {
					numLvl = 0
				}
			case "ilvl":
				numLvl, _ = strconv.Atoi(attr(t, "val"))
			case "t":
				inText = true
			case "delText", "instrText", "del":
				skip++
			case "r":
				inRun = true
			case "tab":
				if inRun {
					para.WriteByte('\t')
				}
			case "br", "cr":
				para.WriteByte('\n')
			case "drawing", "pict", "object":
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
			case "t":
				inText = false
			case "r":
				inRun = false
			case "delText", "instrText", "del":
				skip--
			case "p":
				text := para.String()
				if tb.open() {
					tb.text(text)
					return nil
				}
				level := levels[style]
				if level == 0 && outlined >= 0 && outlined < 9 {
					level = outlined + 1
				}
				switch {
				case level > 0:
					if inList {
						w.endList()
						inList = false
					}
					w.heading(level, text)
				case numLvl >= 0 && strings.TrimSpace(text) != "":
					w.item(numLvl, 0, text)
					inList = true
				default:
					if inList {
						w.endList()
						inList = false
					}
					w.para(text)
				}
			case "tc":
				tb.endCell(1)
			case "tr":
				tb.endRow(1, 0)
			case "tbl":
				if rows := tb.end(); rows != nil {
					if inList {
						w.endList()
						inList = false
					}
					w.table(rows)
				}
			}
		case xml.CharData:
			if inText && skip <= 0 {
				para.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	doc.skippedImages(images)
	for _, name := range p.order {
		if strings.HasPrefix(name, "word/embeddings/") {
			doc.Skipped = append(doc.Skipped, "objet incorporé : "+strings.TrimPrefix(name, "word/embeddings/"))
		}
	}
	doc.Text = w.String()
	return nil
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
