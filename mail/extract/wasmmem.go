package extract

import (
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// engineMemory allocates the memory of the PDF engine's instances outside
// the Go heap (see mapMemory): reserved up to the instance's limit, it
// takes resident memory only where PDFium writes, never moves or is copied
// when it grows, is not counted by the Go garbage collector's pacing, and
// goes back to the system when its instance is released, not at the next
// collection.
//
// An instance's memory is given back in two steps. Closing the module
// (which may happen while PDFium still runs on another goroutine, when a
// document's time runs out) only discards the pages' contents: running
// code then reads zeros, which is safe. The address range is unmapped by
// release, on the goroutine that used the instance, once no call into it
// can still be running.
type engineMemory struct {
	mu   sync.Mutex
	last *linearMemory // allocated by the instance being created
}

var _ experimental.MemoryAllocator = (*engineMemory)(nil)

// Allocate implements experimental.MemoryAllocator.
func (e *engineMemory) Allocate(_, max uint64) experimental.LinearMemory {
	m := &linearMemory{}
	if b, err := mapMemory(max); err == nil {
		m.buf, m.mapped = b, true
	}
	e.mu.Lock()
	e.last = m
	e.mu.Unlock()
	return m
}

// claim returns the memory allocated by the instance created last, and
// marks it as owned: from then on only its owner unmaps it.
func (e *engineMemory) claim() *linearMemory {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.last
	e.last = nil
	if m != nil {
		m.mu.Lock()
		m.claimed = true
		m.mu.Unlock()
	}
	return m
}

// linearMemory is one instance's WebAssembly memory: a mapped reservation,
// or a Go slice when mapping is not available.
type linearMemory struct {
	mu      sync.Mutex
	buf     []byte
	mapped  bool
	claimed bool // owned by an instance: unmapped by its release only
	gone    bool // unmapped (or dropped): nothing may touch buf
	peak    uint64
}

var _ experimental.LinearMemory = (*linearMemory)(nil)

// Reallocate implements experimental.LinearMemory: a mapped memory grows in
// place, a slice grows by copy.
func (m *linearMemory) Reallocate(size uint64) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return nil
	}
	m.peak = max(m.peak, size)
	if m.mapped {
		if size > uint64(len(m.buf)) {
			return nil
		}
		return m.buf[:size]
	}
	if n := uint64(len(m.buf)); size > n {
		m.buf = append(m.buf, make([]byte, size-n)...)
	}
	return m.buf[:size]
}

// Free implements experimental.LinearMemory: the pages' contents are
// discarded at once; an unclaimed memory (an instance that failed to start,
// on the goroutine creating it) is unmapped too.
func (m *linearMemory) Free() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return
	}
	if !m.mapped {
		m.buf, m.gone = nil, true
		return
	}
	discardMemory(m.buf)
	if !m.claimed {
		unmapMemory(m.buf)
		m.buf, m.gone = nil, true
	}
}

// release gives the memory back to the system; it is called once no code
// of its instance can run any more.
func (m *linearMemory) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gone {
		return
	}
	if m.mapped {
		unmapMemory(m.buf)
	}
	m.buf, m.gone = nil, true
}
