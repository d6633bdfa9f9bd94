package addin

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Timeout returns the middleware that bounds one request: its context ends
// after request (stream for a client asking for SSE), which cancels the mail
// and model calls, and the write deadline follows. Both are real timers, so
// no clock is injected: a server's test clock stands still.
func Timeout(request, stream time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d := request
			if wantsSSE(r) {
				d = stream
			}
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			// Leave time to write the timeout problem after the context ends.
			_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d + 10*time.Second))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// wantsSSE reports whether the client asked for an event stream.
func wantsSSE(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}
