package addin

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/go-chi/httprate"
)

// RateLimit is the middleware that limits each verified user to
// limits.requests_per_minute API calls (sliding window). Counters live in
// Redis when cache.redis_url is set, so replicas share them.
func (s *Server) RateLimit(next http.Handler) http.Handler {
	opts := []httprate.Option{
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			p := newProblem("rate_limited")
			p.RetryAfter = 60
			s.logProblem(r, p, nil)
			writeProblem(w, p)
		}),
		httprate.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			// A broken shared counter must not lock everyone out: let the
			// request through and log it.
			s.log.Warn("rate limit counter failed", "cause", err.Error())
			next.ServeHTTP(w, r)
		}),
	}
	if s.limitCounter != nil {
		opts = append(opts, httprate.WithLimitCounter(s.limitCounter))
	}
	return httprate.LimitBy(s.cfg.Limits.RequestsPerMinute, time.Minute, userKey, opts...)(next)
}

// userKey keys the limit by a hash of the verified user, never the clear id.
func userKey(r *http.Request) (string, error) {
	id, _ := IdentityFrom(r.Context())
	sum := sha256.Sum256([]byte(id.User))
	return hex.EncodeToString(sum[:12]), nil
}
