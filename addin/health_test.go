package addin

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"
	"github.com/plume-admin/plume/mail"
)

// pingSource is a mail source that only answers pings, and counts them.
type pingSource struct{ pings atomic.Int32 }

func (p *pingSource) Thread(context.Context, mail.Caller, string) (*mail.Thread, error) {
	return nil, mail.ErrNotFound
}
func (p *pingSource) Attachment(context.Context, mail.Caller, string, string) (mail.Attachment, []byte, error) {
	return mail.Attachment{}, nil, mail.ErrNotFound
}
func (p *pingSource) Ping(context.Context) error { p.pings.Add(1); return nil }

// TestReadyzIsReused: /readyz is unauthenticated; a burst of calls checks
// the mail server once per readyTTL, not once per call.
func TestReadyzIsReused(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow.UnixNano())
	src := &pingSource{}
	s, err := New(Options{Config: testConfig(t, nil), Source: src, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	for range 5 {
		if r := do(t, "GET", hs.URL+"/readyz", "", ""); r.StatusCode != http.StatusOK {
			t.Fatalf("readyz %d", r.StatusCode)
		}
	}
	if n := src.pings.Load(); n != 1 {
		t.Fatalf("%d pings for 5 calls within %s", n, readyTTL)
	}
	now.Add(int64(readyTTL))
	do(t, "GET", hs.URL+"/readyz", "", "")
	if n := src.pings.Load(); n != 2 {
		t.Fatalf("%d pings after %s", n, readyTTL)
	}
}

// TestReadyzDraining: once Drain is called, /readyz answers 503 at once
// (not after its cached answer expires) while the API still serves.
func TestReadyzDraining(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, nil), Source: &pingSource{}})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	if r := do(t, "GET", hs.URL+"/readyz", "", ""); r.StatusCode != http.StatusOK {
		t.Fatalf("readyz before draining: %d", r.StatusCode)
	}
	s.Drain()
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/readyz", "", http.StatusServiceUnavailable},
		{"/api/v1/me", "token-alice-0123456789", http.StatusOK},
		{"/healthz", "", http.StatusOK},
	} {
		if r := do(t, "GET", hs.URL+c.path, c.token, ""); r.StatusCode != c.want {
			t.Errorf("%s while draining: %d, want %d", c.path, r.StatusCode, c.want)
		}
	}
}

func TestMetricsToken(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, func(c *config.Config) { c.Server.MetricsToken = "scraper-token-0123456789" })})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	if r := do(t, "GET", hs.URL+"/metrics", "", ""); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", r.StatusCode)
	}
	if r := do(t, "GET", hs.URL+"/metrics", "token-alice-0123456789", ""); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a user's token: %d", r.StatusCode)
	}
	if r := do(t, "GET", hs.URL+"/metrics", "scraper-token-0123456789", ""); r.StatusCode != http.StatusOK {
		t.Fatalf("scraper token: %d", r.StatusCode)
	}
}
