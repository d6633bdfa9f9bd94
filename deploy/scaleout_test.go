package deploy

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/internal/testenv"
)

// The scale-out test: two real `plume serve` processes behind the HAProxy
// example, sharing a real Redis and the fake OpenAI-compatible model, all
// on loopback. It proves what docs/deploy.md promises: a result computed
// by one replica is served from the shared cache by the other, rate limits
// hold across replicas, and SIGTERM to a replica during a run of requests
// and streams loses none of them (its readiness turns 503 first).

const (
	// perMinute is limits.requests_per_minute of the replicas.
	perMinute = 20
	// modelDelay is how long the fake model takes to answer; slowDelay is
	// its time for a thread holding slowMarker, longer than drainDelay so
	// the answer is still on its way when the listener closes.
	modelDelay = 150 * time.Millisecond
	slowDelay  = 2500 * time.Millisecond
	drainDelay = 1500 * time.Millisecond
	slowMarker = "TRAITEMENT LENT"
)

// replica is one running `plume serve`.
type replica struct {
	name string
	url  string
	proc *process
	log  *testenv.SyncBuffer
}

// cluster is the replicas, HAProxy in front of them, and the fake model.
type cluster struct {
	replicas [2]*replica
	proxy    string
	model    *fakellm.Server
	calls    atomic.Int64 // model calls
	client   *http.Client
}

func TestScaleOut(t *testing.T) {
	c := startCluster(t)
	t.Run("shared cache", c.testSharedCache)
	t.Run("shared rate limit", c.testSharedRateLimit)
	t.Run("SIGTERM loses nothing", c.testRollingStop)
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	haproxy := testenv.RequireBinary(t, "haproxy", "make deps installs haproxy", "/usr/sbin/haproxy")
	redisURL := startRedis(t)
	bin := plumeBinary(t)
	c := &cluster{client: &http.Client{Timeout: 20 * time.Second}}
	c.model = fakellm.New(fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		c.calls.Add(1)
		d := modelDelay
		if strings.Contains(r.Prompt(), slowMarker) {
			d = slowDelay
		}
		time.Sleep(d)
		b, _ := json.Marshal(assist.Summary{Summary: "Demande de pièces complémentaires pour le dossier.", KeyPoints: []string{"Réponse attendue."}})
		return fakellm.Response{Text: string(b)}
	}})
	t.Cleanup(c.model.Close)

	var tokens []string
	for i := range 10 {
		tokens = append(tokens, fmt.Sprintf("{token: %s, user: agent%d}", token(i), i))
	}
	conf := fmt.Sprintf(`server: {public_url: "http://127.0.0.1", drain_delay: %s, shutdown_timeout: 10s}
auth: {static_tokens: [%s]}
mail: {source: raw}
llm: {endpoints: [{name: fake, base_url: %q, model: fake}], timeout: 10s}
privacy: {audit_path: "off", audit_salt: scale-out}
limits: {requests_per_minute: %d}
cache: {redis_url: %q}
log: {level: warn}
`, drainDelay, strings.Join(tokens, ", "), c.model.URL(), perMinute, redisURL)
	path := filepath.Join(t.TempDir(), "plume.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range c.replicas {
		addr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
		r := &replica{name: fmt.Sprintf("plume%d", i+1), url: "http://" + addr, log: &testenv.SyncBuffer{}}
		cmd := exec.Command(bin, "serve", "--config", path, "--listen", addr)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		r.proc = startProcess(t, cmd, r.log)
		c.replicas[i] = r
	}
	for _, r := range c.replicas {
		c.waitStatus(t, r.url+"/readyz", http.StatusOK, r.log)
	}

	port := testenv.FreePort(t)
	cfg := haproxyExample(t,
		"    bind :80\n", fmt.Sprintf("    bind 127.0.0.1:%d\n", port),
		"    bind :443 ssl crt /etc/haproxy/certs/plume.pem alpn h2,http/1.1\n", "",
		"    http-request redirect scheme https code 301 unless { ssl_fc }\n", "",
		"plume1.prefecture.example.gouv.fr:8080", strings.TrimPrefix(c.replicas[0].url, "http://"),
		"plume2.prefecture.example.gouv.fr:8080", strings.TrimPrefix(c.replicas[1].url, "http://"),
		// Faster checks than the example's 2s × 2, still well under drain_delay.
		"inter 2s fall 2 rise 2", "inter 200ms fall 2 rise 1",
		// Which replica answered, for the test.
		"    balance leastconn\n", "    balance leastconn\n    http-response set-header X-Served-By %s\n",
	)
	hlog := &testenv.SyncBuffer{}
	startProcess(t, exec.Command(haproxy, "-db", "-f", cfg), hlog)
	c.proxy = fmt.Sprintf("http://127.0.0.1:%d", port)
	// Both replicas are in rotation once each has answered through HAProxy.
	seen := map[string]bool{}
	deadline := time.Now().Add(10 * time.Second)
	for len(seen) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("HAProxy did not route to both replicas (saw %v)\n%s", seen, hlog)
		}
		if resp, err := c.client.Get(c.proxy + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				seen[resp.Header.Get("X-Served-By")] = true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c
}

