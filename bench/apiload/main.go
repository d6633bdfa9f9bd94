// Command apiload measures the panel API's own overhead and its capacity
// for open streams, in one process:
//
//   - overhead: POST /api/v1/thread/summary on a 20-message thread read over
//     IMAP (in-process imapmemserver), through the whole pipeline (auth,
//     rate limit, fetch, markings, pseudonymisation, assist, restore, guard,
//     audit), against a zero-latency fake model; p50/p95 at -clients
//     concurrent clients;
//   - streams: -streams concurrent SSE requests against a fake model that
//     waits -slow before its first token; peak memory and errors.
//
// Usage:
//
//	cd bench/apiload && go run . -clients 50 -requests 2000 -streams 1000 -slow 5s
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/plume-admin/plume/addin"
	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/config"
	"github.com/plume-admin/plume/mail/demo"
	"github.com/plume-admin/plume/mail/imap"
)

const token = "bench-token-0123456789"

func main() {
	clients := flag.Int("clients", 50, "concurrent clients for the overhead run")
	requests := flag.Int("requests", 2000, "requests of the overhead run")
	streams := flag.Int("streams", 1000, "concurrent SSE streams (0 skips)")
	slow := flag.Duration("slow", 5*time.Second, "first-token delay of the slow fake model")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the overhead run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := overhead(*clients, *requests); err != nil {
		fmt.Fprintln(os.Stderr, "overhead:", err)
		os.Exit(1)
	}
	pprof.StopCPUProfile()
	if *streams > 0 {
		if err := sseStreams(*streams, *slow); err != nil {
			fmt.Fprintln(os.Stderr, "streams:", err)
			os.Exit(1)
		}
	}
}

// summaryJSON is the fake model's answer.
const summaryJSON = `{"summary":"Le maire demande une subvention DETR ; la préfecture attend les pièces avant le 15 avril.","keyPoints":["Pièces manquantes"],"decisions":[],"openQuestions":[],"actionItems":[{"who":"Mairie","what":"Envoyer le plan de financement","due":"2026-04-15","dueText":"avant le 15 avril"}],"participants":[]}`

// thread20 builds a 20-message reply chain with personal data to pseudonymise.
func thread20() []demo.Item {
	var items []demo.Item
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var refs []string
	for i := 1; i <= 20; i++ {
		id := fmt.Sprintf("<bench-%d@prefecture.example>", i)
		from, to := "Jean Dupont <jean.dupont@mairie.example>", "Julien Caron <julien.caron@somme.gouv.example>"
		if i%2 == 0 {
			from, to = to, from
		}
		subject := "Dossier de subvention DETR 2026"
		if i > 1 {
			subject = "RE: " + subject
		}
		h := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n", from, to, subject, start.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z), id)
		if len(refs) > 0 {
			h += "In-Reply-To: " + refs[len(refs)-1] + "\r\nReferences: " + strings.Join(refs, " ") + "\r\n"
		}
		body := fmt.Sprintf("Bonjour,\r\n\r\nMessage %d du fil. Le dossier de la commune avance : plan de financement, délibération du conseil municipal et devis. "+
			"Vous pouvez me joindre au 06 12 34 56 %02d ou à jean.dupont@mairie.example. IBAN de la commune : FR76 3000 6000 0112 3456 7890 189.\r\n"+
			"Merci de nous faire parvenir les pièces avant le 15 avril.\r\n\r\nCordialement,\r\nJean Dupont\r\nMaire de Villers-Exemple\r\n", i, i)
		raw := h + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
		items = append(items, demo.Item{Folder: demo.Inbox, Raw: []byte(raw), Date: start.Add(time.Duration(i) * time.Hour), MessageID: id})
		refs = append(refs, id)
	}
	return items
}

