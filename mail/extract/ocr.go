package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// ErrNoOCR reports a scanned document or an image while Tesseract, the OCR
// engine, is not installed. It wraps ErrNoText.
var ErrNoOCR = fmt.Errorf("%w — OCR indisponible : installez Tesseract (apt-get install tesseract-ocr tesseract-ocr-fra)", ErrNoText)

// OCR settings.
const (
	// DefaultOCRPages is the number of pages read by OCR in one document.
	DefaultOCRPages = 30
	// ocrLanguages are the Tesseract models used: French, then English.
	ocrLanguages = "fra+eng"
	// ocrPageTimeout caps Tesseract on one page.
	ocrPageTimeout = 60 * time.Second
	// maxOCROutput caps the text Tesseract may print for one page.
	maxOCROutput = 1 << 20
	// ocrDPI is the resolution pages are rendered at for OCR.
	ocrDPI = 300
	// maxOCRPixels caps a page or image given to Tesseract (about an A3
	// page at 300 dpi).
	maxOCRPixels = 36_000_000
)

// ocrNote says that some text was read by OCR, for the Document's notes.
const ocrNote = "texte lu par reconnaissance optique (OCR Tesseract, français + anglais) : des erreurs de lecture sont possibles"

// tesseractPath finds the Tesseract command; lookTesseract is replaced by
// tests that simulate a machine without it.
var lookTesseract = func() (string, error) { return exec.LookPath("tesseract") }

// ocr runs Tesseract on one image (PNG, JPEG or TIFF bytes) and returns its
// text. The command runs under the document's context and a per-page time
// limit; its output is capped.
func ocr(b *budget, bin string, image []byte) (string, error) {
	ctx, cancel := context.WithTimeout(b.ctx, ocrPageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "stdin", "stdout", "-l", ocrLanguages, "--psm", "3")
	cmd.Stdin = bytes.NewReader(image)
	out := &cappedBuffer{max: maxOCROutput}
	var stderr cappedBuffer
	stderr.max = 4 << 10
	cmd.Stdout, cmd.Stderr = out, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if cerr := b.check(); cerr != nil {
		return "", cerr
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "", fmt.Errorf("%w: OCR d'une page au-delà de %s", ErrTooLarge, ocrPageTimeout)
	}
	if err != nil {
		return "", fmt.Errorf("%w: OCR: %w (%s)", ErrMalformed, err, strings.TrimSpace(stderr.String()))
	}
	if err := b.add(out.Len()); err != nil {
		return "", err
	}
	return strings.ToValidUTF8(out.String(), ""), nil
}

// cappedBuffer keeps the first max bytes written and drops the rest.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// renderGray renders page i at dpi into a grey bitmap, one byte per
// pixel, inside the engine, and returns it as a PGM image, which Tesseract
// reads as it is: a quarter of the memory of a colour bitmap, and no PNG
// to encode.
func renderGray(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, i int, widthPt, heightPt float64, dpi int) ([]byte, error) {
	w := int(math.Round(widthPt / 72 * float64(dpi)))
	h := int(math.Round(heightPt / 72 * float64(dpi)))
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("page %d de taille nulle", i+1)
	}
	bm, err := inst.FPDFBitmap_CreateEx(&requests.FPDFBitmap_CreateEx{Width: w, Height: h, Format: enums.FPDF_BITMAP_FORMAT_GRAY, Pointer: uint64(0)})
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = inst.FPDFBitmap_Destroy(&requests.FPDFBitmap_Destroy{Bitmap: bm.Bitmap}) }()
	if _, err := inst.FPDFBitmap_FillRect(&requests.FPDFBitmap_FillRect{Bitmap: bm.Bitmap, Width: w, Height: h, Color: 0xFFFFFFFF}); err != nil {
		return nil, err
	}
	page := requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}
	if _, err := inst.FPDF_RenderPageBitmap(&requests.FPDF_RenderPageBitmap{Bitmap: bm.Bitmap, Page: page, SizeX: w, SizeY: h, Flags: enums.FPDF_RENDER_FLAG_ANNOT | enums.FPDF_RENDER_FLAG_GRAYSCALE}); err != nil {
		return nil, err
	}
	st, err := inst.FPDFBitmap_GetStride(&requests.FPDFBitmap_GetStride{Bitmap: bm.Bitmap})
	if err != nil {
		return nil, err
	}
	buf, err := inst.FPDFBitmap_GetBuffer(&requests.FPDFBitmap_GetBuffer{Bitmap: bm.Bitmap})
	if err != nil {
		return nil, err
	}
	if st.Stride < w || len(buf.Buffer) < st.Stride*h {
		return nil, fmt.Errorf("page %d : image rendue incomplète", i+1)
	}
	header := fmt.Sprintf("P5\n%d %d\n255\n", w, h)
	pgm := make([]byte, 0, len(header)+w*h)
	pgm = append(pgm, header...)
	for y := range h { // the engine's lines may be padded
		pgm = append(pgm, buf.Buffer[y*st.Stride:y*st.Stride+w]...)
	}
	return pgm, nil
}

// ocrParagraphs turns Tesseract's text into lines for renderPDFLines: its
// blank lines separate paragraphs.
func ocrParagraphs(text string) []pdfLine {
	var lines []pdfLine
	gap := false
	for l := range strings.SplitSeq(text, "\n") {
		l = strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))
		if l == "" {
			gap = true
			continue
		}
		lines = append(lines, pdfLine{text: l, gapBefore: gap})
		gap = false
	}
	return lines
}

// ocrPDFPages reads by OCR the pages of pd that have no usable text, up to
// Limits.OCRPages, each rendered by the engine in grey at 300 dpi (less
// for a page larger than A3). It returns the lines of each page read, by
// page index. Without Tesseract it returns ErrNoOCR.
func ocrPDFPages(b *budget, inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, pages []int, doc *Document) (map[int][]pdfLine, error) {
	bin, err := lookTesseract()
	if err != nil {
		return nil, ErrNoOCR
	}
	if len(pages) > b.lim.OCRPages {
		doc.Skipped = append(doc.Skipped, fmt.Sprintf("pages numérisées au-delà de %d non lues par OCR : %s", b.lim.OCRPages, pageList(pages[b.lim.OCRPages:])))
		pages = pages[:b.lim.OCRPages]
	}
	out := map[int][]pdfLine{}
	for done, i := range pages {
		if err := b.check(); err != nil {
			return nil, err
		}
		size, err := inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: pd, Index: i})
		if err != nil {
			return nil, err
		}
		dpi := ocrDPI
		if px := size.Width * size.Height / (72 * 72) * ocrDPI * ocrDPI; px > maxOCRPixels {
			dpi = int(ocrDPI * math.Sqrt(maxOCRPixels/px))
		}
		if dpi < 10 {
			doc.Skipped = append(doc.Skipped, fmt.Sprintf("page %d trop grande pour l'OCR", i+1))
			continue
		}
		img, err := renderGray(inst, pd, i, size.Width, size.Height, dpi)
		if err != nil {
			return nil, err
		}
		text, err := ocr(b, bin, img)
		if err != nil {
			return nil, err
		}
		out[i] = ocrParagraphs(text)
		if b.lim.Progress != nil {
			b.lim.Progress(done+1, len(pages))
		}
	}
	return out, nil
}
