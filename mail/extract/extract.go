// Package extract turns attachment bytes into plain text for the assistant.
//
// It reads PDF (text layer, and scanned pages by OCR), images (JPEG, PNG,
// TIFF, by OCR), DOCX, ODT, XLSX, ODS, PPTX, ODP, RTF, HTML, TXT, CSV,
// attached mail (message/rfc822 and Outlook .msg) and, when LibreOffice is
// installed, legacy .doc, .xls and .ppt. Headings, lists and tables
// are kept as text with light Markdown conventions ("# Titre", "- point",
// "| a | b |"), so that a language model sees the structure.
//
// # Hostile input
//
// Attachments are untrusted. Every extractor works under [Limits]: the total
// number of decompressed bytes actually read (not what a zip header claims),
// the number of archive entries, the rows read from a spreadsheet and a
// per-document time limit. A PDF's streams count as they are inflated, its
// strings, arrays and operand stack are capped, and its reader checks the
// context every few kilobytes, so that a parser stops soon after its
// document's time runs out. Panics in third-party parsers are recovered.
// Past a limit the error wraps [ErrTooLarge]; broken input wraps
// [ErrMalformed]; encrypted documents wrap [ErrProtected]; a scanned PDF
// without a text layer wraps [ErrNoText].
//
// # Example
//
//	doc, err := extract.Extract(ctx, "arrete.pdf", "application/pdf", data, extract.Limits{})
//	if errors.Is(err, extract.ErrProtected) {
//		// tell the user the document is password-protected
//	}
//	fmt.Println(doc.Pages, doc.Text)
package extract

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plume-admin/plume/mail"
)

// Sentinel errors of package extract. Callers branch with errors.Is.
var (
	// ErrProtected reports an encrypted or password-protected document.
	ErrProtected = errors.New("extract: document protégé")
	// ErrUnsupported reports a format that cannot be read.
	ErrUnsupported = errors.New("extract: format non pris en charge")
	// ErrNoText reports a document without usable text, even by OCR.
	ErrNoText = errors.New("extract: pas de texte exploitable (document numérisé ?)")
	// ErrTooLarge reports that a document passed one of the limits (size, entries, nesting, time).
	ErrTooLarge = errors.New("extract: document trop volumineux ou trop complexe")
	// ErrMalformed reports a broken or inconsistent document.
	ErrMalformed = errors.New("extract: document illisible")
	// ErrBusy reports that the process already reads MaxConcurrent documents.
	ErrBusy = errors.New("extract: trop de documents en cours de lecture")
)

// MaxConcurrent caps the documents read at once in the process. A parser
// holds its slot until it has really stopped, even after Extract returned
// on a timeout, so that memory stays bounded under load.
const MaxConcurrent = 4

// slots holds one token per document being read, process-wide.
var slots = make(chan struct{}, MaxConcurrent)

// Limits caps the work done on one document. The zero value uses the defaults.
type Limits struct {
	// MaxBytes caps the decompressed bytes actually read, in total (default 25 MiB).
	MaxBytes int64
	// MaxEntries caps the number of entries of an archive (default 1000).
	MaxEntries int
	// MaxRows caps the rows read from each sheet or CSV file (default 2000).
	MaxRows int
	// Timeout caps the time spent on one document (default 20 s).
	Timeout time.Duration
	// OCRPages caps the scanned pages read by OCR in one document
	// (default DefaultOCRPages); the pages past it are named in Skipped.
	OCRPages int
	// Progress, when set, is called after each page read by OCR with the
	// pages done and the pages to read.
	Progress func(done, total int)
	// Queue waits for a free slot when MaxConcurrent documents are being
	// read; by default Extract fails at once with ErrBusy.
	Queue bool
}

// Default limits applied for zero fields of [Limits].
const (
	DefaultMaxBytes   = 25 << 20
	DefaultMaxEntries = 1000
	DefaultMaxRows    = 2000
	DefaultTimeout    = 20 * time.Second
	// maxDepth caps XML nesting, RTF groups and attached-mail recursion.
	maxDepth = 200
	// maxMailDepth caps attached mail inside attached mail.
	maxMailDepth = 5
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.OCRPages <= 0 {
		l.OCRPages = DefaultOCRPages
	}
	return l
}

