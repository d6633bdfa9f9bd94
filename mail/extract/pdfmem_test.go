package extract_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// maxHostileAlloc bounds what reading one hostile PDF may allocate, in
// total: a deterministic count, whatever the machine's speed.
const maxHostileAlloc = 100 << 20

// TestHostilePDFMemory reads each hostile PDF with the default limits: it
// must be refused as too large or malformed, and the bytes allocated on the
// way (runtime.MemStats.TotalAlloc) must stay under maxHostileAlloc.
func TestHostilePDFMemory(t *testing.T) {
	for _, h := range extracttest.HostilePDFs() {
		t.Run(h.Name, func(t *testing.T) {
			alloc, err := allocated(func() error {
				_, err := extract.Extract(context.Background(), h.Name+".pdf", "application/pdf", h.Data, extract.Limits{})
				return err
			})
			t.Logf("%d KB on disk, %d MB allocated: %v", len(h.Data)>>10, alloc>>20, err)
			if !errors.Is(err, extract.ErrTooLarge) && !errors.Is(err, extract.ErrMalformed) {
				t.Errorf("err = %v, want ErrTooLarge or ErrMalformed", err)
			}
			if err != nil && strings.Contains(err.Error(), "délai") {
				t.Errorf("refused by the timeout, not by a limit: %v", err)
			}
			if alloc > maxHostileAlloc {
				t.Errorf("allocated %d MB, want at most %d MB", alloc>>20, maxHostileAlloc>>20)
			}
		})
	}
}

// allocated runs f and returns the bytes the process allocated meanwhile.
func allocated(f func() error) (uint64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// TestBusy fills every extraction slot: Extract then refuses at once with
// ErrBusy, or with Queue waits for the slot that is freed.
func TestBusy(t *testing.T) {
	for range extract.MaxConcurrent {
		extract.Slots <- struct{}{}
	}
	defer func() {
		for range extract.MaxConcurrent {
			<-extract.Slots
		}
	}()
	data := []byte("Préfecture de la Somme")
	if _, err := extract.Extract(context.Background(), "a.txt", "", data, extract.Limits{}); !errors.Is(err, extract.ErrBusy) {
		t.Errorf("err = %v, want ErrBusy", err)
	}
	done := make(chan error)
	go func() {
		_, err := extract.Extract(context.Background(), "a.txt", "", data, extract.Limits{Queue: true})
		done <- err
	}()
	<-extract.Slots // free one slot: the queued call takes it
	if err := <-done; err != nil {
		t.Errorf("queued: %v", err)
	}
	extract.Slots <- struct{}{}
}
