package addin

import (
	"net/http"

	"github.com/go-chi/cors"
)

// CORS returns the middleware that lets only origins (the add-in hosts)
// call the API from a browser. No origin means same-origin only.
func CORS(origins []string) func(http.Handler) http.Handler {
	if len(origins) == 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return cors.Handler(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Authorization", "Content-Type", "Accept", "Last-Event-ID"},
		ExposedHeaders:   []string{"Retry-After", "X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	})
}
