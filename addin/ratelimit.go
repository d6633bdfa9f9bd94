package addin

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/httprate"
)

// RateLimit returns the middleware that limits each verified user to
// perMinute API calls (sliding window) and answers the others with refused.
// Counters live in counter when it is not nil (Redis, shared by replicas);
// when it fails the request goes through and log says so.
func RateLimit(perMinute int, counter httprate.LimitCounter, refused http.HandlerFunc, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		opts := []httprate.Option{
			httprate.WithLimitHandler(refused),
			httprate.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
				// A broken shared counter must not lock everyone out.
				log.Warn("rate limit counter failed", "cause", err.Error())
				next.ServeHTTP(w, r)
			}),
		}
		if counter != nil {
			opts = append(opts, httprate.WithLimitCounter(counter))
		}
		return httprate.LimitBy(perMinute, time.Minute, userKey, opts...)(next)
	}
}

// rateLimited answers a request over the limit with a rate_limited problem.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) {
	p := newProblem("rate_limited")
	p.RetryAfter = 60
	s.logProblem(r, p, nil)
	writeProblem(w, p)
}

// userKey keys the limit by a hash of the verified user, never the clear id.
func userKey(r *http.Request) (string, error) {
	id, _ := IdentityFrom(r.Context())
	sum := sha256.Sum256([]byte(id.Key()))
	return hex.EncodeToString(sum[:12]), nil
}