// Document is the text of one attachment and what was counted or left out.
type Document struct {
	// Name is the file name given to Extract.
	Name string `json:"name"`
	// MediaType is the media type given to Extract, or the one detected.
	MediaType string `json:"mediaType"`
	// Format is the detected format: pdf, image, docx, odt, xlsx, ods, pptx,
	// odp, rtf, html, txt, csv, eml, msg (Outlook), doc, xls or ppt (legacy Office).
	Format string `json:"format"`
	// Text is the extracted text with headings, lists and tables kept as text.
	Text string `json:"text"`
	// Pages counts PDF pages.
	Pages int `json:"pages,omitempty"`
	// Sheets counts spreadsheet sheets.
	Sheets int `json:"sheets,omitempty"`
	// Slides counts presentation slides.
	Slides int `json:"slides,omitempty"`
	// Skipped names what was left out (images, embedded objects, rows past the cap).
	Skipped []string `json:"skipped,omitempty"`
	// Notes are plain statements about the extraction (charset guessed, …).
	Notes []string `json:"notes,omitempty"`
	// OCR reports that some of the text was read by OCR (see Notes).
	OCR bool `json:"ocr,omitempty"`
	// Damaged reports that damaged parts were skipped or read by a
	// simpler reader: some text may be missing (see Notes).
	Damaged bool `json:"damaged,omitempty"`
	// Mails are the messages read inside the document (an attached or
	// uploaded mail, and the mails attached to it, at any depth), with
	// their headers, so that their protection markings are detected with
	// the rules of a top-level message.
	Mails []*mail.Message `json:"-"`
}

// Extract reads the text of one attachment. The format is detected from the
// content first, then from mediaType and the extension of name.
func Extract(ctx context.Context, name, mediaType string, data []byte, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if err := acquire(ctx, lim.Queue); err != nil {
		return nil, err
	}
	if needsEngine(data) {
		// the engine's first start (seconds) is not the document's time;
		// a failure to start is reported by readPDF
		_ = StartPDFEngine(PDFEngine{})
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()

	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() { <-slots }()
		defer func() {
			if p := recover(); p != nil {
				if e, ok := p.(abort); ok {
					r = result{nil, e.err}
				} else {
					r = result{nil, fmt.Errorf("%w: %s", ErrMalformed, internalError)}
				}
			}
			done <- r
		}()
		r.doc, r.err = extract(ctx, name, mediaType, data, lim)
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return r.doc, nil
	case <-ctx.Done():
		return nil, ctxErr(ctx, lim)
	}
}

// acquire takes a slot of slots, waiting for one if queue is set.
func acquire(ctx context.Context, queue bool) error {
	select {
	case slots <- struct{}{}:
		return nil
	default:
	}
	if !queue {
		return fmt.Errorf("%w: %d au plus", ErrBusy, MaxConcurrent)
	}
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("extract: %w", ctx.Err())
	}
}

// ctxErr explains why ctx ended: the document's time limit or the caller.
func ctxErr(ctx context.Context, lim Limits) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: délai de %s dépassé: %w", ErrTooLarge, lim.Timeout, ctx.Err())
	}
	return fmt.Errorf("extract: %w", ctx.Err())
}

// internalError marks a recovered panic of Plume's own code: a bug that the
// fuzz tests look for.
const internalError = "erreur interne de l'analyseur"

// abort carries an error out of deep parser callbacks through panic.
type abort struct{ err error }

func extract(ctx context.Context, name, mediaType string, data []byte, lim Limits) (*Document, error) {
	format, err := detect(name, mediaType, data, lim)
	if err != nil {
		return nil, err
	}
	doc := &Document{Name: name, MediaType: mediaType, Format: format}
	if doc.MediaType == "" {
		doc.MediaType = mediaTypes[format]
	}
	b := &budget{ctx: ctx, lim: lim}
	if err := extractInto(b, format, data, doc); err != nil {
		return nil, err
	}
	doc.Text = tidy(doc.Text)
	return doc, nil
}

// extractInto runs the reader of format on data.
func extractInto(b *budget, format string, data []byte, doc *Document) error {
	var err error
	switch format {
	case "pdf":
		err = readPDF(b, data, doc)
	case "docx":
		err = readDOCX(b, data, doc)
	case "xlsx":
		err = readXLSX(b, data, doc)
	case "pptx":
		err = readPPTX(b, data, doc)
	case "odt", "ods", "odp":
		err = readODF(b, data, doc)
	case "rtf":
		err = readRTF(b, data, doc)
	case "html":
		err = readHTML(b, data, doc)
	case "csv":
		err = readCSV(b, data, doc)
	case "txt":
		err = readTXT(b, data, doc)
	case "eml":
		err = readEML(b, data, doc)
	case "msg":
		err = readMSG(b, data, doc)
	case "doc", "xls", "ppt":
		err = readLegacy(b, format, data, doc)
	case "image":
		err = readImage(b, data, doc)
	default:
		err = fmt.Errorf("%w: %s", ErrUnsupported, format)
	}
	return err
}

// budget counts the work done on one document against its limits.
type budget struct {
	ctx   context.Context
	lim   Limits
	read  int64
	depth int // attached-mail depth
}

// add counts n more bytes read and fails past MaxBytes.
func (b *budget) add(n int) error {
	b.read += int64(n)
	if b.read > b.lim.MaxBytes {
		return fmt.Errorf("%w: plus de %d octets décompressés", ErrTooLarge, b.lim.MaxBytes)
	}
	return nil
}

// check fails once the document's context is done.
func (b *budget) check() error {
	if err := b.ctx.Err(); err != nil {
		return ctxErr(b.ctx, b.lim)
	}
	return nil
}
