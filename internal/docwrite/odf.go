package docwrite

import (
	"fmt"
	"strings"
)

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:office-value="urn:x" office:version="1.3"`

func odf(mimetype, body string, encrypted bool, extra ...Entry) []byte {
	content := ctHead + `<office:document-content ` + odfNS + `>` + body + `</office:document-content>`
	if !strings.HasPrefix(body, "<office:automatic-styles>") {
		content = ctHead + `<office:document-content ` + odfNS + `><office:body>` + body + `</office:body></office:document-content>`
	}
	manifest := ctHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mimetype + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">`
	if encrypted {
		manifest += `<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/></manifest:encryption-data>`
		content = "\x8a\x13\x00garbage that is not XML because it is encrypted"
	}
	manifest += `</manifest:file-entry></manifest:manifest>`
	return Zip(append([]Entry{
		{Name: "mimetype", Data: []byte(mimetype), Store: true},
		{Name: "META-INF/manifest.xml", Data: []byte(manifest)},
		{Name: "content.xml", Data: []byte(content)},
	}, extra...)...)
}

// textSpans writes text with repeated spaces as text:s, as LibreOffice does.
func textSpans(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(s, "  ") {
		if i > 0 {
			b.WriteString(` <text:s text:c="1"/>`)
		}
		b.WriteString(esc(part))
	}
	return b.String()
}

