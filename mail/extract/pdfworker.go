package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"time"
)

// The PDF engine runs in worker processes: the same executable, started
// again with workerEnv set, which serves documents one at a time over its
// standard input and output.
//
// Why a process: PDFium runs as WebAssembly, and wazero can stop a call
// that runs away only if the compiled code checks, at every loop, whether
// it must stop; that check leaves the machine code for Go at each loop
// turn and made PDFium three times slower. In a worker the engine is
// compiled without it, and the document's time limit is kept by killing
// the worker (and the OCR commands it started: its process group). The
// engine's memory stays capped (PDFEngine.MemoryLimit) and out of the
// server's process, and a crash of the engine ends a worker, not the
// server. Without a worker (the executable cannot be started again) the
// engine runs in the process with the check, as before: slower, as safe.

// workerEnv marks a process started as a PDF worker.
const workerEnv = "PLUME_PDF_WORKER"

// Worker limits: the time a new worker has to compile or load the engine,
// and how long an idle worker is kept.
const (
	workerStart = 60 * time.Second
	workerIdle  = 5 * time.Minute
	// workerGrace is how long past a document's deadline a worker still
	// runs before it ends itself, should its parent not have killed it
	// (the parent died).
	workerGrace = 5 * time.Second
	// workerGoMemory is a worker's soft Go memory limit.
	workerGoMemory = 64 << 20
)

func init() {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(serveWorker(os.Stdin, os.Stdout))
	}
}

// workerRequest asks a worker to read one PDF, sent before the document's
// bytes.
type workerRequest struct {
	Timeout  time.Duration
	MaxBytes int64
	OCRPages int
	// Tesseract is the OCR command the parent found ("" when none).
	Tesseract string
	Progress  bool
	// Instances is how many engine instances the worker may use at once
	// (1 or 2, as the parent's slots allow).
	Instances int
}

// workerReply is a worker's message: a progress step, or the result.
type workerReply struct {
	Ready bool
	Done  bool
	// PagesRead: the pages are read, a second engine instance is no
	// longer used (OCR and form fields follow)
	PagesRead bool
	// Read is what the worker counted against the document's budget.
	Read     int64
	Progress [2]int
	Text     string
	Pages    int
	Skipped  []string
	Notes    []string
	OCR      bool
	Err      string
	// Kinds names the sentinel errors the worker's error wraps.
	Kinds []string
}

// workerKinds are the errors a worker's failure can wrap, by name.
var workerKinds = []struct {
	name string
	err  error
}{
	{"protected", ErrProtected}, {"notext", ErrNoText}, {"noocr", ErrNoOCR},
	{"toolarge", ErrTooLarge}, {"malformed", ErrMalformed}, {"busy", ErrBusy},
	{"unsupported", ErrUnsupported}, {"noengine", errNoEngine},
	{"deadline", context.DeadlineExceeded}, {"canceled", context.Canceled},
}

// workerError is a worker's error as the parent sees it: the worker's
// message, wrapping the same sentinel errors.
type workerError struct {
	msg  string
	errs []error
}

func (e *workerError) Error() string   { return e.msg }
func (e *workerError) Unwrap() []error { return e.errs }

// writeFrame writes one message: its length, then its bytes.
func writeFrame(w io.Writer, p []byte) error {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(p)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

// readFrame reads one message of at most max bytes.
func readFrame(r io.Reader, max int64) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := int64(binary.BigEndian.Uint32(n[:]))
	if size > max {
		return nil, fmt.Errorf("message de %d octets, %d au plus", size, max)
	}
	p := make([]byte, size)
	_, err := io.ReadFull(r, p)
	return p, err
}

func sendValue(w *bufio.Writer, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	if err := writeFrame(w, buf.Bytes()); err != nil {
		return err
	}
	return w.Flush()
}

func readValue(r io.Reader, max int64, v any) error {
	p, err := readFrame(r, max)
	if err != nil {
		return err
	}
	return gob.NewDecoder(bytes.NewReader(p)).Decode(v)
}

// serveWorker is a worker's life: start the engine, then read documents
// until its input ends. It returns the process's exit status.
func serveWorker(in io.Reader, out io.Writer) int {
	runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	// a worker's Go memory is the document, its text and page images for
	// OCR, all short-lived: collected early rather than at twice the live
	// size (the engine's memory is outside the Go heap)
	debug.SetMemoryLimit(workerGoMemory)
	r, w := bufio.NewReader(in), bufio.NewWriter(out)
	// the first message configures the engine
	var conf PDFEngine
	if err := readValue(r, 1<<20, &conf); err != nil {
		return 2
	}
	inWorker = true
	err := startEngine(conf, false)
	ready := workerReply{Ready: err == nil}
	if err != nil {
		ready.Err = err.Error()
	}
	if sendValue(w, ready) != nil || err != nil {
		return 1
	}
	for {
		var req workerRequest
		if err := readValue(r, 1<<20, &req); err != nil {
			return 0 // the parent closed its end
		}
		data, err := readFrame(r, DefaultMaxBytes*8)
		if err != nil {
			return 2
		}
		reply := workerRead(req, data, func(done, total int) {
			_ = sendValue(w, workerReply{Progress: [2]int{done, total}})
		}, func() {
			_ = sendValue(w, workerReply{PagesRead: true})
		})
		if sendValue(w, reply) != nil {
			return 2
		}
	}
}

// workerRead reads one document in a worker.
func workerRead(req workerRequest, data []byte, progress func(done, total int), pagesRead func()) (reply workerReply) {
	ctx, cancel := context.WithTimeout(context.Background(), req.Timeout)
	defer cancel()
	// the engine cannot be stopped inside a call: past the deadline, the
	// worker ends itself, should its parent not have killed it (a timer
	// needs a second thread, as the engine holds the first: GOMAXPROCS is
	// at least 2 in a worker; a garbage collection waiting for the engine
	// call would hold it back, so on Linux the kernel kills an orphaned
	// worker too: Pdeathsig)
	self := time.AfterFunc(req.Timeout+workerGrace, func() { os.Exit(3) })
	defer self.Stop()
	lim := Limits{MaxBytes: req.MaxBytes, OCRPages: req.OCRPages, Timeout: req.Timeout}.withDefaults()
	if req.Progress {
		lim.Progress = progress
	}
	lookTesseract = func() (string, error) {
		if req.Tesseract == "" {
			return "", exec.ErrNotFound
		}
		return req.Tesseract, nil
	}
	b := &budget{ctx: ctx, lim: lim}
	doc := &Document{}
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%w: %s", ErrMalformed, internalError)
			}
		}()
		return readPDFium(b, data, doc, req.Instances, pagesRead)
	}()
	reply = workerReply{Done: true, Text: doc.Text, Pages: doc.Pages, Skipped: doc.Skipped, Notes: doc.Notes, OCR: doc.OCR, Read: b.read}
	if err != nil {
		reply.Err = err.Error()
		for _, k := range workerKinds {
			if errors.Is(err, k.err) {
				reply.Kinds = append(reply.Kinds, k.name)
			}
		}
	}
	return reply
}
