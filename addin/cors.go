package addin

import (
	"net/http"

	"github.com/go-chi/cors"
)

// CORS is the middleware that lets only the configured add-in origins call
// the API from a browser. No origin configured means same-origin only.
func (s *Server) CORS(next http.Handler) http.Handler {
	if len(s.cfg.Server.CORSOrigins) == 0 {
		return next
	}
	return cors.Handler(cors.Options{
		AllowedOrigins:   s.cfg.Server.CORSOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "Last-Event-ID"},
		ExposedHeaders:   []string{"Retry-After", "X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	})(next)
}
