package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// mediaTypes maps a detected format to its media type.
var mediaTypes = map[string]string{
	"pdf":   "application/pdf",
	"docx":  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx":  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx":  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":   "application/vnd.oasis.opendocument.text",
	"ods":   "application/vnd.oasis.opendocument.spreadsheet",
	"odp":   "application/vnd.oasis.opendocument.presentation",
	"rtf":   "application/rtf",
	"html":  "text/html",
	"csv":   "text/csv",
	"txt":   "text/plain",
	"eml":   "message/rfc822",
	"msg":   "application/vnd.ms-outlook",
	"doc":   "application/msword",
	"xls":   "application/vnd.ms-excel",
	"ppt":   "application/vnd.ms-powerpoint",
	"image": "image/*",
}

var cdfMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// detect names the format of data: content first, then media type and extension.
func detect(name, mediaType string, data []byte, lim Limits) (string, error) {
	mt := strings.ToLower(strings.TrimSpace(mediaType))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.ReplaceAll(name, "\\", "/")), "."))
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return "pdf", nil
	case bytes.HasPrefix(data, cdfMagic):
		return detectCFB(data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return detectZip(data, lim)
	case bytes.HasPrefix(bytes.TrimLeft(data, " \r\n\t"), []byte(`{\rtf`)):
		return "rtf", nil
	case imageFormat(data) != "":
		return "image", nil
	}
	switch {
	case mt == "message/rfc822" || ext == "eml" || mt == "application/vnd.ms-outlook" && looksLikeMail(data):
		return "eml", nil
	case mt == "text/html" || mt == "application/xhtml+xml" || ext == "html" || ext == "htm" || ext == "xhtml":
		return "html", nil
	case mt == "text/csv" || mt == "text/tab-separated-values" || ext == "csv" || ext == "tsv":
		return "csv", nil
	case mt == "application/rtf" || mt == "text/rtf" || ext == "rtf":
		return "", fmt.Errorf("%w: RTF sans en-tête {\\rtf", ErrMalformed)
	case strings.HasPrefix(mt, "image/"):
		return "", fmt.Errorf("%w: image autre que JPEG, PNG ou TIFF", ErrUnsupported)
	}
	if looksLikeText(data) {
		if looksLikeHTML(head) {
			return "html", nil
		}
		if mt == "" && ext == "" && looksLikeMail(data) {
			return "eml", nil
		}
		return "txt", nil
	}
	return "", fmt.Errorf("%w: type %q", ErrUnsupported, mediaType)
}

// detectCFB tells what an OLE compound file holds from the names of its
// streams: an Outlook message, a legacy Word, Excel or PowerPoint file, or
// an encrypted OOXML package.
func detectCFB(data []byte) (string, error) {
	has := func(name string) bool { return bytes.Contains(data, utf16le(name)) }
	switch {
	case has("EncryptionInfo") || has("EncryptedPackage"):
		return "", fmt.Errorf("%w: fichier Office chiffré", ErrProtected)
	case has("__properties_version1.0") || has("__substg1.0_"):
		return "msg", nil
	case has("WordDocument"):
		return "doc", nil
	case has("Workbook") || has("Book"):
		return "xls", nil
	case has("PowerPoint Document"):
		return "ppt", nil
	}
	return "", fmt.Errorf("%w: fichier composite OLE d'un type inconnu — enregistrez-le en .docx, .odt ou .pdf", ErrUnsupported)
}

// detectZip tells an OOXML package from an ODF one by its entries.
func detectZip(data []byte, lim Limits) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: archive zip: %w", ErrMalformed, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return "", fmt.Errorf("%w: %d entrées dans l'archive (maximum %d)", ErrTooLarge, len(zr.File), lim.MaxEntries)
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return "docx", nil
		case "xl/workbook.xml":
			return "xlsx", nil
		case "ppt/presentation.xml":
			return "pptx", nil
		case "mimetype":
			mt, err := readEntryLimited(f, 200)
			if err != nil {
				return "", err
			}
			switch strings.TrimSpace(string(mt)) {
			case "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template":
				return "odt", nil
			case "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.spreadsheet-template":
				return "ods", nil
			case "application/vnd.oasis.opendocument.presentation", "application/vnd.oasis.opendocument.presentation-template":
				return "odp", nil
			}
		}
	}
	// An OOXML package whose main part has another name: its content type says.
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		ct, err := readEntryLimited(f, 64<<10)
		if err != nil {
			return "", err
		}
		for format, main := range ooxmlMain {
			if bytes.Contains(ct, []byte(main)) {
				return format, nil
			}
		}
	}
	return "", fmt.Errorf("%w: archive zip qui n'est ni OOXML ni OpenDocument", ErrUnsupported)
}

// ooxmlMain are the content types of the main part of each OOXML format.
var ooxmlMain = map[string]string{
	"docx": "wordprocessingml.document.main+xml",
	"xlsx": "spreadsheetml.sheet.main+xml",
	"pptx": "presentationml.presentation.main+xml",
}

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i], 0)
	}
	return out
}

// looksLikeText reports whether data has no NUL byte and few control characters.
func looksLikeText(data []byte) bool {
	if len(data) == 0 {
		return true
	}
	sample := data
	if len(sample) > 8192 {
		sample = sample[:8192]
	}
	if bytes.HasPrefix(sample, []byte{0xFF, 0xFE}) || bytes.HasPrefix(sample, []byte{0xFE, 0xFF}) {
		return true // UTF-16 with BOM
	}
	ctl := 0
	for _, c := range sample {
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*100 < len(sample) || utf8.Valid(sample) && ctl*20 < len(sample)
}

func looksLikeHTML(head []byte) bool {
	h := strings.ToLower(string(bytes.TrimLeft(head, " \r\n\t\xef\xbb\xbf")))
	return strings.HasPrefix(h, "<!doctype html") || strings.HasPrefix(h, "<html") ||
		strings.Contains(h, "<body") || strings.Contains(h, "<p>") && strings.Contains(h, "</p>")
}

// looksLikeMail reports whether data starts with a header block naming a sender.
func looksLikeMail(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	end := bytes.Index(head, []byte("\n\n"))
	if e := bytes.Index(head, []byte("\r\n\r\n")); e >= 0 && (end < 0 || e < end) {
		end = e
	}
	if end < 0 {
		return false
	}
	h := strings.ToLower(string(head[:end]))
	return (strings.HasPrefix(h, "from:") || strings.Contains(h, "\nfrom:")) &&
		(strings.Contains(h, "\nsubject:") || strings.Contains(h, "\ndate:") || strings.HasPrefix(h, "subject:") || strings.Contains(h, "message-id:"))
}
