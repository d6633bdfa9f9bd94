package extract

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// readXLSX reads every sheet of a workbook as a table, rows capped by
// Limits.MaxRows per sheet.
func readXLSX(b *budget, data []byte, doc *Document) error {
	p, err := openZip(b, data)
	if err != nil {
		return err
	}
	shared, err := xlsxShared(p)
	if err != nil {
		return err
	}
	rels, err := p.rels("xl/workbook.xml")
	if err != nil {
		return err
	}
	type sheet struct{ name, part string }
	var sheets []sheet
	st := &xlsxStyles{}
	err = p.walk("xl/workbook.xml", func(tok xml.Token) error {
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "sheet":
				sheets = append(sheets, sheet{attr(se, "name"), rels[attrNS(se, "r", "id")]})
			case "workbookPr":
				v := attr(se, "date1904")
				st.date1904 = v == "1" || v == "true"
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := st.read(p); err != nil {
		return err
	}

	w := &writer{b: b}
	for _, s := range sheets {
		doc.Sheets++
		if s.part == "" || !p.has(s.part) {
			doc.Skipped = append(doc.Skipped, fmt.Sprintf("feuille %q : contenu introuvable (graphique ou macro)", s.name))
			continue
		}
		rows, dropped, err := xlsxSheet(p, s.part, shared, st, b.lim.MaxRows)
		if err != nil {
			return err
		}
		w.heading(2, "Feuille "+strconv.Itoa(doc.Sheets)+" : "+s.name)
		w.table(rows)
		if dropped > 0 {
			doc.skippedRows(s.name, b.lim.MaxRows, dropped)
		}
	}
	doc.Text = w.String()
	return nil
}

// xlsxShared reads the shared string table.
func xlsxShared(p *pkg) ([]string, error) {
	if !p.has("xl/sharedStrings.xml") {
		return nil, nil
	}
	var (
		out  []string
		cur  strings.Builder
		inT  bool
		skip int
	)
	err := p.walk("xl/sharedStrings.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh", "phoneticPr":
				skip++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, cur.String())
			case "t":
				inT = false
			case "rPh", "phoneticPr":
				skip--
			}
		case xml.CharData:
			if inT && skip <= 0 {
				cur.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// xlsxSheet reads one worksheet: rows of cells placed by their reference.
func xlsxSheet(p *pkg, part string, shared []string, st *xlsxStyles, maxRows int) (rows [][]string, dropped int, err error) {
	var (
		row   []string
		col   int
		typ   string
		style string
		val   strings.Builder
		inVal bool
	)
	err = p.walk(part, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row = nil
				col = 0
			case "c":
				typ, style = attr(t, "t"), attr(t, "s")
				if c, ok := cellColumn(attr(t, "r")); ok {
					col = c
				}
				val.Reset()
			case "v", "t":
				inVal = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inVal = false
			case "c":
				s := val.String()
				switch typ {
				case "s":
					if i, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && i >= 0 && i < len(shared) {
						s = shared[i]
					} else {
						s = ""
					}
				case "b":
					if strings.TrimSpace(s) == "1" {
						s = "VRAI"
					} else {
						s = "FAUX"
					}
				case "", "n":
					s = formatCell(s, st.code(style), st.date1904)
				}
				if strings.TrimSpace(s) != "" && col < maxCols {
					for len(row) < col {
						row = append(row, "")
					}
					row = append(row, s)
				}
				col++
			case "row":
				if len(row) == 0 {
					return nil
				}
				if len(rows) >= maxRows {
					dropped++
					return nil
				}
				rows = append(rows, row)
			}
		case xml.CharData:
			if inVal {
				val.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return rows, dropped, nil
}

// cellColumn returns the zero-based column of a reference such as "AB12".
func cellColumn(ref string) (int, bool) {
	col := 0
	n := 0
	for _, c := range ref {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
		n++
		if n > 4 {
			return 0, false
		}
	}
	if n == 0 {
		return 0, false
	}
	return col - 1, true
}

// xlsxStyles holds the number format of each cell style of a workbook.
type xlsxStyles struct {
	codes    []string // by cell style index (the "s" attribute of a cell)
	date1904 bool
}

// maxStyles caps the cell styles read from a workbook.
const maxStyles = 65536

// read reads the number formats and the cell styles of xl/styles.xml.
func (st *xlsxStyles) read(p *pkg) error {
	if !p.has("xl/styles.xml") {
		return nil
	}
	custom := map[int]string{}
	inXfs := false
	return p.walk("xl/styles.xml", func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil && len(custom) < maxStyles {
					custom[id] = attr(t, "formatCode")
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs || len(st.codes) >= maxStyles {
					return nil
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				code, ok := custom[id]
				if !ok {
					code = builtinFormats[id]
				}
				st.codes = append(st.codes, code)
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
}

// code returns the number format code of a cell style index, General by default.
func (st *xlsxStyles) code(style string) string {
	i, err := strconv.Atoi(style)
	if err != nil || i < 0 || i >= len(st.codes) || st.codes[i] == "" {
		return "General"
	}
	return st.codes[i]
}
