package main

import (
	"os"
	"path/filepath"

	"github.com/plume-admin/plume/mail/extract"
)

// startPDFEngine starts the process's PDF engine with a compilation cache
// in the user's cache directory (…/plume/pdfium), so that only the first
// run on a machine pays the engine's compilation (seconds); without a
// cache directory it compiles every time. Documents wait for it; a failure
// is reported by the first PDF read.
func startPDFEngine() {
	e := extract.PDFEngine{}
	if dir, err := os.UserCacheDir(); err == nil {
		e.CacheDir = filepath.Join(dir, "plume", "pdfium")
		if os.MkdirAll(e.CacheDir, 0o700) != nil {
			e.CacheDir = ""
		}
	}
	_ = extract.StartPDFEngine(e)
}
