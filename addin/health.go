package addin

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// handleHealthz answers 200 while the process serves requests.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readyTTL is how long a readiness answer is reused: /readyz is
// unauthenticated, and each fresh check calls the mail server and every
// model endpoint.
const readyTTL = 5 * time.Second

// readiness is the last readiness answer; one check runs at a time.
type readiness struct {
	mu     sync.Mutex
	at     time.Time
	status int
	body   map[string]any
}

// Drain makes /readyz answer 503 "draining" from now on, so that load
// balancers send no new request; requests already sent and open streams
// are served as usual. The server calls it when asked to stop, before it
// stops accepting connections.
func (s *Server) Drain() { s.draining.Store(true) }

// handleReadyz checks the mail source and the model; 503 names what is down
// (by component, never with the cause, which goes to the log). The answer
// is reused for readyTTL. A draining server answers 503 at once.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "draining"})
		return
	}
	s.readyState.mu.Lock()
	defer s.readyState.mu.Unlock()
	if s.readyState.body == nil || s.now().Sub(s.readyState.at) >= readyTTL {
		s.readyState.status, s.readyState.body = s.checkReady(r.Context())
		s.readyState.at = s.now()
	}
	writeJSON(w, s.readyState.status, s.readyState.body)
}

// checkReady pings the mail source and the model endpoints.
func (s *Server) checkReady(ctx context.Context) (int, map[string]any) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	checks := map[string]string{}
	ok := true
	check := func(name string, p Pinger) {
		if p == nil {
			checks[name] = "not configured"
			return
		}
		if err := p.Ping(ctx); err != nil {
			ok = false
			checks[name] = "down"
			s.log.Warn("readiness check failed", "component", name, "cause", err.Error())
			return
		}
		checks[name] = "ok"
	}
	if p, isPinger := s.source.(Pinger); isPinger {
		check("mail", p)
	} else {
		check("mail", nil)
	}
	if s.modelCheck != nil {
		check("model", s.modelCheck)
	} else {
		checks["model"] = "offline engine"
	}
	status := http.StatusOK
	state := "ready"
	if !ok {
		status, state = http.StatusServiceUnavailable, "unavailable"
	}
	return status, map[string]any{"status": state, "checks": checks}
}

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
