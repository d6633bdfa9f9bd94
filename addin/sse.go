package addin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// sseStream writes Server-Sent Events: progress, token, result and error
// events, and ": ping" heartbeat comments that keep proxies from closing an
// idle stream. Writes are serialised; after the client leaves they are no-ops.
type sseStream struct {
	mu     sync.Mutex
	w      http.ResponseWriter
	rc     *http.ResponseController
	closed bool
	stop   func()
}

// newTicker returns a tick channel and its stop function; tests replace it.
type tickerFunc func(d time.Duration) (<-chan time.Time, func())

func realTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// startSSE sends the stream headers and starts the heartbeat.
func (s *Server) startSSE(w http.ResponseWriter, r *http.Request) *sseStream {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	st := &sseStream{w: w, rc: http.NewResponseController(w)}
	_ = st.rc.Flush()
	s.metrics.streams.Inc()
	tick, stopTick := s.ticker(s.cfg.Server.Heartbeat)
	done := make(chan struct{})
	var once sync.Once
	st.stop = func() {
		once.Do(func() {
			close(done)
			stopTick()
			s.metrics.streams.Dec()
		})
	}
	go func() {
		for {
			select {
			case <-done:
				return
			case <-r.Context().Done():
				return
			case <-tick:
				st.comment("ping")
			}
		}
	}()
	return st
}

// event writes one named event with a JSON payload.
func (st *sseStream) event(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("addin: encode %s event: %w", name, err)
	}
	return st.write("event: " + name + "\ndata: " + string(data) + "\n\n")
}

// comment writes a comment line, ignored by EventSource clients.
func (st *sseStream) comment(text string) {
	_ = st.write(": " + text + "\n\n")
}

func (st *sseStream) write(s string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return http.ErrHandlerTimeout
	}
	if _, err := st.w.Write([]byte(s)); err != nil {
		st.closed = true
		return err
	}
	if err := st.rc.Flush(); err != nil {
		st.closed = true
		return err
	}
	return nil
}

// close stops the heartbeat; later writes are dropped.
func (st *sseStream) close() {
	st.stop()
	st.mu.Lock()
	st.closed = true
	st.mu.Unlock()
}
