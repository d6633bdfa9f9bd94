package addin

import (
	"errors"
	"net/http"
)

// BodyLimit is the middleware that caps request bodies at n bytes; reading
// past the cap fails with *http.MaxBytesError, answered as too_large.
func BodyLimit(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeProblem(w, newProblem("too_large"))
				return
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// isTooLarge reports whether err comes from a body past its cap.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
