package addin

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/plume-admin/plume/assist"
)

// gate holds SummarizeThread until released.
type gate struct {
	Assistant
	release chan struct{}
}

func (g *gate) SummarizeThread(ctx context.Context, req assist.ThreadRequest, cb assist.Callbacks) (*assist.Summary, assist.Meta, error) {
	<-g.release
	return g.Assistant.SummarizeThread(ctx, req, cb)
}

// TestSSEHeartbeat: while the model works, the stream carries ": ping"
// comments at each heartbeat tick (the ticker is injected).
func TestSSEHeartbeat(t *testing.T) {
	g := &gate{release: make(chan struct{})}
	p := newPipe(t, pipeOptions{answer: summaryEcho, wrap: func(a Assistant) Assistant { g.Assistant = a; return g }})
	ticks := make(chan time.Time)
	p.srv.ticker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))}, "Accept", "text/event-stream")
	r := bufio.NewReader(resp.Body)
	readUntil := func(prefix string) {
		t.Helper()
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended before %q: %v", prefix, err)
			}
			if strings.HasPrefix(line, prefix) {
				return
			}
		}
	}
	readUntil("event: progress")
	ticks <- testNow
	readUntil(": ping")
	var gm dto.Metric
	if err := p.srv.metrics.streams.Write(&gm); err != nil {
		t.Fatal(err)
	}
	if v := gm.GetGauge().GetValue(); v != 1 {
		t.Errorf("open streams gauge = %v, want 1", v)
	}
	close(g.release)
	readUntil("event: result")
}

// TestMetricsHaveNoUserOrContent: labels are routes, codes and endpoints only.
func TestMetricsHaveNoUserOrContent(t *testing.T) {
	reg := prometheus.NewRegistry()
	p := newPipe(t, pipeOptions{answer: summaryEcho})
	// A private registry to read back.
	srv, err := New(Options{Config: p.srv.cfg, Assistant: p.srv.assistant, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, srv)
	body, _ := json.Marshal(map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	do(t, "POST", hs.URL+"/api/v1/thread/summary", "token-alice-0123456789", string(body))
	do(t, "POST", hs.URL+"/api/v1/thread/summary", "token-alice-0123456789", `{"message":{"source":"raw","mime":"`+b64(mimeMessage("[DR] x", drBody))+`"}}`)
	resp := do(t, "GET", hs.URL+"/metrics", "", "")
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	m := b.String()
	for _, want := range []string{`plume_http_requests_total{method="POST",route="/api/v1/thread/summary",status="200"} 1`,
		`plume_model_tokens_total{direction="prompt",endpoint="cloud"}`, `plume_refusals_total{code="refused_marking"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, bad := range []string{"alice", "DETR", "06 12", "dupont"} {
		if strings.Contains(strings.ToLower(m), strings.ToLower(bad)) {
			t.Errorf("metrics contain %q", bad)
		}
	}
}

func TestCORS(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, func(c *config.Config) { c.Server.CORSOrigins = []string{"https://outlook.office.com"} })})
	if err != nil {
		t.Fatal(err)
	}
	hs := startServer(t, s)
	for _, tt := range []struct {
		origin string
		allow  bool
	}{{"https://outlook.office.com", true}, {"https://evil.example", false}} {
		req, _ := http.NewRequest("OPTIONS", hs.URL+"/api/v1/thread/summary", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Origin")
		if (got == tt.origin) != tt.allow {
			t.Errorf("origin %s: Access-Control-Allow-Origin = %q", tt.origin, got)
		}
	}
}
