package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestZZScratch(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	lookTesseract = func() (string, error) { return "", os.ErrNotExist }
	inWorker = true
	_ = startEngine(PDFEngine{CacheDir: workerCache(DefaultPDFCache())}, false)
	files, _ := filepath.Glob(os.Getenv("ZZ") + "/*")
	var total time.Duration
	for _, f := range files {
		data, _ := os.ReadFile(f)
		start := time.Now()
		b := &budget{ctx: context.Background(), lim: Limits{Timeout: time.Minute}.withDefaults()}
		doc := &Document{}
		_ = readPDFium(b, data, doc, 2)
		total += time.Since(start)
	}
	t.Log(total)
}
