package extract

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG attachments
	_ "image/png"  // DecodeConfig of PNG attachments
)

// imageFormat names an image attachment read by OCR from its first bytes:
// jpeg, png or tiff, or "".
func imageFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	}
	return ""
}

// readImage reads the text of a picture (a scan, a photo of a letter) by
// OCR. Its size is checked from its header before Tesseract decodes it.
func readImage(b *budget, data []byte, doc *Document) error {
	w, h, err := imageSize(data)
	if err != nil {
		return fmt.Errorf("%w: image: %w", ErrMalformed, err)
	}
	if w*h > maxOCRPixels {
		return fmt.Errorf("%w: image de %d × %d pixels (maximum %d pixels)", ErrTooLarge, w, h, maxOCRPixels)
	}
	bin, err := lookTesseract()
	if err != nil {
		return ErrNoOCR
	}
	text, err := ocr(b, bin, data)
	if err != nil {
		return err
	}
	lines := ocrParagraphs(text)
	if len(lines) == 0 {
		return ErrNoText
	}
	doc.Pages = 1
	doc.Text = renderPDFLines(lines)
	doc.Notes, doc.OCR = append(doc.Notes, ocrNote), true
	return nil
}

// imageSize reads the pixel size of a JPEG, PNG or TIFF image from its
// header. A multi-page TIFF is measured by its first page.
func imageSize(data []byte) (w, h int, err error) {
	if imageFormat(data) != "tiff" {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		return cfg.Width, cfg.Height, err
	}
	var order binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		order = binary.BigEndian
	}
	if len(data) < 8 {
		return 0, 0, fmt.Errorf("TIFF tronqué")
	}
	off := int(order.Uint32(data[4:]))
	if off < 8 || off+2 > len(data) {
		return 0, 0, fmt.Errorf("TIFF: répertoire hors du fichier")
	}
	n := int(order.Uint16(data[off:]))
	for i := range n {
		e := off + 2 + 12*i
		if e+12 > len(data) {
			break
		}
		tag, typ := order.Uint16(data[e:]), order.Uint16(data[e+2:])
		v := int(order.Uint32(data[e+8:]))
		if typ == 3 { // SHORT
			v = int(order.Uint16(data[e+8:]))
		}
		switch tag {
		case 256:
			w = v
		case 257:
			h = v
		}
	}
	if w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("TIFF sans dimensions")
	}
	return w, h, nil
}
