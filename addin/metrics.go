package addin

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the Prometheus collectors of one server. Labels are route
// patterns, task names, endpoint names and codes: never content, never users.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	tokens      *prometheus.CounterVec
	cacheHits   *prometheus.CounterVec
	modelErrors *prometheus.CounterVec
	refusals    *prometheus.CounterVec
	streams     prometheus.Gauge
}

func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plume_http_requests_total", Help: "API requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "plume_http_request_duration_seconds", Help: "API request latency by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
		}, []string{"route"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plume_model_tokens_total", Help: "Model tokens by endpoint and direction (prompt, completion).",
		}, []string{"endpoint", "direction"}),
		cacheHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plume_cache_hits_total", Help: "Answers served from the result cache, by task.",
		}, []string{"task"}),
		modelErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plume_model_errors_total", Help: "Model call failures by problem code.",
		}, []string{"code"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plume_refusals_total", Help: "Requests refused by the privacy gate, by code.",
		}, []string{"code"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "plume_sse_streams_open", Help: "Server-Sent Events streams currently open.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.tokens, m.cacheHits, m.modelErrors, m.refusals, m.streams)
	return m
}

// Metrics returns the middleware that counts requests in requests (route
// pattern, method, status) and their latency by now in latency (route
// pattern): bounded cardinality.
func Metrics(requests *prometheus.CounterVec, latency *prometheus.HistogramVec, now func() time.Time) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := now()
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(sw, r)
			route := routePattern(r)
			requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
			latency.WithLabelValues(route).Observe(now().Sub(start).Seconds())
		})
	}
}

// handleMetrics serves /metrics in the Prometheus text format; with
// server.metrics_token set, only to a scraper that presents it.
func (s *Server) handleMetrics() http.Handler {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	want := s.cfg.Server.MetricsToken
	if want == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			writeProblem(w, newProblem("unauthorized"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// statusWriter records the status code; it keeps Flush and Unwrap working
// for SSE through http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush forwards to the underlying writer when it can flush.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// routePattern is the chi route pattern that served r ("unmatched" when
// none did): a label of bounded cardinality, never the raw path.
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
