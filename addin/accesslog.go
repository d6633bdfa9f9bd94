package addin

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// AccessLog returns the middleware that logs one line per request to log at
// debug level (info for server errors): method, route pattern, status,
// duration by now and request id. Never the user, the query or the body.
func AccessLog(log *slog.Logger, now func() time.Time) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := now()
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(sw, r)
			lvl := slog.LevelDebug
			if sw.status >= 500 {
				lvl = slog.LevelInfo
			}
			log.Log(r.Context(), lvl, "request", "method", r.Method, "route", routePattern(r), "status", sw.status,
				"ms", now().Sub(start).Milliseconds(), "requestId", middleware.GetReqID(r.Context()))
		})
	}
}
