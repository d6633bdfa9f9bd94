package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
	// a start takes a fraction of a second instead of seconds; by default the
	// compilation is kept in memory only.
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
	engineMu   sync.Mutex
	enginePool pdfium.Pool
	engineErr  error
	// engineMem allocates the instances' memory; engineNew pairs each new
	// instance with the memory it allocated.
	engineMem engineMemory
	engineNew sync.Mutex
	// engineSlots holds one token per running instance.
	engineSlots = make(chan struct{}, MaxPDFEngines)
)

// StartPDFEngine starts the process-wide PDF engine with e, once: later calls
// return the first call's result. Extract starts it with the zero PDFEngine
// when no one did; a command calls StartPDFEngine early to choose the cache
// directory and to pay the start (about 3 s without a cache) before the
// first document.
func StartPDFEngine(e PDFEngine) error {
	engineMu.Lock()
	defer engineMu.Unlock()
	if enginePool != nil || engineErr != nil {
		return engineErr
	}
	limit := e.MemoryLimit
	if limit <= 0 {
		limit = DefaultPDFMemoryLimit
	}
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(limit / wasmPage)).
		WithCloseOnContextDone(true)
	if e.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(e.CacheDir)
		if err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	enginePool, engineErr = webassembly.Init(webassembly.Config{
		Context:       experimental.WithMemoryAllocator(context.Background(), &engineMem),
		MaxTotal:      MaxPDFEngines,
		RuntimeConfig: rc,
		// no file system, no output: documents are passed as bytes
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if engineErr != nil {
		engineErr = fmt.Errorf("%w: %w", errNoEngine, engineErr)
	}
	return engineErr
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
	if err := StartPDFEngine(PDFEngine{}); err != nil {
		return nil, nil, err
	}
	wait := time.NewTimer(engineWait)
	defer wait.Stop()
	select {
	case engineSlots <- struct{}{}:
	case <-wait.C:
		return nil, nil, fmt.Errorf("%w: moteur PDF (%d documents à la fois)", ErrBusy, MaxPDFEngines)
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("extract: %w", ctx.Err())
	}
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

// engineFailure turns an error of the engine into an error of this package:
// the document's time or memory ran out, or the document is broken.
func engineFailure(b *budget, err error) error {
	if cerr := b.check(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("%w: PDF: %w", ErrMalformed, err)
}
