package addin

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail/imap"
)

// hangGuard fails the test instead of hanging when an answer never comes.
var hangGuard = &http.Client{Timeout: 30 * time.Second}

func postWith(t *testing.T, c *http.Client, url, body string, hdr ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer token-alice-0123456789")
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("request failed (hang?): %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

var modelFaultTests = []struct {
	name     string
	response fakellm.Response
}{
	{"429", fakellm.Response{Status: 429, RetryAfter: "0"}},
	{"500", fakellm.Response{Status: 500}},
	{"stall", fakellm.Response{Stall: true, StallAfter: 1}},
	{"invalid json", fakellm.Response{Text: "ceci n'est pas du JSON"}},
}

// TestModelFaultsNeverHang: with the offline fallback the agent gets a
// degraded answer; without it a problem — in both cases, an answer.
func TestModelFaultsNeverHang(t *testing.T) {
	for _, tt := range modelFaultTests {
		for _, fallback := range []bool{true, false} {
			name := tt.name + map[bool]string{true: "/fallback", false: "/nofallback"}[fallback]
			t.Run(name, func(t *testing.T) {
				resp := tt.response
				p := newPipe(t, pipeOptions{
					answer: func(fakellm.Request) fakellm.Response { return resp },
					assist: func(o *assist.Options) { o.NoFallback = !fallback },
				})
				body := `{"message":` + mustJSON(rawRef(mimeMessage("Dossier DETR", piiBody))) + `}`
				for _, sse := range []bool{false, true} {
					var hdr []string
					if sse {
						hdr = []string{"Accept", "text/event-stream"}
					}
					r := postWith(t, hangGuard, p.hs.URL+"/api/v1/thread/summary", body, hdr...)
					if sse {
						events, _ := readSSE(t, r.Body)
						last := events[len(events)-1]
						if fallback && tt.name != "invalid json" && last.name != "result" {
							t.Fatalf("sse: last event %s %s, want result (degraded)", last.name, last.data)
						}
						if last.name != "result" && last.name != "error" {
							t.Fatalf("sse: stream ended with %q", last.name)
						}
						if last.name == "result" && fallback && tt.name != "invalid json" && !strings.Contains(last.data, `"degraded":true`) {
							t.Fatalf("sse: result not degraded: %s", last.data)
						}
						continue
					}
					if r.StatusCode == http.StatusOK {
						out := decode(t, r)
						if tt.name != "invalid json" && out["meta"].(map[string]any)["degraded"] != true {
							t.Fatalf("200 without degraded meta: %v", out["meta"])
						}
						continue
					}
					p := decode(t, r)
					switch p["code"] {
					case "model_unavailable", "model_timeout", "invalid_output":
					default:
						t.Fatalf("status %d problem %v", r.StatusCode, p)
					}
				}
			})
		}
	}
}

// TestModelErrorsAreProblems: without fallback a dead model is a 503 problem.
func TestModelErrorsAreProblems(t *testing.T) {
	p := newPipe(t, pipeOptions{
		answer: func(fakellm.Request) fakellm.Response { return fakellm.Response{Status: 500} },
		assist: func(o *assist.Options) { o.NoFallback = true },
	})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	wantProblem(t, resp, http.StatusServiceUnavailable, "model_unavailable")
	if a := p.audit.String(); !strings.Contains(a, `"outcome":"model_unavailable"`) {
		t.Errorf("audit = %s", a)
	}
}

// cancelWatch wraps an Assistant and reports the context error of each call when it returns.
type cancelWatch struct {
	Assistant
	done chan error
}

func (c *cancelWatch) SummarizeThread(ctx context.Context, req assist.ThreadRequest, cb assist.Callbacks) (*assist.Summary, assist.Meta, error) {
	s, m, err := c.Assistant.SummarizeThread(ctx, req, cb)
	c.done <- ctx.Err()
	return s, m, err
}

// TestClientDisconnectCancelsModelCall: the model stalls; the panel goes
// away; the model call ends with the request's context cancelled.
func TestClientDisconnectCancelsModelCall(t *testing.T) {
	watch := &cancelWatch{done: make(chan error, 1)}
	p := newPipe(t, pipeOptions{
		answer: func(fakellm.Request) fakellm.Response { return fakellm.Response{Stall: true, StallAfter: 1} },
		assist: func(o *assist.Options) { o.StallTimeout = time.Hour; o.NoFallback = true },
		wrap:   func(a Assistant) Assistant { watch.Assistant = a; return watch },
	})
	ctx, cancel := context.WithCancel(context.Background())
	body := `{"message":` + mustJSON(rawRef(mimeMessage("Dossier DETR", piiBody))) + `}`
	req, _ := http.NewRequestWithContext(ctx, "POST", p.hs.URL+"/api/v1/thread/summary", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer token-alice-0123456789")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// Read the first event (progress), then leave.
	buf := make([]byte, 64)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	select {
	case err := <-watch.done:
		if err == nil {
			t.Fatal("model call returned with a live context")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("model call not cancelled after the client left")
	}
}

// TestIMAPDown: the mail server is unreachable → 503 mail_unavailable.
func TestIMAPDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	src, err := imap.New(imap.Options{
		Addr: addr, Security: imap.Plain, Timeout: 5 * time.Second,
		Auth: imap.Auth{Password: func(string) (string, error) { return "x", nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := newPipe(t, pipeOptions{answer: summaryEcho, source: src})
	resp := postWith(t, hangGuard, p.hs.URL+"/api/v1/thread/summary", `{"message":{"source":"imap","messageId":"<x@y>"}}`)
	wantProblem(t, resp, http.StatusServiceUnavailable, "mail_unavailable")
	r := do(t, "GET", p.hs.URL+"/readyz", "", "")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz = %d", r.StatusCode)
	}
	if b, _ := io.ReadAll(r.Body); !strings.Contains(string(b), `"mail":"down"`) {
		t.Fatalf("readyz body %s", b)
	}
}

func TestRateLimitPerUser(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, func(c *config.Config) { c.Limits.RequestsPerMinute = 2 })})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	for i := 0; i < 2; i++ {
		if r := do(t, "GET", hs.URL+"/api/v1/me", "token-alice-0123456789", ""); r.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, r.StatusCode)
		}
	}
	p := wantProblem(t, do(t, "GET", hs.URL+"/api/v1/me", "token-alice-0123456789", ""), http.StatusTooManyRequests, "rate_limited")
	if p["retryAfter"] == nil {
		t.Errorf("no retryAfter: %v", p)
	}
	// Another user has their own budget.
	if r := do(t, "GET", hs.URL+"/api/v1/me", "token-bob-0123456789ab", ""); r.StatusCode != 200 {
		t.Fatalf("bob limited by alice's requests: %d", r.StatusCode)
	}
}

func TestBodyAndRawLimits(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho, config: func(c *config.Config) { c.Mail.MaxRawBytes = 1000 }})
	big := mimeMessage("Gros", strings.Repeat("x", 5000))
	wantProblem(t, p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(big)}), http.StatusRequestEntityTooLarge, "too_large")
	huge := `{"message":{"source":"raw","mime":"` + strings.Repeat("A", 1<<21) + `"}}`
	wantProblem(t, postWith(t, hangGuard, p.hs.URL+"/api/v1/thread/summary", huge), http.StatusRequestEntityTooLarge, "too_large")
	wantProblem(t, p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "graph", "id": "AAMk"}}), http.StatusNotImplemented, "not_implemented")
	wantProblem(t, p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "pop"}}), http.StatusBadRequest, "bad_request")
	wantProblem(t, postWith(t, hangGuard, p.hs.URL+"/api/v1/thread/summary", `{"message":`), http.StatusBadRequest, "bad_request")
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestRequestDeadline: a model that never answers is cut by
// server.request_timeout and the panel gets model_timeout.
func TestRequestDeadline(t *testing.T) {
	p := newPipe(t, pipeOptions{
		answer: func(fakellm.Request) fakellm.Response { return fakellm.Response{Stall: true} },
		assist: func(o *assist.Options) { o.StallTimeout = time.Hour; o.NoFallback = true },
		config: func(c *config.Config) { c.Server.RequestTimeout = 300 * time.Millisecond },
	})
	resp := postWith(t, hangGuard, p.hs.URL+"/api/v1/thread/summary", `{"message":`+mustJSON(rawRef(mimeMessage("Dossier DETR", piiBody)))+`}`)
	wantProblem(t, resp, http.StatusGatewayTimeout, "model_timeout")
}
