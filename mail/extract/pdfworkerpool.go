package extract

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The parent's side of the PDF workers (see pdfworker.go): starting,
// keeping and killing them, and reading a document through one.

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
		doc.Text, doc.Pages, doc.Skipped, doc.Notes, doc.OCR = r.Text, r.Pages, append(doc.Skipped, r.Skipped...), append(doc.Notes, r.Notes...), r.OCR
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
