package addin

import (
	"log/slog"
	"net/http"
)

// Recover returns the middleware that turns a panic into an internal
// problem and logs it to log (path and panic value, never the body).
func Recover(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic", "path", r.URL.Path, "panic", panicString(v))
					writeProblem(w, newProblem("internal"))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

func panicString(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "non-error panic"
}
