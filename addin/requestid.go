package addin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5/middleware"
)

// clientRequestID is the only form of a client's X-Request-Id that is kept:
// a short token of letters, digits, '-', '_' and '.', nothing a log reader
// could mistake for content.
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// RequestID gives each request an id for logs, audit and answers: the
// client's X-Request-Id when it has the strict form above, else one drawn
// by the server. The id is in the context where chi's middleware.GetReqID
// finds it, and in the X-Request-Id response header.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(middleware.RequestIDHeader)
		if !clientRequestID.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set(middleware.RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), middleware.RequestIDKey, id)))
	})
}
