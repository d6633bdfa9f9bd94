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
	_ = extract.StartPDFEngine(extract.PDFEngine{CacheDir: pdfEngineCache()})
}

// pdfEngineCache returns the engine's compilation cache directory, made if
// needed, or "" when there is none.
func pdfEngineCache() string {
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