// stack starts the fake model, the IMAP server and the API.
func stack(answer fakellm.Response, items []demo.Item) (url string, model *fakellm.Server, stop func(), err error) {
	model = fakellm.New(fakellm.Options{Answer: func(fakellm.Request) fakellm.Response { return answer }})
	imapSrv, err := demo.ServeLoopback(demo.Options{Items: items})
	if err != nil {
		return "", nil, nil, err
	}
	imapOpts := imapSrv.IMAPOptions()
	imapOpts.Pool = imap.Pool{Size: 64}
	src, err := imap.New(imapOpts)
	if err != nil {
		return "", nil, nil, err
	}
	llm, err := assist.NewOpenAICompatible(assist.OpenAIConfig{BaseURL: model.URL(), Model: "fake", Retry: assist.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		return "", nil, nil, err
	}
	a, err := assist.New(assist.Options{
		Endpoints: []assist.Endpoint{{Name: "fake", Model: llm, ModelName: "fake", ContextWindow: 32768, MaxOutput: 2048}},
		NoCache:   true, StallTimeout: time.Minute, NoFallback: true,
	})
	if err != nil {
		return "", nil, nil, err
	}
	cfg := &config.Config{}
	cfg.Auth.StaticTokens = []config.StaticToken{{Token: token, User: "agent"}}
	cfg.LLM.Endpoints = []config.EndpointConfig{{Name: "fake", BaseURL: model.URL(), Model: "fake"}}
	cfg.Mail.Source = "imap"
	cfg.Mail.IMAP.Addr = imapSrv.Addr().String()
	cfg.Limits.RequestsPerMinute = 1 << 30
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return "", nil, nil, err
	}
	srv, err := addin.New(addin.Options{
		Config: cfg, Source: src, Assistant: a, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	hs := srv.HTTPServer()
	go hs.Serve(ln)
	stop = func() {
		hs.Close()
		imapSrv.Close()
		model.Close()
	}
	return "http://" + ln.Addr().String(), model, stop, nil
}

func overhead(clients, requests int) error {
	url, _, stop, err := stack(fakellm.Response{Text: summaryJSON}, thread20())
	if err != nil {
		return err
	}
	defer stop()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	body := `{"message":{"source":"imap","messageId":"<bench-20@prefecture.example>"}}`
	call := func() (time.Duration, error) {
		req, _ := http.NewRequest("POST", url+"/api/v1/thread/summary", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if resp.StatusCode != 200 {
			return d, fmt.Errorf("status %d: %s", resp.StatusCode, b)
		}
		var out struct {
			Meta struct {
				Degraded bool
			}
		}
		if err := json.Unmarshal(b, &out); err != nil || out.Meta.Degraded {
			return d, fmt.Errorf("unexpected answer: %s", b)
		}
		return d, nil
	}
	// Warm up: connections, IMAP pool, tokenizer.
	for i := 0; i < clients; i++ {
		if _, err := call(); err != nil {
			return err
		}
	}
	cpu0 := cpuTime()
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var firstErr atomic.Value
	next := atomic.Int64{}
	t0 := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(requests) {
				d, err := call()
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	cpu := cpuTime() - cpu0
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))]
	}
	fmt.Printf("overhead: 20-message thread over IMAP, zero-latency fake model, %d clients, %d requests, %d CPUs\n", clients, requests, runtime.NumCPU())
	fmt.Printf("  p50 %v  p95 %v  p99 %v  max %v  throughput %.0f req/s  errors %d\n",
		pct(.50).Round(100*time.Microsecond), pct(.95).Round(100*time.Microsecond), pct(.99).Round(100*time.Microsecond),
		pct(1).Round(100*time.Microsecond), float64(len(lat))/wall.Seconds(), errs.Load())
	fmt.Printf("  CPU time per request (server, fake model, IMAP server and client in one process) %v; load average at start %s\n",
		(cpu / time.Duration(max(len(lat), 1))).Round(100*time.Microsecond), loadAvg())
	if e := firstErr.Load(); e != nil {
		fmt.Printf("  first error: %v\n", e)
	}
	return nil
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg reads /proc/loadavg (the machine may be shared).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func sseStreams(n int, slow time.Duration) error {
	url, _, stop, err := stack(fakellm.Response{Text: summaryJSON, FirstTokenDelay: slow}, thread20())
	if err != nil {
		return err
	}
	defer stop()
	raw := "From: Jean Dupont <jean.dupont@mairie.example>\r\nTo: julien.caron@somme.gouv.example\r\nSubject: Dossier DETR\r\n" +
		"Date: Mon, 02 Mar 2026 09:00:00 +0100\r\nMessage-ID: <sse@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Bonjour, merci de transmettre les pièces avant le 15 avril. Tél. 06 12 34 56 78.\r\n"
	body := `{"message":{"source":"raw","mime":"` + base64.StdEncoding.EncodeToString([]byte(raw)) + `"}}`
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}
	client := &http.Client{Transport: tr, Timeout: slow + 2*time.Minute}
	var open, done, errs, results atomic.Int64
	var firstErr atomic.Value
	allOpen := make(chan struct{})
	var once sync.Once
	ctx := context.Background()
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			req, _ := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/thread/summary", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "text/event-stream")
			resp, err := client.Do(req)
			if err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d", resp.StatusCode))
				return
			}
			if open.Add(1) == int64(n) {
				once.Do(func() { close(allOpen) })
			}
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(make([]byte, 1<<16), 1<<20)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: result") {
					results.Add(1)
				}
				if strings.HasPrefix(sc.Text(), "event: error") {
					errs.Add(1)
				}
			}
		}()
	}
	var peak runtime.MemStats
	select {
	case <-allOpen:
	case <-time.After(slow + time.Minute):
	}
	runtime.ReadMemStats(&peak)
	goroutines := runtime.NumGoroutine()
	openAt := time.Since(t0)
	wg.Wait()
	fmt.Printf("streams: %d concurrent SSE requests, fake model waits %v before its first token\n", n, slow)
	fmt.Printf("  all open after %v; results %d, errors %d, total %v\n", openAt.Round(time.Millisecond), results.Load(), errs.Load(), time.Since(t0).Round(time.Millisecond))
	fmt.Printf("  with all streams open (client + server + fake model in one process): heap in use %.1f MiB (+%.1f MiB), goroutines %d, Sys %.1f MiB\n",
		mib(peak.HeapInuse), mib(peak.HeapInuse)-mib(before.HeapInuse), goroutines, mib(peak.Sys))
	if e := firstErr.Load(); e != nil {
		fmt.Printf("  first error: %v\n", e)
	}
	return nil
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
