package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDFEngine configures the PDF engine: PDFium compiled to WebAssembly and
// run inside the process by wazero, with no system library. The zero value
// works.
type PDFEngine struct {
	// CacheDir keeps the compiled engine between runs of the process, so that
	// a start takes a fraction of a second instead of seconds; by default
	// …/plume/pdfium in the user's cache directory (os.UserCacheDir), or
	// none when there is no such directory.
	CacheDir string
	// MemoryLimit caps the memory of one running engine, in bytes (default
	// DefaultPDFMemoryLimit); a document that needs more is refused as too
	// large.
	MemoryLimit int64
}

// DefaultPDFMemoryLimit is the memory one PDF engine instance may use.
const DefaultPDFMemoryLimit = 192 << 20

// MaxPDFEngines caps the PDF engine instances running at once, below
// MaxConcurrent: each may take up to its MemoryLimit, so this bounds the
// engine's share of the process's memory. A document waits for an
// instance within its own time limit.
const MaxPDFEngines = 2

// engineWait is how long a document waits for a PDF engine instance
// before it is refused with ErrBusy.
const engineWait = 10 * time.Second

// errNoEngine reports that the PDF engine could not start.
var errNoEngine = errors.New("extract: moteur PDF indisponible")

// wasmPage is the size of a WebAssembly memory page.
const wasmPage = 64 << 10

var (
	// engine is the process's choice, made once by StartPDFEngine:
	// documents go to worker processes (see pdfworker.go), or to the
	// engine in this process when no worker can start.
	engine struct {
		sync.Mutex
		started bool
		workers bool
		conf    PDFEngine
		err     error
	}
	// inWorker is set in a worker process, whose engine runs unwatched.
	inWorker bool

	// the engine in this process (a worker's, or the fallback)
	poolMu     sync.Mutex
	enginePool pdfium.Pool
	poolErr    error
	// engineMem allocates the instances' memory; engineNew pairs each new
	// instance with the memory it allocated.
	engineMem engineMemory
	engineNew sync.Mutex
	// engineSlots holds one token per running instance or busy worker.
	engineSlots = make(chan struct{}, MaxPDFEngines)
)

// StartPDFEngine starts the process-wide PDF engine with e, once: later calls
// return the first call's result. Extract starts it with the zero PDFEngine
// when no one did; a command calls StartPDFEngine early to pay the start
// (seconds when the engine is not in the cache yet) before the first
// document. It starts a first worker process; when none can start, the
// engine runs in this process.
func StartPDFEngine(e PDFEngine) error {
	engine.Lock()
	defer engine.Unlock()
	if engine.started {
		return engine.err
	}
	engine.started = true
	if e.MemoryLimit <= 0 {
		e.MemoryLimit = DefaultPDFMemoryLimit
	}
	if e.CacheDir == "" {
		e.CacheDir = DefaultPDFCache()
	}
	engine.conf = e
	// the cache keeps the worker's compilation apart from the in-process
	// one: wazero's module key includes the loop check
	w, err := startWorker(context.Background(), e)
	if err == nil {
		engine.workers = true
		putWorker(w)
		return nil
	}
	engine.err = startEngine(e, true)
	return engine.err
}

// workerConf is the configuration new workers start with: the engine's.
func workerConf() PDFEngine {
	engine.Lock()
	defer engine.Unlock()
	return engine.conf
}

// useWorkers reports whether documents go to worker processes.
func useWorkers() bool {
	engine.Lock()
	defer engine.Unlock()
	return engine.workers
}

// DefaultPDFCache is the engine's compilation cache directory when none
// is given: …/plume/pdfium in the user's cache directory, made if needed,
// so that only the first run on a machine compiles the engine (seconds);
// "" (compile at every start) when there is none.
func DefaultPDFCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "plume", "pdfium")
	if os.MkdirAll(dir, 0o700) != nil {
		return ""
	}
	return dir
}

