package addin

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Timeout is the middleware that bounds one request: the context is
// cancelled after server.request_timeout (server.stream_timeout for SSE),
// which cancels the mail and model calls, and the write deadline follows.
func (s *Server) Timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := s.cfg.Server.RequestTimeout
		if wantsSSE(r) {
			d = s.cfg.Server.StreamTimeout
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		// Leave time to write the timeout problem after the context ends.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d + 10*time.Second))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// wantsSSE reports whether the client asked for an event stream.
func wantsSSE(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}
