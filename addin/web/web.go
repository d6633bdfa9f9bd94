// Package web holds the side panel: plain ES modules, HTML and CSS served by
// plume and packaged into the Thunderbird extension. No build step.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// FS is the panel's files, rooted at the panel folder (index.html at its top).
var FS, _ = fs.Sub(static, "static")