// startEngine starts the engine inside this process, once. watch compiles
// it so that a call can be stopped when its context ends (at every loop
// the code asks whether it must stop, which makes it about three times
// slower); a worker's engine is unwatched: the worker is killed instead.
func startEngine(e PDFEngine, watch bool) error {
	poolMu.Lock()
	defer poolMu.Unlock()
	if enginePool != nil || poolErr != nil {
		return poolErr
	}
	limit := e.MemoryLimit
	if limit <= 0 {
		limit = DefaultPDFMemoryLimit
	}
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(limit / wasmPage)).
		WithCloseOnContextDone(watch)
	if e.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(e.CacheDir)
		if err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	enginePool, poolErr = webassembly.Init(webassembly.Config{
		Context:       experimental.WithMemoryAllocator(context.Background(), &engineMem),
		MaxTotal:      MaxPDFEngines,
		RuntimeConfig: rc,
		// no file system, no output: documents are passed as bytes
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if poolErr != nil {
		poolErr = fmt.Errorf("%w: %w", errNoEngine, poolErr)
	}
	return poolErr
}

// needsEngine reports whether data looks like a PDF, which the engine reads.
func needsEngine(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// pdfInstance borrows a fresh engine instance for one document, waiting
// for one of the MaxPDFEngines within ctx. The instance is killed when ctx
// ends, which stops PDFium where it is; release closes it and gives its
// memory back to the system.
func pdfInstance(ctx context.Context) (inst pdfium.Pdfium, release func(), err error) {
	if !inWorker {
		_ = StartPDFEngine(PDFEngine{})
	}
	engine.Lock()
	conf := engine.conf
	engine.Unlock()
	// in a worker, the engine already runs, unwatched
	if err := startEngine(conf, true); err != nil {
		return nil, nil, err
	}
	if err := takeSlot(ctx); err != nil {
		return nil, nil, err
	}
	return slotInstance(ctx)
}

// tryPDFInstance borrows a second instance for a document only if one is
// free at once: reading faster must not make another document wait.
func tryPDFInstance(ctx context.Context) (inst pdfium.Pdfium, release func(), ok bool) {
	if !trySlot() {
		return nil, nil, false
	}
	inst, release, err := slotInstance(ctx)
	return inst, release, err == nil
}

// trySlot takes an engine slot if one is free.
func trySlot() bool {
	select {
	case engineSlots <- struct{}{}:
		return true
	default:
		return false
	}
}

// slotInstance makes an instance for the slot just taken, killed when ctx
// ends; release closes it and frees the slot.
func slotInstance(ctx context.Context) (inst pdfium.Pdfium, release func(), err error) {
	engineNew.Lock()
	inst, err = enginePool.GetInstanceWithContext(ctx)
	mem := engineMem.claim()
	engineNew.Unlock()
	if err != nil {
		<-engineSlots
		return nil, nil, fmt.Errorf("extract: moteur PDF: %w", err)
	}
	done := make(chan struct{})
	var killed sync.Once
	go func() {
		select {
		case <-ctx.Done():
			killed.Do(func() { _ = inst.Kill() })
		case <-done:
		}
	}()
	release = func() {
		close(done)
		killed.Do(func() { _ = inst.Close() })
		// no call into the instance can run now: its memory can go
		if mem != nil {
			mem.release()
		}
		<-engineSlots
	}
	return inst, release, nil
}

// takeSlot waits for one of the MaxPDFEngines engine slots, within ctx
// and engineWait.
func takeSlot(ctx context.Context) error {
	wait := time.NewTimer(engineWait)
	defer wait.Stop()
	select {
	case engineSlots <- struct{}{}:
		return nil
	case <-wait.C:
		return fmt.Errorf("%w: moteur PDF (%d documents à la fois)", ErrBusy, MaxPDFEngines)
	case <-ctx.Done():
		return fmt.Errorf("extract: %w", ctx.Err())
	}
}

// engineFailure turns an error of the engine into an error of this package:
// the document's time or memory ran out, or the document is broken.
func engineFailure(b *budget, err error) error {
	if cerr := b.check(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("%w: PDF: %w", ErrMalformed, err)
}
