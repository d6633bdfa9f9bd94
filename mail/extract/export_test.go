package extract

import (
	"context"
	"os"
	"os/exec"

	"github.com/klippa-app/go-pdfium/requests"
)

// Slots is the process-wide semaphore, for tests that fill it.
var Slots = slots

// ReadPDFGo reads a PDF with the built-in reader only, for the evaluation
// that compares it with the engine.
func ReadPDFGo(data []byte) (*Document, error) {
	doc := &Document{Format: "pdf"}
	b := &budget{ctx: context.Background(), lim: Limits{}.withDefaults()}
	if err := readPDFGo(b, data, doc); err != nil {
		return nil, err
	}
	doc.Text = tidy(doc.Text)
	return doc, nil
}

// RenderPNG renders page 0 of a PDF in grey at dpi, as a PNG: the picture
// of a page, for OCR tests.
func RenderPNG(data []byte, dpi int) ([]byte, error) {
	inst, release, err := pdfInstance(context.Background())
	if err != nil {
		return nil, err
	}
	defer release()
	d, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, err
	}
	img, err := inst.RenderToFile(&requests.RenderToFile{
		RenderPageInDPI: &requests.RenderPageInDPI{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: d.Document}}, DPI: dpi, ImageFormat: requests.RenderImageFormatGrayscale},
		OutputFormat:    requests.RenderToFileOutputFormatPNG,
		OutputTarget:    requests.RenderToFileOutputTargetBytes,
	})
	if err != nil {
		return nil, err
	}
	return *img.ImageBytes, nil
}

// WithoutTesseract runs f as on a machine where Tesseract is not installed.
func WithoutTesseract(f func()) {
	old := lookTesseract
	lookTesseract = func() (string, error) { return "", exec.ErrNotFound }
	defer func() { lookTesseract = old }()
	f()
}

// WorkerPIDs returns the process ids of the idle PDF workers.
func WorkerPIDs() []int {
	workersMu.Lock()
	defer workersMu.Unlock()
	var pids []int
	for _, w := range idleWorkers {
		pids = append(pids, w.cmd.Process.Pid)
	}
	return pids
}

// UseWorkers reports whether PDFs are read in worker processes.
func UseWorkers() bool { return useWorkers() }

// WithoutWorkers makes the PDF engine start in the process, as on a system
// where the executable cannot be started again; it must run before the
// engine's first start.
func WithoutWorkers() {
	workerExecutable = func() (string, error) { return "", os.ErrNotExist }
}
