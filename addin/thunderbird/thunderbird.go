// Package thunderbird holds the sources of Plume's Thunderbird MailExtension
// (background script, popup glue). Package manifest adds manifest.json, the
// panel files and icons, and zips them into plume.xpi.
package thunderbird

import (
	"embed"
	"io/fs"
)

//go:embed src
var src embed.FS

// FS is the extension's own files, rooted at the extension's top folder.
var FS, _ = fs.Sub(src, "src")
