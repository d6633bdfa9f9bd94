package addin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// Authenticate is the middleware that verifies the caller with auth and
// stores its [Identity] in the request's context; a request that cannot
// be verified is answered 401 (403 for the demo off loopback), the cause
// going to log. An address with too many failed authentications in the
// minute (fails) is answered 429 before its token is looked at.
func Authenticate(auth *authenticator, fails *failedAuth, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			addr := fails.client(r)
			if over, wait := fails.blocked(addr); over {
				p := newProblem("rate_limited")
				p.RetryAfter = wait
				logProblem(log, r, p, errors.New("addin: too many failed authentications from this address"))
				writeProblem(w, p)
				return
			}
			id, err := auth.authenticate(r)
			if err != nil {
				fails.failed(addr)
				w.Header().Set("WWW-Authenticate", `Bearer realm="plume"`)
				code := "unauthorized"
				if errors.Is(err, ErrNotLoopback) {
					code = "forbidden"
				}
				p := newProblem(code)
				logProblem(log, r, p, err)
				writeProblem(w, p)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey, id)))
		})
	}
}
