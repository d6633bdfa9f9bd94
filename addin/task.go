package addin

import (
	"context"
	"errors"
	"net/http"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/privacy"
)

// taskFunc runs one task on an admitted job. Its result comes back from
// assist restored, guarded and audited.
type taskFunc func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error)

// serveTask runs one task end to end and answers JSON, or SSE when asked.
// Everything that can fail before the model (auth, fetch, markings) is
// answered with a plain problem+json status even when SSE was asked.
func (s *Server) serveTask(w http.ResponseWriter, r *http.Request, task assist.Task, label, prefer string, ref Ref, key string, run taskFunc) {
	j, err := s.prepare(r.Context(), task, label, prefer, ref)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.serveJob(w, r, j, key, run)
}

// serveJob runs the model part of an admitted job and answers.
func (s *Server) serveJob(w http.ResponseWriter, r *http.Request, j *job, key string, run taskFunc) {
	ctx := r.Context()
	if !wantsSSE(r) {
		res, meta, err := run(ctx, j, assist.Callbacks{})
		if err != nil {
			s.failErr(w, r, s.modelFailed(err))
			return
		}
		s.account(j, meta)
		writeJSON(w, http.StatusOK, map[string]any{key: res, "meta": j.meta(meta)})
		return
	}

	st := s.startSSE(w, r)
	defer st.close()
	cb := assist.Callbacks{
		// Tokens arrive restored and guarded, in order, from the pass.
		Token: func(text string) { _ = st.event("token", map[string]string{"text": text}) },
		Progress: func(done, total int, stage string) {
			_ = st.event("progress", map[string]any{"stage": stage, "done": done, "total": total})
		},
	}
	_ = st.event("progress", map[string]any{"stage": "model", "done": 0, "total": 1})
	res, meta, err := run(ctx, j, cb)
	if err != nil {
		pe := s.modelFailed(err)
		s.logProblem(r, pe.p, pe.cause)
		_ = st.event("error", pe.p)
		return
	}
	s.account(j, meta)
	_ = st.event("result", map[string]any{key: res, "meta": j.meta(meta)})
}

// modelFailed counts a task failure and returns its problem.
func (s *Server) modelFailed(err error) *problemError {
	var ref *privacy.Refusal
	if errors.As(err, &ref) {
		return s.refused(err)
	}
	code := assist.Code(err)
	s.metrics.modelErrors.WithLabelValues(code).Inc()
	return problemErr(code, err)
}

// account records the metrics of a served answer.
func (s *Server) account(j *job, meta assist.Meta) {
	s.metrics.tokens.WithLabelValues(meta.Endpoint, "prompt").Add(float64(meta.PromptTokens))
	s.metrics.tokens.WithLabelValues(meta.Endpoint, "completion").Add(float64(meta.CompletionTokens))
	if meta.Cached {
		s.metrics.cacheHits.WithLabelValues(string(j.task)).Inc()
	}
}
