package extract

import (
	"bytes"
	"strconv"

	"golang.org/x/net/html/charset"

	"github.com/plume-admin/plume/mail"
)

// readHTML reads an HTML document with mail's converter, so an attachment
// loses the same hidden text as a mail body (display:none, white on white,
// tiny fonts …); headings, lists and tables are kept.
func readHTML(b *budget, data []byte, doc *Document) error {
	if err := b.add(len(data)); err != nil {
		return err
	}
	text, note := decodeHTML(data)
	if note != "" {
		doc.Notes = append(doc.Notes, note)
	}
	out, cl := mail.HTMLDocumentToText(text)
	if cl.HiddenElements > 0 {
		doc.Skipped = append(doc.Skipped, strconv.Itoa(cl.HiddenElements)+" élément(s) masqué(s)")
	}
	doc.Notes = append(doc.Notes, cl.Warnings...)
	doc.Text = out
	return b.check()
}

// decodeHTML honours a BOM, a <meta charset> or valid UTF-8, else guesses
// like plain text.
func decodeHTML(data []byte) (string, string) {
	if utf8Valid := bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}); utf8Valid {
		return string(data[3:]), ""
	}
	if enc, name, certain := charset.DetermineEncoding(data, "text/html"); certain && name != "utf-8" && name != "windows-1252" {
		if s, err := enc.NewDecoder().Bytes(data); err == nil {
			return string(s), ""
		}
	}
	return decodeText(data)
}
