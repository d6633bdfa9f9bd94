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
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
	reply = workerReply{Done: true, Text: doc.Text, Pages: doc.Pages, Skipped: doc.Skipped, Notes: doc.Notes, Read: b.read}
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

// pdfWorker is a running worker process, seen from the parent.
type pdfWorker struct {
	cmd    *exec.Cmd
	in     *bufio.Writer
	stdin  io.Closer
	out    *bufio.Reader
	stderr *syncBuffer
	idle   *time.Timer
}

// syncBuffer keeps the start of a worker's error output for the current
// document; the process writes it while the parent reads and resets it.
type syncBuffer struct {
	mu sync.Mutex
	b  cappedBuffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// idleWorkers are the started workers waiting for a document.
var (
	workersMu   sync.Mutex
	idleWorkers []*pdfWorker
)

// workerExecutable finds the program a worker runs: this one. Tests
// replace it to see the engine run in the process when no worker starts.
var workerExecutable = selfExecutable

// startWorker starts a worker process and waits until its engine is ready.
func startWorker(ctx context.Context, conf PDFEngine) (*pdfWorker, error) {
	exe, err := workerExecutable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Args = []string{"plume-pdf-worker"} // as ps shows it
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.SysProcAttr = workerProcAttr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w := &pdfWorker{cmd: cmd, in: bufio.NewWriter(stdin), stdin: stdin, out: bufio.NewReader(stdout), stderr: &syncBuffer{b: cappedBuffer{max: 4 << 10}}}
	cmd.Stderr = w.stderr
	if err := startProcess(cmd); err != nil {
		return nil, err
	}
	ready := make(chan error, 1)
	go func() {
		if err := sendValue(w.in, conf); err != nil {
			ready <- err
			return
		}
		var r workerReply
		err := readValue(w.out, 1<<20, &r)
		switch {
		case err != nil:
		case !r.Ready:
			err = errors.New(r.Err)
		}
		ready <- err
	}()
	timer := time.NewTimer(workerStart)
	defer timer.Stop()
	select {
	case err = <-ready:
	case <-timer.C:
		err = fmt.Errorf("pas prêt après %s", workerStart)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("processus du moteur PDF: %w %s", err, strings.TrimSpace(w.stderr.String()))
	}
	return w, nil
}

// kill ends the worker and the commands it started, and waits for it.
func (w *pdfWorker) kill() {
	if w.cmd.Process != nil {
		_ = syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
		_ = w.cmd.Process.Kill()
	}
	_ = w.stdin.Close()
	_ = w.cmd.Wait()
}

// takeWorker returns an idle worker, or starts one within ctx.
func takeWorker(ctx context.Context, conf PDFEngine) (*pdfWorker, error) {
	workersMu.Lock()
	if n := len(idleWorkers); n > 0 {
		w := idleWorkers[n-1]
		idleWorkers = idleWorkers[:n-1]
		workersMu.Unlock()
		if w.idle != nil {
			w.idle.Stop()
		}
		return w, nil
	}
	workersMu.Unlock()
	return startWorker(ctx, conf)
}

// putWorker keeps w for the next document, for workerIdle at most.
func putWorker(w *pdfWorker) {
	workersMu.Lock()
	defer workersMu.Unlock()
	idleWorkers = append(idleWorkers, w)
	w.idle = time.AfterFunc(workerIdle, func() {
		workersMu.Lock()
		for i, x := range idleWorkers {
			if x == w {
				idleWorkers = append(idleWorkers[:i], idleWorkers[i+1:]...)
				workersMu.Unlock()
				w.kill()
				return
			}
		}
		workersMu.Unlock()
	})
}

// maxWorkerDocument is the largest document sent to a worker.
const maxWorkerDocument = 8 * DefaultMaxBytes

// readPDFWorker reads a PDF in a worker process, within the document's
// time: a worker still reading when the time is up is killed. The worker
// may use a second engine instance while it reads the pages, if a second
// slot is free at once; the slot is given back when the pages are read.
// A worker that dies before answering anything (an idle worker killed
// from outside) is replaced once.
func readPDFWorker(b *budget, data []byte, doc *Document, instances int) error {
	if len(data) > maxWorkerDocument {
		return fmt.Errorf("%w: PDF de %d octets", ErrTooLarge, len(data))
	}
	if err := takeSlot(b.ctx); err != nil {
		return err
	}
	defer func() { <-engineSlots }()
	var second sync.Once
	if instances > 1 && trySlot() { // a second instance, if free at once
		defer second.Do(func() { <-engineSlots })
	} else {
		instances = 1
		second.Do(func() {})
	}
	for attempt := 0; ; attempt++ {
		err, answered := readInWorker(b, data, doc, instances, func() { second.Do(func() { <-engineSlots }) })
		if answered || attempt > 0 || !errors.Is(err, errWorkerDied) || b.check() != nil {
			return err
		}
	}
}

// errWorkerDied marks a worker that stopped without a reply.
var errWorkerDied = errors.New("le moteur s'est arrêté")

// readInWorker sends one document to a worker and waits for its reply;
// answered reports whether the worker sent anything back.
func readInWorker(b *budget, data []byte, doc *Document, instances int, pagesRead func()) (err error, answered bool) {
	w, err := takeWorker(b.ctx, workerConf())
	if err != nil {
		if cerr := b.check(); cerr != nil {
			return cerr, false
		}
		return fmt.Errorf("%w: %w", errNoEngine, err), false
	}
	req := workerRequest{Timeout: b.lim.Timeout, MaxBytes: b.lim.MaxBytes - b.read, OCRPages: b.lim.OCRPages, Progress: b.lim.Progress != nil, Instances: instances}
	if d, ok := b.ctx.Deadline(); ok {
		req.Timeout = time.Until(d)
	}
	if req.Timeout <= 0 || req.MaxBytes <= 0 {
		putWorker(w)
		if err := b.check(); err != nil {
			return err, false
		}
		return fmt.Errorf("%w: plus de %d octets décompressés", ErrTooLarge, b.lim.MaxBytes), false
	}
	if bin, err := lookTesseract(); err == nil {
		req.Tesseract = bin
	}
	w.stderr.Reset()
	done := make(chan workerReply, 1)
	failed := make(chan error, 1)
	var heard atomic.Bool
	go func() {
		if err := sendValue(w.in, req); err != nil {
			failed <- err
			return
		}
		if err := writeFrame(w.in, data); err != nil {
			failed <- err
			return
		}
		if err := w.in.Flush(); err != nil {
			failed <- err
			return
		}
		for {
			var r workerReply
			if err := readValue(w.out, 2*req.MaxBytes+1<<20, &r); err != nil {
				failed <- err
				return
			}
			heard.Store(true)
			switch {
			case r.Done:
				done <- r
				return
			case r.PagesRead:
				pagesRead()
			default:
				b.lim.Progress(r.Progress[0], r.Progress[1])
			}
		}
	}()
	select {
	case r := <-done:
		putWorker(w)
		pagesRead()
		doc.Text, doc.Pages, doc.Skipped, doc.Notes = r.Text, r.Pages, append(doc.Skipped, r.Skipped...), append(doc.Notes, r.Notes...)
		// what the worker read counts against the document's budget
		// (and an attached mail's), whatever the outcome
		cerr := b.add(int(r.Read))
		if r.Err == "" {
			return cerr, true
		}
		we := &workerError{msg: r.Err}
		for _, name := range r.Kinds {
			for _, k := range workerKinds {
				if k.name == name {
					we.errs = append(we.errs, k.err)
				}
			}
		}
		return we, true
	case err := <-failed:
		w.kill()
		if cerr := b.check(); cerr != nil {
			return cerr, true
		}
		// the engine died on this document (a crash inside PDFium)
		return fmt.Errorf("%w: PDF: %w (%v) %s", ErrMalformed, errWorkerDied, err, strings.TrimSpace(w.stderr.String())), heard.Load()
	case <-b.ctx.Done():
		w.kill()
		select { // the reader stops once the worker is gone
		case <-failed:
		case <-done:
		}
		return b.check(), true
	}
}

// workerCache is where a worker keeps its compiled engine: apart from the
// in-process engine's, whose compiled code differs (it checks at every
// loop whether it must stop) while the cache would not tell them apart.
func workerCache(dir string) string {
	if dir == "" {
		return ""
	}
	dir = filepath.Join(dir, "worker")
	if os.MkdirAll(dir, 0o700) != nil {
		return ""
	}
	return dir
}
