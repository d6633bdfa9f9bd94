package addin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/internal/testenv"
)

// startRedis runs a private redis-server on a free loopback port.
func startRedis(t *testing.T) string {
	t.Helper()
	bin := testenv.RequireBinary(t, "redis-server", "apt-get install redis-server")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	// Pdeathsig: a test binary killed on timeout takes its server with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	r, err := NewRedis(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; ; i++ { // wait for the server to accept connections
		if err := r.Ping(context.Background()); err == nil {
			break
		} else if i == 200 {
			t.Fatalf("redis-server did not start: %v", err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	return url
}

func TestRedisCache(t *testing.T) {
	r, err := NewRedis(startRedis(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := r.Cache()
	ctx := context.Background()
	if _, ok := c.Get(ctx, "k"); ok {
		t.Fatal("hit on an empty cache")
	}
	c.Set(ctx, "k", []byte(`{"summary":"x"}`), time.Minute)
	if v, ok := c.Get(ctx, "k"); !ok || string(v) != `{"summary":"x"}` {
		t.Fatalf("get = %q %v", v, ok)
	}
}

// TestRedisSharedRateLimit: two replicas share one user's budget.
func TestRedisSharedRateLimit(t *testing.T) {
	url := startRedis(t)
	var urls []string
	for i := 0; i < 2; i++ {
		r, err := NewRedis(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		s, err := New(Options{Config: testConfig(t, func(c *config.Config) { c.Limits.RequestsPerMinute = 3 }), LimitCounter: r.LimitCounter()})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, startServer(t, s).URL)
	}
	codes := []int{}
	for i := 0; i < 4; i++ {
		codes = append(codes, do(t, "GET", urls[i%2]+"/api/v1/me", "token-alice-0123456789", "").StatusCode)
	}
	if fmt.Sprint(codes) != fmt.Sprint([]int{200, 200, 200, http.StatusTooManyRequests}) {
		t.Fatalf("codes across replicas = %v", codes)
	}
}
