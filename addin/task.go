package addin

import (
	"context"
	"net/http"
	"sync"

	"github.com/plume-admin/plume/assist"
)

// taskFunc runs the model part of one task on j.safe.
type taskFunc func(ctx context.Context, j *job, cb assist.Callbacks) (mapper, assist.Meta, error)

// serveTask runs one task end to end and answers JSON, or SSE when asked.
// Everything that can fail before the model (auth, fetch, markings) is
// answered with a plain problem+json status even when SSE was asked.
func (s *Server) serveTask(w http.ResponseWriter, r *http.Request, task assist.Task, label string, ref Ref, key string, run taskFunc) {
	j, err := s.prepare(r.Context(), task, label, ref)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.serveJob(w, r, j, key, run)
}

// serveJob runs the model part of a prepared job and answers.
func (s *Server) serveJob(w http.ResponseWriter, r *http.Request, j *job, key string, run taskFunc) {
	ctx := r.Context()
	if !wantsSSE(r) {
		res, meta, err := run(ctx, j, assist.Callbacks{})
		if err != nil {
			s.failErr(w, r, s.modelFailed(j, err))
			return
		}
		s.finish(j, res)
		s.account(j, meta, "ok")
		writeJSON(w, http.StatusOK, map[string]any{key: res, "meta": j.meta(meta)})
		return
	}

	st := s.startSSE(w, r)
	defer st.close()
	var mu sync.Mutex // assist may call back from several goroutines
	guard := newStreamGuard(j.outputGuard(), func(text string) {
		_ = st.event("token", map[string]string{"text": text})
	})
	write, flush := guard.write, func() {}
	if j.session != nil {
		rs := j.session.RestoreStream(guard.write)
		write, flush = rs.Write, rs.Flush
	}
	cb := assist.Callbacks{
		Token: func(tok string) {
			mu.Lock()
			defer mu.Unlock()
			write(tok)
		},
		Progress: func(done, total int, stage string) {
			_ = st.event("progress", map[string]any{"stage": stage, "done": done, "total": total})
		},
	}
	_ = st.event("progress", map[string]any{"stage": "model", "done": 0, "total": 1})
	res, meta, err := run(ctx, j, cb)
	mu.Lock()
	flush()
	guard.flush()
	mu.Unlock()
	j.removed += guard.removed
	if err != nil {
		pe := s.modelFailed(j, err)
		s.logProblem(r, pe.p, pe.cause)
		_ = st.event("error", pe.p)
		return
	}
	s.finish(j, res)
	s.account(j, meta, "ok")
	_ = st.event("result", map[string]any{key: res, "meta": j.meta(meta)})
}

// modelFailed counts and audits a model failure and returns its problem.
func (s *Server) modelFailed(j *job, err error) *problemError {
	code := modelCode(err)
	s.metrics.modelErrors.WithLabelValues(code).Inc()
	s.audit(j, assist.Meta{Endpoint: j.endpoint}, code)
	return problemErr(code, err)
}

// account records metrics and the audit line of a served answer.
func (s *Server) account(j *job, meta assist.Meta, outcome string) {
	s.metrics.tokens.WithLabelValues(meta.Endpoint, "prompt").Add(float64(meta.PromptTokens))
	s.metrics.tokens.WithLabelValues(meta.Endpoint, "completion").Add(float64(meta.CompletionTokens))
	if meta.Cached {
		s.metrics.cacheHits.WithLabelValues(string(j.task)).Inc()
	}
	if meta.Degraded {
		outcome = "degraded"
	}
	s.audit(j, meta, outcome)
}