// token is the static bearer token of user agentN.
func token(n int) string { return fmt.Sprintf("scale-out-token-%02d", n) }

// waitStatus polls url until it answers want.
func (c *cluster) waitStatus(t *testing.T, url string, want int, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := c.client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never answered %d (last: %v)\n%s", url, want, err, log)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// answer is what one summary request came back with.
type answer struct {
	status   int
	servedBy string
	cached   bool
	summary  string
	err      error
}

// summarize posts a summary request for a thread whose body is text, as
// user n, to base; stream asks for server-sent events.
func (c *cluster) summarize(base string, n int, text string, stream bool) answer {
	mime := "From: Jean Dupont <jean.dupont@mairie-exemple.fr>\r\nTo: Julien Caron <julien.caron@somme.gouv.example>\r\n" +
		"Subject: Dossier de subvention\r\nDate: Mon, 02 Mar 2026 09:00:00 +0100\r\nMessage-ID: <scale@mairie-exemple.fr>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\n\r\n" + text + "\r\n\r\nCordialement,\r\nJean Dupont\r\n"
	body, _ := json.Marshal(map[string]any{"message": map[string]string{"source": "raw", "mime": base64.StdEncoding.EncodeToString([]byte(mime))}})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/api/v1/thread/summary", strings.NewReader(string(body)))
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Authorization", "Bearer "+token(n))
	req.Header.Set("Content-Type", "application/json")
	if stream {
		req.Header.Set("Accept", "text/event-stream")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, servedBy: resp.Header.Get("X-Served-By")}
	data, err := readResult(resp.Body, stream)
	if err != nil {
		a.err = err
		return a
	}
	var out struct {
		Summary assist.Summary `json:"summary"`
		Meta    struct {
			Cached bool `json:"cached"`
		} `json:"meta"`
	}
	if a.status == http.StatusOK {
		if err := json.Unmarshal(data, &out); err != nil {
			a.err = fmt.Errorf("decode %q: %w", data, err)
		}
	}
	a.summary, a.cached = out.Summary.Summary, out.Meta.Cached
	return a
}

// readResult returns the JSON answer, or the data of a stream's "result"
// event (an error if the stream ends without one).
func readResult(r io.Reader, stream bool) ([]byte, error) {
	if !stream {
		return io.ReadAll(r)
	}
	br := bufio.NewReader(r)
	event := ""
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("stream ended without a result event: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "result":
			return []byte(strings.TrimPrefix(line, "data: ")), nil
		case strings.HasPrefix(line, "data: ") && event == "error":
			return nil, fmt.Errorf("error event: %s", line)
		}
	}
}

// testSharedCache: a summary computed through replica 1 is served by
// replica 2, and through HAProxy, from Redis, without a model call.
func (c *cluster) testSharedCache(t *testing.T) {
	text := "Pourriez-vous nous transmettre les pièces manquantes du dossier de la commune ?"
	before := c.calls.Load()
	first := c.summarize(c.replicas[0].url, 0, text, false)
	if first.err != nil || first.status != http.StatusOK || first.cached {
		t.Fatalf("replica 1: %+v\n%s", first, c.replicas[0].log)
	}
	for _, base := range []string{c.replicas[1].url, c.proxy, c.proxy} {
		for _, stream := range []bool{false, true} {
			a := c.summarize(base, 0, text, stream)
			if a.err != nil || a.status != http.StatusOK || !a.cached || a.summary != first.summary {
				t.Errorf("%s (stream %v): %+v, want the cached %q", base, stream, a, first.summary)
			}
		}
	}
	if n := c.calls.Load() - before; n != 1 {
		t.Errorf("%d model calls for one thread asked 7 times on two replicas, want 1", n)
	}
}

// testSharedRateLimit: one user's budget is spent across both replicas.
func (c *cluster) testSharedRateLimit(t *testing.T) {
	get := func(base string) int {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token(1))
		resp, err := c.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range perMinute {
		if code := get(c.replicas[i%2].url); code != http.StatusOK {
			t.Fatalf("request %d of %d: %d", i+1, perMinute, code)
		}
	}
	for _, base := range []string{c.replicas[0].url, c.replicas[1].url, c.proxy} {
		if code := get(base); code != http.StatusTooManyRequests {
			t.Errorf("request past the budget on %s: %d, want 429", base, code)
		}
	}
}

