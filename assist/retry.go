package assist

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RetryPolicy configures the package's single retry layer. The zero value
// works: each field documents its default.
type RetryPolicy struct {
	// MaxAttempts is the number of tries of one request; zero means 3.
	MaxAttempts int
	// MaxTotal bounds the time spent waiting between tries of one request;
	// a Retry-After past what is left ends the retries. Zero means 20 s.
	MaxTotal time.Duration
	// BaseDelay is the first backoff when no Retry-After is given (doubled
	// each try, with jitter); zero means 500 ms.
	BaseDelay time.Duration
	// MaxDelay caps one backoff; zero means 8 s.
	MaxDelay time.Duration
	// FailureThreshold is the number of consecutive failed requests that
	// opens the circuit; zero means 5.
	FailureThreshold int
	// Cooldown is how long an open circuit refuses requests before letting
	// one through; zero means 30 s.
	Cooldown time.Duration
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer. Tests inject a
	// recorder so they never wait.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.MaxTotal <= 0 {
		p.MaxTotal = 20 * time.Second
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 8 * time.Second
	}
	if p.FailureThreshold <= 0 {
		p.FailureThreshold = 5
	}
	if p.Cooldown <= 0 {
		p.Cooldown = 30 * time.Second
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	return p
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UnavailableError says why a model endpoint gave no answer. It wraps
// [ErrModelUnavailable] and is not a net.Error, so model clients that mask
// network errors keep it intact.
type UnavailableError struct {
	// Reason is a short plain statement ("circuit open", "HTTP 503 after 3 attempts").
	Reason string
	// Status is the last HTTP status, 0 when none.
	Status int
	// RetryAfter is the server's last Retry-After, 0 when none.
	RetryAfter time.Duration
	cause      error
}

func (e *UnavailableError) Error() string {
	return "assist: model unavailable: " + e.Reason
}

// Unwrap returns ErrModelUnavailable and the transport error, if any.
func (e *UnavailableError) Unwrap() []error {
	if e.cause != nil {
		return []error{ErrModelUnavailable, e.cause}
	}
	return []error{ErrModelUnavailable}
}

// Transport is an http.RoundTripper (and the Do method model clients call)
// that retries 429 and 5xx answers and connection failures, honours
// Retry-After within a bounded total time, and holds the circuit breaker of
// one endpoint. Build one per endpoint.
type Transport struct {
	base http.RoundTripper
	p    RetryPolicy

	mu       sync.Mutex
	failures int
	openTill time.Time
	probing  bool
}

var _ http.RoundTripper = (*Transport)(nil)

// NewTransport wraps base (nil means http.DefaultTransport) with the policy.
func NewTransport(base http.RoundTripper, p RetryPolicy) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{base: base, p: p.withDefaults()}
}

// Do sends req; it lets a Transport serve as langchaingo's HTTP client
// without http.Client wrapping (and masking) its errors.
func (t *Transport) Do(req *http.Request) (*http.Response, error) { return t.RoundTrip(req) }

// Open reports whether the circuit currently refuses requests.
func (t *Transport) Open() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.p.Now().Before(t.openTill)
}

// RoundTrip sends the request with retries.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.admit(); err != nil {
		return nil, err
	}
	ctx := req.Context()
	start := t.p.Now()
	var last *UnavailableError
	attempt := 1
	for ; ; attempt++ {
		r := req
		if attempt > 1 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					t.record(false)
					return nil, fmt.Errorf("assist: retry body: %w", err)
				}
				r.Body = body
			}
		}
		resp, err := t.base.RoundTrip(r)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				// The caller gave up (deadline or stall): not the endpoint's fault alone.
				t.record(false)
				return nil, err
			}
			last = &UnavailableError{Reason: "connection failed", cause: err}
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			ra := retryAfter(resp.Header.Get("Retry-After"), t.p.Now())
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			last = &UnavailableError{Reason: fmt.Sprintf("HTTP %d", resp.StatusCode), Status: resp.StatusCode, RetryAfter: ra}
		default:
			t.record(true)
			return resp, nil
		}
		if attempt >= t.p.MaxAttempts || (req.Body != nil && req.GetBody == nil) {
			break
		}
		wait := last.RetryAfter
		if wait <= 0 {
			wait = t.backoff(attempt)
		}
		if t.p.Now().Sub(start)+wait > t.p.MaxTotal {
			last.Reason += ", retry delay past the time budget"
			break
		}
		if err := t.p.Sleep(ctx, wait); err != nil {
			t.record(false)
			return nil, err
		}
	}
	last.Reason = fmt.Sprintf("%s, %d attempt(s)", last.Reason, attempt)
	t.record(false)
	return nil, last
}

func (t *Transport) backoff(attempt int) time.Duration {
	d := t.p.BaseDelay << (attempt - 1)
	if d > t.p.MaxDelay || d <= 0 {
		d = t.p.MaxDelay
	}
	// up to 20% jitter, spreading retries of several replicas
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// admit refuses requests while the circuit is open; after the cooldown it
// lets exactly one probe through (half-open).
func (t *Transport) admit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.p.Now()
	if t.failures < t.p.FailureThreshold {
		return nil
	}
	if now.Before(t.openTill) || t.probing {
		return &UnavailableError{Reason: "circuit open"}
	}
	t.probing = true
	return nil
}

func (t *Transport) record(ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.probing = false
	if ok {
		t.failures = 0
		t.openTill = time.Time{}
		return
	}
	t.failures++
	if t.failures >= t.p.FailureThreshold {
		t.openTill = t.p.Now().Add(t.p.Cooldown)
	}
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// isUnavailable reports whether err says the model could not answer.
func isUnavailable(err error) bool {
	var ue *UnavailableError
	return errors.As(err, &ue) || errors.Is(err, ErrModelUnavailable)
}
