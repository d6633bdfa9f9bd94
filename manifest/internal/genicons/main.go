// Command genicons writes Plume's icons (manifest.Icon) as PNG files into a
// folder, by default the panel's icons folder served under /panel/icons/.
// Run it through `go generate ./manifest`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/plume-admin/plume/manifest"
)

func main() {
	dir := flag.String("o", "addin/web/static/icons", "output folder")
	flag.Parse()
	if err := write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "genicons:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, size := range manifest.IconSizes {
		b, err := manifest.Icon(size)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, manifest.IconName(size)), b, 0o644); err != nil {
			return err
		}
	}
	b, err := manifest.OutlineIcon()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifest.OutlineName), b, 0o644)
}
