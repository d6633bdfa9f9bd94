package addin

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// panelRoutes serves the panel at /panel/ and redirects / to it.
func (s *Server) panelRoutes() chi.Router {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/panel/", http.StatusFound)
	})
	files := http.StripPrefix("/panel/", http.FileServerFS(s.panel))
	r.Get("/panel", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/panel/", http.StatusMovedPermanently)
	})
	r.Get("/panel/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
	s.manifestRoutes(r)
	return r
}
