package addin

import (
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/plume-admin/plume/manifest"
)

// manifestFile is one client manifest or package served by the server,
// generated once from the configuration by package manifest.
type manifestFile struct {
	path, contentType, filename string
	build                       func(manifest.Options) ([]byte, error)
	once                        sync.Once
	data                        []byte
	err                         error
}

func newManifestFiles() []*manifestFile {
	return []*manifestFile{
		{path: "/manifest.xml", contentType: "application/xml", filename: "manifest.xml", build: manifest.Outlook},
		{path: "/manifest.json", contentType: "application/json", filename: "manifest.json", build: manifest.Unified},
		{path: "/outlook-app.zip", contentType: "application/zip", filename: "outlook-app.zip", build: manifest.OutlookPackage},
		{path: "/plume.xpi", contentType: "application/x-xpinstall", filename: "plume.xpi", build: manifest.Thunderbird},
	}
}

// manifestRoutes serves the manifests at the root, so the files the
// clients install always match this server (its public URL).
func (s *Server) manifestRoutes(r chi.Router) {
	opts := s.cfg.Manifest
	if opts.BaseURL == "" {
		opts.BaseURL = s.cfg.Server.PublicURL
	}
	for _, f := range newManifestFiles() {
		r.Get(f.path, func(w http.ResponseWriter, r *http.Request) {
			f.once.Do(func() { f.data, f.err = f.build(opts) })
			if f.err != nil {
				// e.g. Outlook manifests need an https server.public_url.
				s.fail(w, r, "not_implemented", f.err)
				return
			}
			w.Header().Set("Content-Type", f.contentType)
			w.Header().Set("Content-Disposition", `attachment; filename="`+f.filename+`"`)
			w.Header().Set("Cache-Control", "no-cache")
			_, _ = w.Write(f.data)
		})
	}
}
