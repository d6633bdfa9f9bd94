package addin

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/plume-admin/plume/addin/web"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// ThreadSource reads the caller's own mail: package mail/imap's Source and
// package graph satisfy it.
type ThreadSource interface {
	// Thread returns the thread holding the message with this Message-ID (or source id).
	Thread(ctx context.Context, c mail.Caller, ref string) (*mail.Thread, error)
	// Attachment returns one attachment's description and decoded bytes.
	Attachment(ctx context.Context, c mail.Caller, ref, partPath string) (mail.Attachment, []byte, error)
}

// GraphSource reads the caller's own mail through Microsoft Graph; package
// graph's Source satisfies it.
type GraphSource interface {
	// Thread returns the conversation of the message with this Graph id.
	Thread(ctx context.Context, c mail.Caller, id, conversationID string) (*mail.Thread, error)
	// Attachment returns one attachment of a message by Graph ids.
	Attachment(ctx context.Context, c mail.Caller, messageID, attachmentID string) (mail.Attachment, []byte, error)
}

// RecentSource lists the newest messages of the caller's INBOX (demo picker).
type RecentSource interface {
	Recent(ctx context.Context, c mail.Caller, limit int) ([]*mail.Message, error)
}

// Pinger is a dependency that /readyz checks.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options configures a [Server]. Config is required; every other field has
// a working zero value.
type Options struct {
	// Config is the validated configuration (defaults applied).
	Config *config.Config
	// Source reads IMAP mail; nil means only raw MIME references work.
	Source ThreadSource
	// Graph reads Graph references; nil answers them not_implemented.
	Graph GraphSource
	// Assistant answers the tasks; nil answers model_unavailable.
	Assistant Assistant
	// Gate is the privacy gate every task request goes through (markings,
	// routing, pseudonymisation, audit); nil builds it from Config with no
	// audit log.
	Gate *privacy.Gate
	// ModelCheck is checked by /readyz; nil means no remote model to check.
	ModelCheck Pinger
	// Logger receives causes and request logs; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTPClient is used for OIDC discovery and JWKS; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Registry receives the metrics; nil creates a private registry with Go and process collectors.
	Registry *prometheus.Registry
	// Panel is the panel's files served at /panel/; nil means web.FS.
	Panel fs.FS
	// LimitCounter shares rate-limit counters (Redis); nil keeps them in memory.
	LimitCounter httprate.LimitCounter
	// Version is reported by /healthz.
	Version string
}

// Server is the panel API. Create it with [New] and serve [Server.Routes].
type Server struct {
	cfg          *config.Config
	source       ThreadSource
	graph        GraphSource
	assistant    Assistant
	gate         *privacy.Gate
	modelCheck   Pinger
	log          *slog.Logger
	now          func() time.Time
	auth         *authenticator
	authFails    *failedAuth
	metrics      *metrics
	panel        fs.FS
	limitCounter httprate.LimitCounter
	version      string
	ticker       tickerFunc
	readyState   readiness
	draining     atomic.Bool // set by Drain
}

// ErrNoConfig reports a missing Options.Config.
var ErrNoConfig = errors.New("addin: Options.Config is required")

// New builds a server from opts.
func New(opts Options) (*Server, error) {
	if opts.Config == nil {
		return nil, ErrNoConfig
	}
	s := &Server{
		cfg:          opts.Config,
		source:       opts.Source,
		graph:        opts.Graph,
		assistant:    opts.Assistant,
		gate:         opts.Gate,
		modelCheck:   opts.ModelCheck,
		log:          opts.Logger,
		now:          opts.Now,
		panel:        opts.Panel,
		limitCounter: opts.LimitCounter,
		version:      opts.Version,
		ticker:       realTicker,
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.panel == nil {
		s.panel = web.FS
	}
	if s.gate == nil {
		g, err := s.cfg.Gate(nil, s.log, s.now)
		if err != nil {
			return nil, err
		}
		s.gate = g
	}
	s.metrics = newMetrics(opts.Registry)
	s.auth = newAuthenticator(s.cfg.Auth, s.now, opts.HTTPClient)
	s.authFails = newFailedAuth(s.cfg.Limits.AuthFailuresPerMinute, s.cfg.Server.TrustedProxies, s.now)
	return s, nil
}

// Routes returns the whole HTTP handler: API, health, metrics, panel.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(
		RequestID,
		Metrics(s.metrics.requests, s.metrics.latency, s.now),
		AccessLog(s.log, s.now),
		Recover(s.log),
		SecurityHeaders,
		Timeout(s.cfg.Server.RequestTimeout, s.cfg.Server.StreamTimeout),
	)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { writeProblem(w, newProblem("not_found")) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, newProblem("method_not_allowed"))
	})

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Method(http.MethodGet, "/metrics", s.handleMetrics())
	r.Mount("/", s.panelRoutes())
	r.Mount("/api/v1", s.apiRoutes())
	return r
}

// apiRoutes is everything under /api/v1.
func (s *Server) apiRoutes() chi.Router {
	r := chi.NewRouter()
	r.Use(CORS(s.cfg.Server.CORSOrigins))
	r.Get("/openapi.json", s.handleOpenAPI)
	r.Group(func(r chi.Router) {
		r.Use(Authenticate(s.auth, s.authFails, s.log), RateLimit(s.cfg.Limits.RequestsPerMinute, s.limitCounter, s.rateLimited, s.log))
		r.Get("/me", s.handleMe)
		r.Get("/threads", s.handleThreads)
		r.Mount("/thread", s.threadRoutes())
		r.Mount("/attachment", s.attachmentRoutes())
		r.Mount("/actions", s.actionRoutes())
		r.With(BodyLimit(s.rawBodyLimit())).Post("/draft", s.handleDraft)
	})
	return r
}

// HTTPServer returns an http.Server with the configured timeouts. Its
// WriteTimeout is zero: each request sets its own deadline (see [Timeout]).
func (s *Server) HTTPServer() *http.Server {
	c := s.cfg.Server
	return &http.Server{
		Addr:              c.Listen,
		Handler:           s.Routes(),
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
