package extract

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestEngineMemory checks the engine's memory: it grows in place (no copy),
// is discarded when its module closes and unmapped by its owner's release.
func TestEngineMemory(t *testing.T) {
	var e engineMemory
	m := e.Allocate(0, 64<<20).(*linearMemory)
	if runtime.GOOS == "linux" && !m.mapped {
		t.Fatal("memory not mapped outside the Go heap")
	}
	b := m.Reallocate(1 << 20)
	b[0] = 7
	g := m.Reallocate(32 << 20)
	if m.mapped && unsafe.SliceData(g) != unsafe.SliceData(b) {
		t.Error("memory moved when it grew")
	}
	if g[0] != 7 || len(g) != 32<<20 {
		t.Errorf("grown memory: len %d, first byte %d", len(g), g[0])
	}
	if m.Reallocate(65<<20) != nil {
		t.Error("memory grew past its maximum")
	}
	if e.claim() != m {
		t.Fatal("claim does not return the memory allocated last")
	}
	m.Free() // the module closes: contents discarded, still mapped
	if m.mapped && g[0] != 0 {
		t.Error("contents kept after Free")
	}
	m.release()
	if !m.gone || m.Reallocate(1<<20) != nil {
		t.Error("memory usable after release")
	}
	m.Free() // a late close of the module is harmless

	// an instance that failed to start never claims its memory: Free unmaps it
	u := e.Allocate(0, 1<<20).(*linearMemory)
	u.Free()
	if !u.gone {
		t.Error("unclaimed memory not released by Free")
	}
}
