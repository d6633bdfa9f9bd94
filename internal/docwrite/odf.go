package docwrite

import (
	"fmt"
	"strings"
)

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:office-value="urn:x" office:version="1.3"`

func odf(mimetype, body string, encrypted bool) []byte {
	content := ctHead + `<office:document-content ` + odfNS + `><office:body>` + body + `</office:body></office:document-content>`
	manifest := ctHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="` + mimetype + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">`
	if encrypted {
		manifest += `<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/></manifest:encryption-data>`
		content = "\x8a\x13\x00garbage that is not XML because it is encrypted"
	}
	manifest += `</manifest:file-entry></manifest:manifest>`
	return Zip(
		Entry{Name: "mimetype", Data: []byte(mimetype), Store: true},
		Entry{Name: "META-INF/manifest.xml", Data: []byte(manifest)},
		Entry{Name: "content.xml", Data: []byte(content)},
	)
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
	var b strings.Builder
	b.WriteString(`<office:text>`)
	if d.Title != "" {
		fmt.Fprintf(&b, `<text:h text:style-name="Title" text:outline-level="1">%s</text:h>`, esc(d.Title))
	}
	for _, bl := range d.Blocks {
		switch bl.Kind {
		case KindHeading:
			fmt.Fprintf(&b, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>`, bl.Level, bl.Level, esc(bl.Text))
		case KindPara:
			fmt.Fprintf(&b, `<text:p text:style-name="Standard">%s</text:p>`, textSpans(bl.Text))
		case KindList:
			b.WriteString(`<text:list text:style-name="L1">`)
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
	b.WriteString(`</office:text>`)
	return b.String()
}

// ODT writes d as an OpenDocument text (LibreOffice Writer).
func ODT(d Doc) []byte {
	return odf("application/vnd.oasis.opendocument.text", odtBody(d), false)
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
