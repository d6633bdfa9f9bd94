package addin

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// AccessLog is the middleware that logs one line per request at debug
// level (info for server errors): method, route pattern, status, duration
// and request id. Never the user, the query or the body.
func (s *Server) AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := routePattern(r)
		lvl := slog.LevelDebug
		if sw.status >= 500 {
			lvl = slog.LevelInfo
		}
		s.log.Log(r.Context(), lvl, "request", "method", r.Method, "route", route, "status", sw.status,
			"ms", time.Since(start).Milliseconds(), "requestId", middleware.GetReqID(r.Context()))
	})
}