func odtBody(d Doc) string {
	var b, changes strings.Builder
	nNotes, nChanges := 0, 0
	const info = `<office:change-info><dc:creator>Relecteur</dc:creator><dc:date>2026-03-02T09:00:00</dc:date></office:change-info>`
	numbered := false
	if d.Title != "" {
		fmt.Fprintf(&b, `<text:h text:style-name="Title" text:outline-level="1">%s</text:h>`, esc(d.Title))
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case KindHeading:
			fmt.Fprintf(&b, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>`, bl.Level, bl.Level, esc(bl.Text))
		case KindPara:
			fmt.Fprintf(&b, `<text:p text:style-name="Standard">`)
			if bl.Comment != "" {
				fmt.Fprintf(&b, `<office:annotation><dc:creator>Relecteur</dc:creator><dc:date>2026-03-02T09:00:00</dc:date><text:p>%s</text:p></office:annotation>`, esc(bl.Comment))
			}
			b.WriteString(textSpans(bl.Text))
			if bl.Deleted != "" {
				nChanges++
				fmt.Fprintf(&changes, `<text:changed-region text:id="ct%d"><text:deletion>%s<text:p>%s</text:p></text:deletion></text:changed-region>`, nChanges, info, esc(bl.Deleted))
				fmt.Fprintf(&b, `<text:change text:change-id="ct%d"/>`, nChanges)
			}
			if bl.Inserted != "" {
				nChanges++
				fmt.Fprintf(&changes, `<text:changed-region text:id="ct%d"><text:insertion>%s</text:insertion></text:changed-region>`, nChanges, info)
				fmt.Fprintf(&b, `<text:change-start text:change-id="ct%d"/> %s<text:change-end text:change-id="ct%d"/>`, nChanges, esc(bl.Inserted), nChanges)
			}
			if bl.Note != "" {
				nNotes++
				fmt.Fprintf(&b, `<text:note text:id="ftn%d" text:note-class="footnote"><text:note-citation>%d</text:note-citation><text:note-body><text:p text:style-name="Footnote">%s</text:p></text:note-body></text:note>`, nNotes, nNotes, esc(bl.Note))
			}
			b.WriteString(`</text:p>`)
		case KindList:
			style := "L1"
			if bl.Numbered {
				style, numbered = "L2", true
			}
			fmt.Fprintf(&b, `<text:list text:style-name="%s">`, style)
			for _, it := range bl.Items {
				fmt.Fprintf(&b, `<text:list-item><text:p text:style-name="P1"><text:span text:style-name="T1">%s</text:span></text:p></text:list-item>`, esc(it))
			}
			b.WriteString(`</text:list>`)
		case KindTable:
			b.WriteString(`<table:table table:name="Tableau1"><table:table-column table:number-columns-repeated="3"/>`)
			for _, r := range bl.Rows {
				b.WriteString(`<table:table-row>`)
				for _, c := range r {
					fmt.Fprintf(&b, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, esc(c))
				}
				b.WriteString(`</table:table-row>`)
			}
			b.WriteString(`</table:table>`)
		}
	}
	text := `<office:text>`
	if changes.Len() > 0 {
		text += `<text:tracked-changes>` + changes.String() + `</text:tracked-changes>`
	}
	text += b.String() + `</office:text>`
	if !numbered {
		return text
	}
	return `<office:automatic-styles><text:list-style style:name="L2"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/><text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a"/></text:list-style></office:automatic-styles><office:body>` + text + `</office:body>`
}

// ODT writes d as an OpenDocument text (LibreOffice Writer); a header or
// footer goes to the master page of styles.xml.
func ODT(d Doc) []byte {
	var extra []Entry
	if d.Header != "" || d.Footer != "" {
		var st strings.Builder
		st.WriteString(ctHead + `<office:document-styles ` + odfNS + `><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">`)
		if d.Header != "" {
			fmt.Fprintf(&st, `<style:header><text:p text:style-name="Header">%s</text:p></style:header>`, esc(d.Header))
		}
		if d.Footer != "" {
			fmt.Fprintf(&st, `<style:footer><text:p text:style-name="Footer">%s</text:p></style:footer>`, esc(d.Footer))
		}
		st.WriteString(`</style:master-page></office:master-styles></office:document-styles>`)
		extra = append(extra, Entry{Name: "styles.xml", Data: []byte(st.String())})
	}
	return odf("application/vnd.oasis.opendocument.text", odtBody(d), false, extra...)
}

// EncryptedODT writes an ODT whose manifest declares encryption.
func EncryptedODT() []byte {
	return odf("application/vnd.oasis.opendocument.text", "", true)
}

// ODS writes sheets as an OpenDocument spreadsheet; like LibreOffice, each
// sheet ends with a huge run of repeated empty rows and cells.
func ODS(sheets ...Sheet) []byte {
	var b strings.Builder
	b.WriteString(`<office:spreadsheet>`)
	for _, sh := range sheets {
		fmt.Fprintf(&b, `<table:table table:name="%s"><table:table-column table:number-columns-repeated="16384"/>`, esc(sh.Name))
		for _, r := range sh.Rows {
			b.WriteString(`<table:table-row>`)
			for _, c := range r {
				if isNumber(c) {
					fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>`, c, c)
				} else if c == "" {
					b.WriteString(`<table:table-cell/>`)
				} else {
					fmt.Fprintf(&b, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, esc(c))
				}
			}
			b.WriteString(`<table:table-cell table:number-columns-repeated="16380"/></table:table-row>`)
		}
		b.WriteString(`<table:table-row table:number-rows-repeated="1048500"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>`)
	}
	b.WriteString(`</office:spreadsheet>`)
	return odf("application/vnd.oasis.opendocument.spreadsheet", b.String(), false)
}

// ODP writes slides as an OpenDocument presentation with speaker notes.
func ODP(slides ...Slide) []byte {
	var b strings.Builder
	b.WriteString(`<office:presentation>`)
	for i, s := range slides {
		fmt.Fprintf(&b, `<draw:page draw:name="page%d">`, i+1)
		fmt.Fprintf(&b, `<draw:frame presentation:class="title"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>`, esc(s.Title))
		b.WriteString(`<draw:frame presentation:class="outline"><draw:text-box><text:list>`)
		for _, it := range s.Bullets {
			fmt.Fprintf(&b, `<text:list-item><text:p>%s</text:p></text:list-item>`, esc(it))
		}
		b.WriteString(`</text:list></draw:text-box></draw:frame>`)
		if s.Notes != "" {
			fmt.Fprintf(&b, `<presentation:notes><draw:page-thumbnail/><draw:frame presentation:class="notes"><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame></presentation:notes>`, esc(s.Notes))
		}
		b.WriteString(`</draw:page>`)
	}
	b.WriteString(`</office:presentation>`)
	return odf("application/vnd.oasis.opendocument.presentation", b.String(), false)
}
