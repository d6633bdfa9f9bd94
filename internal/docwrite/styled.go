package docwrite

import (
	"fmt"
	"strings"
)

// The styled writers produce documents meant to be read and signed — a
// courrier, a note — rather than test inputs: one run per paragraph, named
// paragraph styles, A4 pages with administrative margins, and a
// borderless table for the bloc-marque. Block.Style picks the paragraph
// style; a table cell's lines ("\n") are paragraphs of their own.
//
// Fonts: the State's Marianne font is not shipped with Debian (nor with
// Plume); the styles ask for Arial, which LibreOffice on Debian replaces by
// the metric-compatible Liberation Sans (fonts-liberation2), and the ODT
// declares Liberation Sans with the generic family "swiss" so that any
// sans-serif (DejaVu Sans, fonts-dejavu-core) takes its place when absent.

// Paragraph styles of the styled writers.
const (
	StyleNormal    = ""          // body text, justified
	StyleRight     = "Right"     // aligned right (place and date)
	StyleObject    = "Object"    // « Objet : … », bold
	StyleSignature = "Signature" // the signature block, indented to the right half
	StyleSmall     = "Small"     // references, contact lines
	StyleCenter    = "Center"    // centred (« NOTE »)
)

// Styled returns a paragraph block with a style.
func Styled(style, text string) Block { return Block{Kind: KindPara, Text: text, Style: style} }

// Frame returns a borderless table block (the bloc-marque).
func Frame(rows ...[]string) Block { return Block{Kind: KindTable, Rows: rows, Style: "Frame"} }

// Font names of the styled writers.
const (
	docxFont = "Arial"
	odtFont  = "Liberation Sans"
)

