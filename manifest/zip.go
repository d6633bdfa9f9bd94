package manifest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"time"
)

// zipTime is the modification time of every packaged file, so that the
// same options always give byte-identical packages.
var zipTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// zipFiles packs name → content, names sorted, at the archive's root.
func zipFiles(files map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return nil, fmt.Errorf("manifest: zip %s: %w", n, err)
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, fmt.Errorf("manifest: zip %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("manifest: zip: %w", err)
	}
	return b.Bytes(), nil
}
