package main

import (
	"github.com/plume-admin/plume/mail/extract"
)

// startPDFEngine starts the process's PDF engine (its first worker
// process), with its compilation cache in the user's cache directory
// (extract.DefaultPDFCache), so that only the first run on a machine pays
// the engine's compilation (seconds). Documents wait for it; a failure is
// reported by the first PDF read.
func startPDFEngine() {
	_ = extract.StartPDFEngine(extract.PDFEngine{})
}
