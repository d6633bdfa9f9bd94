package docwrite

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// esc escapes text for XML content and attributes.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const ctHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// DOCX writes d as a Word document: Titre1… heading styles, list
// paragraphs (numbered through word/numbering.xml when asked), tables, and
// when the document has them a header, a footer, footnotes, comments and
// tracked changes, as Word writes them.
func DOCX(d Doc) []byte {
	var body, notes, comments strings.Builder
	nNotes, nComments := 0, 0
	const change = `w:author="Relecteur" w:date="2026-03-02T09:00:00Z"`
	runs := func(b *strings.Builder, text string) {
		// split runs to exercise run joining
		for i, part := range strings.SplitAfter(text, " ") {
			if i > 0 && i%4 == 0 {
				b.WriteString(`<w:r><w:rPr><w:b/></w:rPr>`)
			} else {
				b.WriteString(`<w:r>`)
			}
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t></w:r>`, esc(part))
		}
	}
	paraTo := func(b *strings.Builder, style string, bl Block, numID int) {
		b.WriteString(`<w:p><w:pPr>`)
		if style != "" {
			fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, style)
		}
		if numID > 0 {
			fmt.Fprintf(b, `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="%d"/></w:numPr>`, numID)
		}
		b.WriteString(`</w:pPr>`)
		if bl.Comment != "" {
			fmt.Fprintf(b, `<w:commentRangeStart w:id="%d"/>`, nComments)
		}
		runs(b, bl.Text)
		if bl.Deleted != "" {
			fmt.Fprintf(b, `<w:del w:id="%d" %s><w:r><w:delText xml:space="preserve"> %s</w:delText></w:r></w:del>`, 900+nNotes+nComments, change, esc(bl.Deleted))
		}
		if bl.Inserted != "" {
			fmt.Fprintf(b, `<w:ins w:id="%d" %s><w:r><w:t xml:space="preserve"> %s</w:t></w:r></w:ins>`, 950+nNotes+nComments, change, esc(bl.Inserted))
		}
		if bl.Note != "" {
			nNotes++
			fmt.Fprintf(b, `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="%d"/></w:r>`, nNotes)
			fmt.Fprintf(&notes, `<w:footnote w:id="%d"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> %s</w:t></w:r></w:p></w:footnote>`, nNotes, esc(bl.Note))
		}
		if bl.Comment != "" {
			fmt.Fprintf(b, `<w:commentRangeEnd w:id="%d"/><w:r><w:commentReference w:id="%d"/></w:r>`, nComments, nComments)
			fmt.Fprintf(&comments, `<w:comment w:id="%d" w:author="Relecteur" w:date="2026-03-02T09:00:00Z" w:initials="R"><w:p><w:r><w:annotationRef/></w:r><w:r><w:t>%s</w:t></w:r></w:p></w:comment>`, nComments, esc(bl.Comment))
			nComments++
		}
		b.WriteString(`</w:p>`)
	}
	para := func(style, text string, list bool) {
		numID := 0
		if list {
			numID = 1
		}
		paraTo(&body, style, Block{Text: text}, numID)
	}
	numbered := false
	if d.Title != "" {
		para("Title", d.Title, false)
	}
	for _, b := range d.Blocks {
		switch b.Kind {
		case KindHeading:
			para(fmt.Sprintf("Titre%d", b.Level), b.Text, false)
		case KindPara:
			paraTo(&body, "", b, 0)
		case KindList:
			numID := 1
			if b.Numbered {
				numID, numbered = 2, true
			}
			for _, it := range b.Items {
				paraTo(&body, "Paragraphedeliste", Block{Text: it}, numID)
			}
		case KindTable:
			body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grilledutableau"/></w:tblPr>`)
			for _, r := range b.Rows {
				body.WriteString(`<w:tr>`)
				for _, c := range r {
					body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>`)
					para("", c, false)
					body.WriteString(`</w:tc>`)
				}
				body.WriteString(`</w:tr>`)
			}
			body.WriteString(`</w:tbl>`)
		}
	}
	const wns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	var sect, rels, over strings.Builder
	var extra []Entry
	part := func(rid, kind, file, root, content string) {
		fmt.Fprintf(&rels, `<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>`, rid, kind, file)
		fmt.Fprintf(&over, `<Override PartName="/word/%s" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.%s+xml"/>`, file, kind)
		extra = append(extra, Entry{Name: "word/" + file, Data: []byte(ctHead + `<w:` + root + ` ` + wns + `>` + content + `</w:` + root + `>`)})
	}
	if d.Header != "" {
		var h strings.Builder
		paraTo(&h, "", Block{Text: d.Header}, 0)
		part("rIdH", "header", "header1.xml", "hdr", h.String())
		sect.WriteString(`<w:headerReference w:type="default" r:id="rIdH"/>`)
	}
	if d.Footer != "" {
		var f strings.Builder
		paraTo(&f, "", Block{Text: d.Footer}, 0)
		part("rIdF", "footer", "footer1.xml", "ftr", f.String())
		sect.WriteString(`<w:footerReference w:type="default" r:id="rIdF"/>`)
	}
	if nNotes > 0 {
		part("rIdN", "footnotes", "footnotes.xml", "footnotes",
			`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>`+notes.String())
	}
	if nComments > 0 {
		part("rIdC", "comments", "comments.xml", "comments", comments.String())
	}
	if numbered {
		part("rIdL", "numbering", "numbering.xml", "numbering",
			`<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>`+
				`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>`+
				`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`)
	}
	doc := ctHead + `<w:document ` + wns + `><w:body>` +
		body.String() + `<w:sectPr>` + sect.String() + `<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
	styles := ctHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>`
	for i := 1; i <= 6; i++ {
		styles += fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Titre%d"><w:name w:val="heading %d"/><w:pPr><w:outlineLvl w:val="%d"/></w:pPr></w:style>`, i, i, i-1)
	}
	styles += `<w:style w:type="paragraph" w:styleId="Paragraphedeliste"><w:name w:val="List Paragraph"/></w:style></w:styles>`
	return Zip(append([]Entry{
		{Name: "[Content_Types].xml", Data: []byte(ctHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` + over.String() + `</Types>`)},
		{Name: "_rels/.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		{Name: "word/_rels/document.xml.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` + rels.String() + `</Relationships>`)},
		{Name: "word/document.xml", Data: []byte(doc)},
		{Name: "word/styles.xml", Data: []byte(styles)},
	}, extra...)...)
}

// colName returns the spreadsheet column letters of index i (0 → A).
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// XLSX writes sheets as an Excel workbook; text cells go to the shared
// string table, numeric-looking cells are written as numbers.
func XLSX(sheets ...Sheet) []byte {
	var shared []string
	index := map[string]int{}
	// Cell styles: 0 is General; each distinct format code gets a custom
	// number format (ids from 164, as Excel numbers them) and a style.
	var codes []string
	style := func(code string) int {
		for i, c := range codes {
			if c == code {
				return i + 1
			}
		}
		codes = append(codes, code)
		return len(codes)
	}
	var entries []Entry
	var wbSheets, wbRels, ctOver strings.Builder
	for si, sh := range sheets {
		var sd strings.Builder
		sd.WriteString(ctHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for ri, r := range sh.Rows {
			fmt.Fprintf(&sd, `<row r="%d">`, ri+1)
			for ci, c := range r {
				if c == "" {
					continue
				}
				ref := fmt.Sprintf("%s%d", colName(ci), ri+1)
				code, formatted := sh.Formats[ref]
				if formatted && code != "@" {
					fmt.Fprintf(&sd, `<c r="%s" s="%d"><v>%s</v></c>`, ref, style(code), esc(c))
					continue
				}
				if isNumber(c) && !formatted {
					fmt.Fprintf(&sd, `<c r="%s"><v>%s</v></c>`, ref, c)
					continue
				}
				i, ok := index[c]
				if !ok {
					i = len(shared)
					index[c] = i
					shared = append(shared, c)
				}
				if formatted { // text format "@": a number kept as typed
					fmt.Fprintf(&sd, `<c r="%s" s="%d" t="s"><v>%d</v></c>`, ref, style(code), i)
					continue
				}
				fmt.Fprintf(&sd, `<c r="%s" t="s"><v>%d</v></c>`, ref, i)
			}
			sd.WriteString(`</row>`)
		}
		sd.WriteString(`</sheetData></worksheet>`)
		entries = append(entries, Entry{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", si+1), Data: []byte(sd.String())})
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(sh.Name), si+1, si+1)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, si+1, si+1)
		fmt.Fprintf(&ctOver, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, si+1)
	}
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1)
	var ss strings.Builder
	fmt.Fprintf(&ss, ctHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(shared), len(shared))
	for _, s := range shared {
		fmt.Fprintf(&ss, `<si><t xml:space="preserve">%s</t></si>`, esc(s))
	}
	ss.WriteString(`</sst>`)
	if len(codes) > 0 {
		var st strings.Builder
		fmt.Fprintf(&st, ctHead+`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="%d">`, len(codes))
		for i, c := range codes {
			fmt.Fprintf(&st, `<numFmt numFmtId="%d" formatCode="%s"/>`, 164+i, esc(c))
		}
		fmt.Fprintf(&st, `</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="%d"><xf numFmtId="0" xfId="0"/>`, len(codes)+1)
		for i := range codes {
			fmt.Fprintf(&st, `<xf numFmtId="%d" xfId="0" applyNumberFormat="1"/>`, 164+i)
		}
		st.WriteString(`</cellXfs></styleSheet>`)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, len(sheets)+2)
		entries = append(entries, Entry{Name: "xl/styles.xml", Data: []byte(st.String())})
	}
	return Zip(append([]Entry{
		{Name: "[Content_Types].xml", Data: []byte(ctHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` + ctOver.String() + `</Types>`)},
		{Name: "_rels/.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{Name: "xl/workbook.xml", Data: []byte(ctHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + wbSheets.String() + `</sheets></workbook>`)},
		{Name: "xl/_rels/workbook.xml.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + wbRels.String() + `</Relationships>`)},
		{Name: "xl/sharedStrings.xml", Data: []byte(ss.String())},
	}, entries...)...)
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		case c == '-' && i == 0 && len(s) > 1:
		default:
			return false
		}
	}
	return true
}

// PPTX writes slides as a PowerPoint presentation with titles, bullets
// and speaker notes.
func PPTX(slides ...Slide) []byte {
	const ns = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	var entries []Entry
	var ids, rels, over strings.Builder
	sp := func(b *strings.Builder, ph string, paras []string) {
		fmt.Fprintf(b, `<p:sp><p:nvSpPr><p:cNvPr id="2" name="%s"/><p:cNvSpPr/><p:nvPr><p:ph type="%s"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>`, ph, ph)
		for _, t := range paras {
			fmt.Fprintf(b, `<a:p><a:pPr lvl="0"/><a:r><a:rPr lang="fr-FR"/><a:t>%s</a:t></a:r></a:p>`, esc(t))
		}
		b.WriteString(`</p:txBody></p:sp>`)
	}
	for i, s := range slides {
		n := i + 1
		var b strings.Builder
		b.WriteString(ctHead + `<p:sld ` + ns + `><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`)
		sp(&b, "title", []string{s.Title})
		sp(&b, "body", s.Bullets)
		b.WriteString(`</p:spTree></p:cSld></p:sld>`)
		entries = append(entries, Entry{Name: fmt.Sprintf("ppt/slides/slide%d.xml", n), Data: []byte(b.String())})
		srels := ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
		if s.Notes != "" {
			var nb strings.Builder
			nb.WriteString(ctHead + `<p:notes ` + ns + `><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`)
			sp(&nb, "sldImg", nil)
			sp(&nb, "body", []string{s.Notes})
			sp(&nb, "sldNum", []string{fmt.Sprint(n)})
			nb.WriteString(`</p:spTree></p:cSld></p:notes>`)
			entries = append(entries, Entry{Name: fmt.Sprintf("ppt/notesSlides/notesSlide%d.xml", n), Data: []byte(nb.String())})
			srels += fmt.Sprintf(`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide" Target="../notesSlides/notesSlide%d.xml"/>`, n)
			fmt.Fprintf(&over, `<Override PartName="/ppt/notesSlides/notesSlide%d.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/>`, n)
		}
		srels += `</Relationships>`
		entries = append(entries, Entry{Name: fmt.Sprintf("ppt/slides/_rels/slide%d.xml.rels", n), Data: []byte(srels)})
		fmt.Fprintf(&ids, `<p:sldId id="%d" r:id="rId%d"/>`, 255+n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide%d.xml"/>`, n, n)
		fmt.Fprintf(&over, `<Override PartName="/ppt/slides/slide%d.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`, n)
	}
	return Zip(append([]Entry{
		{Name: "[Content_Types].xml", Data: []byte(ctHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>` + over.String() + `</Types>`)},
		{Name: "_rels/.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>`)},
		{Name: "ppt/presentation.xml", Data: []byte(ctHead + `<p:presentation ` + ns + `><p:sldIdLst>` + ids.String() + `</p:sldIdLst></p:presentation>`)},
		{Name: "ppt/_rels/presentation.xml.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`)},
	}, entries...)...)
}
