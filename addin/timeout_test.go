package addin

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var timeoutCases = []struct {
	name, accept string
	want         time.Duration
}{
	{"JSON request", "application/json", 30 * time.Second},
	{"event stream", "text/event-stream", 5 * time.Minute},
}

// TestTimeoutDeadline checks the request's context ends after the timeout
// of its kind, without sleeping.
func TestTimeoutDeadline(t *testing.T) {
	mw := Timeout(30*time.Second, 5*time.Minute)
	for _, tc := range timeoutCases {
		t.Run(tc.name, func(t *testing.T) {
			var got time.Time
			h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = r.Context().Deadline()
			}))
			r := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
			r.Header.Set("Accept", tc.accept)
			before := time.Now()
			h.ServeHTTP(httptest.NewRecorder(), r)
			after := time.Now()
			if got.Before(before.Add(tc.want)) || got.After(after.Add(tc.want)) {
				t.Errorf("deadline = %v, want %v after the request", got, tc.want)
			}
		})
	}
}