// StyledDOCX writes d as a Word document with real styles.
func StyledDOCX(d Doc) []byte {
	var body strings.Builder
	para := func(style, text string) {
		body.WriteString(`<w:p>`)
		if style != "" {
			fmt.Fprintf(&body, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, style)
		}
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			body.WriteString(`<w:r>`)
			if i > 0 {
				body.WriteString(`<w:br/>`)
			}
			fmt.Fprintf(&body, `<w:t xml:space="preserve">%s</w:t></w:r>`, esc(l))
		}
		body.WriteString(`</w:p>`)
	}
	if d.Title != "" {
		para("Title", d.Title)
	}
	for _, b := range d.Blocks {
		switch b.Kind {
		case KindHeading:
			para(fmt.Sprintf("Heading%d", min(max(b.Level, 1), 3)), b.Text)
		case KindPara:
			para(b.Style, b.Text)
		case KindList:
			for _, it := range b.Items {
				para("ListBullet", it)
			}
		case KindTable:
			borders := `<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>`
			if b.Style == "Frame" {
				borders = `<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`
			}
			cols := 1
			for _, r := range b.Rows {
				cols = max(cols, len(r))
			}
			w := 9070 / cols
			fmt.Fprintf(&body, `<w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/>%s</w:tblPr><w:tblGrid>`, borders)
			for range cols {
				fmt.Fprintf(&body, `<w:gridCol w:w="%d"/>`, w)
			}
			body.WriteString(`</w:tblGrid>`)
			for _, r := range b.Rows {
				body.WriteString(`<w:tr>`)
				for _, c := range r {
					fmt.Fprintf(&body, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, w)
					for _, l := range strings.Split(c, "\n") {
						para("Cell", l)
					}
					body.WriteString(`</w:tc>`)
				}
				body.WriteString(`</w:tr>`)
			}
			body.WriteString(`</w:tbl>`)
			para("", "")
		}
	}
	doc := ctHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` +
		body.String() + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1418" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`
	style := func(id, name, ppr, rpr string) string {
		return fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>`, id, name, ppr, rpr)
	}
	styles := ctHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + docxFont + `" w:hAnsi="` + docxFont + `" w:cs="` + docxFont + `" w:eastAsia="` + docxFont + `"/><w:sz w:val="22"/><w:lang w:val="fr-FR"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>` +
		style("Title", "Title", `<w:jc w:val="center"/><w:spacing w:before="240" w:after="240"/>`, `<w:b/><w:caps/><w:sz w:val="28"/>`) +
		style("Heading1", "heading 1", `<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>`, `<w:b/><w:sz w:val="24"/>`) +
		style("Heading2", "heading 2", `<w:keepNext/><w:spacing w:before="200" w:after="100"/><w:outlineLvl w:val="1"/>`, `<w:b/>`) +
		style("Heading3", "heading 3", `<w:keepNext/><w:outlineLvl w:val="2"/>`, `<w:i/>`) +
		style(StyleRight, "Right", `<w:jc w:val="right"/>`, ``) +
		style(StyleCenter, "Center", `<w:jc w:val="center"/>`, `<w:b/><w:sz w:val="28"/>`) +
		style(StyleObject, "Object", `<w:spacing w:before="240" w:after="240"/><w:jc w:val="left"/>`, `<w:b/>`) +
		style(StyleSignature, "Signature", `<w:ind w:left="4536"/><w:jc w:val="left"/><w:spacing w:after="0"/>`, ``) +
		style(StyleSmall, "Small", `<w:jc w:val="left"/><w:spacing w:after="0"/>`, `<w:sz w:val="18"/>`) +
		style("Cell", "Cell", `<w:jc w:val="left"/><w:spacing w:after="0"/>`, `<w:sz w:val="20"/>`) +
		style("ListBullet", "List Bullet", `<w:ind w:left="567" w:hanging="283"/>`, ``) +
		`</w:styles>`
	return Zip(
		Entry{Name: "[Content_Types].xml", Data: []byte(ctHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`)},
		Entry{Name: "_rels/.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		Entry{Name: "word/_rels/document.xml.rels", Data: []byte(ctHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)},
		Entry{Name: "word/document.xml", Data: []byte(doc)},
		Entry{Name: "word/styles.xml", Data: []byte(styles)},
	)
}

// odtStyleNames maps the writer's styles to ODT style names.
var odtStyleNames = map[string]string{
	StyleNormal: "Text_20_body", StyleRight: "Right", StyleObject: "Object", StyleSignature: "Signature",
	StyleSmall: "Small", StyleCenter: "Center",
}

// StyledODT writes d as an OpenDocument text with real styles (styles.xml).
func StyledODT(d Doc) []byte {
	var b strings.Builder
	b.WriteString(`<office:text>`)
	para := func(style, text string) {
		fmt.Fprintf(&b, `<text:p text:style-name="%s">`, style)
		for i, l := range strings.Split(text, "\n") {
			if i > 0 {
				b.WriteString(`<text:line-break/>`)
			}
			b.WriteString(textSpans(l))
		}
		b.WriteString(`</text:p>`)
	}
	if d.Title != "" {
		fmt.Fprintf(&b, `<text:h text:style-name="Title" text:outline-level="1">%s</text:h>`, esc(d.Title))
	}
	tables := 0
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case KindHeading:
			lv := min(max(bl.Level, 1), 3)
			fmt.Fprintf(&b, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>`, lv, lv, esc(bl.Text))
		case KindPara:
			name, ok := odtStyleNames[bl.Style]
			if !ok {
				name = "Text_20_body"
			}
			para(name, bl.Text)
		case KindList:
			b.WriteString(`<text:list>`)
			for _, it := range bl.Items {
				b.WriteString(`<text:list-item>`)
				para("Text_20_body", it)
				b.WriteString(`</text:list-item>`)
			}
			b.WriteString(`</text:list>`)
		case KindTable:
			tables++
			cols := 1
			for _, r := range bl.Rows {
				cols = max(cols, len(r))
			}
			cell := "CellBorder"
			if bl.Style == "Frame" {
				cell = "CellFrame"
			}
			fmt.Fprintf(&b, `<table:table table:name="Tableau%d" table:style-name="Table"><table:table-column table:number-columns-repeated="%d"/>`, tables, cols)
			for _, r := range bl.Rows {
				b.WriteString(`<table:table-row>`)
				for _, c := range r {
					fmt.Fprintf(&b, `<table:table-cell table:style-name="%s" office:value-type="string">`, cell)
					for _, l := range strings.Split(c, "\n") {
						para("Cell", l)
					}
					b.WriteString(`</table:table-cell>`)
				}
				b.WriteString(`</table:table-row>`)
			}
			b.WriteString(`</table:table>`)
		}
	}
	b.WriteString(`</office:text>`)
	ns := `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3"`
	fonts := `<office:font-face-decls><style:font-face style:name="` + odtFont + `" svg:font-family="&apos;` + odtFont + `&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/></office:font-face-decls>`
	auto := `<office:automatic-styles>` +
		`<style:style style:name="Table" style:family="table"><style:table-properties style:width="16cm" table:align="left"/></style:style>` +
		`<style:style style:name="CellFrame" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="none"/></style:style>` +
		`<style:style style:name="CellBorder" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>` +
		`</office:automatic-styles>`
	content := ctHead + `<office:document-content ` + ns + `>` + fonts + auto + `<office:body>` + b.String() + `</office:body></office:document-content>`
	pstyle := func(name, display, parent, ppr, tpr string) string {
		return fmt.Sprintf(`<style:style style:name="%s" style:display-name="%s" style:family="paragraph" style:parent-style-name="%s"><style:paragraph-properties %s/><style:text-properties %s/></style:style>`, name, display, parent, ppr, tpr)
	}
	styles := ctHead + `<office:document-styles ` + ns + `>` + fonts + `<office:styles>` +
		`<style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm"/><style:text-properties style:font-name="` + odtFont + `" fo:font-size="11pt" fo:language="fr" fo:country="FR"/></style:default-style>` +
		pstyle("Standard", "Standard", "", ``, `style:font-name="`+odtFont+`"`) +
		pstyle("Text_20_body", "Text body", "Standard", `fo:text-align="justify" fo:margin-bottom="0.21cm"`, ``) +
		pstyle("Title", "Title", "Standard", `fo:text-align="center" fo:margin-top="0.4cm" fo:margin-bottom="0.4cm"`, `fo:font-size="14pt" fo:font-weight="bold" fo:text-transform="uppercase"`) +
		pstyle("Heading_20_1", "Heading 1", "Standard", `fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"`, `fo:font-size="12pt" fo:font-weight="bold"`) +
		pstyle("Heading_20_2", "Heading 2", "Standard", `fo:margin-top="0.35cm" fo:margin-bottom="0.18cm" fo:keep-with-next="always"`, `fo:font-weight="bold"`) +
		pstyle("Heading_20_3", "Heading 3", "Standard", `fo:keep-with-next="always"`, `fo:font-style="italic"`) +
		pstyle("Right", "Right", "Standard", `fo:text-align="end"`, ``) +
		pstyle("Center", "Center", "Standard", `fo:text-align="center"`, `fo:font-size="14pt" fo:font-weight="bold"`) +
		pstyle("Object", "Object", "Standard", `fo:margin-top="0.42cm" fo:margin-bottom="0.42cm"`, `fo:font-weight="bold"`) +
		pstyle("Signature", "Signature", "Standard", `fo:margin-left="8cm" fo:margin-bottom="0cm"`, ``) +
		pstyle("Small", "Small", "Standard", `fo:margin-bottom="0cm"`, `fo:font-size="9pt"`) +
		pstyle("Cell", "Cell", "Standard", `fo:margin-bottom="0cm"`, `fo:font-size="10pt"`) +
		`</office:styles><office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>` +
		`<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles></office:document-styles>`
	mt := "application/vnd.oasis.opendocument.text"
	manifest := ctHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + mt + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
		`<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>`
	return Zip(
		Entry{Name: "mimetype", Data: []byte(mt), Store: true},
		Entry{Name: "META-INF/manifest.xml", Data: []byte(manifest)},
		Entry{Name: "content.xml", Data: []byte(content)},
		Entry{Name: "styles.xml", Data: []byte(styles)},
	)
}