// testRollingStop: during a run of requests and streams through HAProxy,
// replica 1 gets SIGTERM while it holds a slow request and a slow stream.
// Its /readyz turns 503 at once while it keeps serving, HAProxy moves the
// traffic to replica 2, the slow answers finish, the process exits 0, and
// every request of the run is answered.
func (c *cluster) testRollingStop(t *testing.T) {
	const workers, maxRequests = 4, 120 // users 2..8: 7 × perMinute > maxRequests
	var (
		stop     atomic.Bool
		sent     atomic.Int64
		mu       sync.Mutex
		answers  []answer
		termedAt atomic.Int64
		late     atomic.Int64 // requests started after SIGTERM
		wg       sync.WaitGroup
	)
	defer func() { stop.Store(true); wg.Wait() }() // also when the test fails early
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				n := int(sent.Add(1))
				if n > maxRequests {
					return
				}
				if termedAt.Load() != 0 {
					late.Add(1)
				}
				a := c.summarize(c.proxy, 2+n%7, fmt.Sprintf("Merci de traiter la demande numéro %d de la commune.", n), n%2 == 0)
				mu.Lock()
				answers = append(answers, a)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)

	// A slow answer and a slow stream in flight on replica 1.
	r1 := c.replicas[0]
	slow := make(chan answer, 2)
	for _, stream := range []bool{false, true} {
		go func() {
			slow <- c.summarize(r1.url, 9, fmt.Sprintf("%s : dossier %v.", slowMarker, stream), stream)
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.modelSaw(slowMarker) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the slow requests never reached the model\n%s", r1.log)
		}
		time.Sleep(10 * time.Millisecond)
	}

	if err := r1.proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	termedAt.Store(time.Now().UnixNano())
	c.waitStatus(t, r1.url+"/readyz", http.StatusServiceUnavailable, r1.log)
	if resp, err := c.client.Get(r1.url + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("replica 1 stopped serving before its drain delay: %v", err)
	} else {
		resp.Body.Close()
	}

	select {
	case <-r1.proc.exited:
		if r1.proc.err != nil {
			t.Errorf("replica 1 exited with %v\n%s", r1.proc.err, r1.log)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("replica 1 did not exit\n%s", r1.log)
	}
	stopped := time.Since(time.Unix(0, termedAt.Load()))
	for range 2 {
		if a := <-slow; a.err != nil || a.status != http.StatusOK || a.summary == "" {
			t.Errorf("slow request in flight at SIGTERM: %+v", a)
		}
	}
	time.Sleep(300 * time.Millisecond) // traffic on replica 2 alone
	stop.Store(true)
	wg.Wait()

	served := map[string]int{}
	for _, a := range answers {
		served[a.servedBy]++
		if a.err != nil || a.status != http.StatusOK || a.summary == "" {
			t.Errorf("lost during the rolling stop: %+v", a)
		}
	}
	t.Logf("%d requests (%d started after SIGTERM) served by %v; replica 1 exited %s after SIGTERM",
		len(answers), late.Load(), served, stopped.Round(time.Millisecond))
	if served["plume1"] == 0 || served["plume2"] == 0 || late.Load() == 0 {
		t.Errorf("the run did not exercise both replicas around SIGTERM: %v, %d after SIGTERM", served, late.Load())
	}
	if stopped < slowDelay-modelDelay {
		t.Errorf("replica 1 exited %s after SIGTERM, before its slow answers could finish", stopped)
	}
}

// modelSaw counts the model requests whose prompt holds s.
func (c *cluster) modelSaw(s string) int {
	n := 0
	for _, r := range c.model.Requests() {
		if strings.Contains(r.Prompt(), s) {
			n++
		}
	}
	return n
}

// process is a started command.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has exited and err is set
	err    error         // the exit, as cmd.Wait reports it
}

// startProcess starts cmd, killed with the test (and with the test binary,
// should it die first); its output goes to log.
func startProcess(t *testing.T, cmd *exec.Cmd, log *testenv.SyncBuffer) *process {
	t.Helper()
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	// Wait returns even if a child still holds the output pipes.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// waitTCP waits until addr accepts connections.
func waitTCP(t *testing.T, addr string, what string, log *testenv.SyncBuffer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s did not listen on %s: %v\n%s", what, addr, err, log)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// startRedis runs a private redis-server on loopback and returns its URL.
func startRedis(t *testing.T) string {
	t.Helper()
	bin := testenv.RequireBinary(t, "redis-server", "make deps installs redis-server")
	port := testenv.FreePort(t)
	log := &testenv.SyncBuffer{}
	startProcess(t, exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir()), log)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	waitTCP(t, addr, "redis-server", log)
	return "redis://" + addr + "/0"
}
