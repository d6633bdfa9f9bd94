package main

// The memory evaluation of issue 16, finding 2: the real server (config,
// wire.FromConfig, a listener on loopback) receives hostile PDFs on
// POST /api/v1/attachment/summary, one at a time and ten at once, while
// /healthz is polled; the process's peak resident memory (VmHWM, reset
// between phases through /proc/self/clear_refs) is read from
// /proc/self/status. A measurement, not a unit test: it runs only with
//
//	PLUME_EVAL_PDFMEM=1 go test -count=1 -run TestEvalPDFMemory -v ./cmd/plume
//
// and stops by itself (a minute at most).

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// Targets of the issue, in MiB of peak resident memory.
const (
	evalOneMiB = 300
	evalTenMiB = 1024
)

func TestEvalPDFMemory(t *testing.T) {
	if os.Getenv("PLUME_EVAL_PDFMEM") == "" {
		t.Skip("a measurement: set PLUME_EVAL_PDFMEM=1 to run it")
	}
	e := newLeakEnv(t)
	f, err := os.OpenFile(e.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString("limits: {requests_per_minute: 100000}\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	srv := leakServer(t, e)
	hs := httptest.NewServer(srv.Routes())
	t.Cleanup(hs.Close)

	inputs := evalInputs()
	debug.FreeOSMemory()
	t.Logf("idle, inputs built: VmRSS %d MiB", procStatus(t, "VmRSS"))

	for _, in := range inputs {
		resetPeak(t)
		before := procStatus(t, "VmRSS")
		code := upload(t, hs.URL, in.name, in.data)
		peak := procStatus(t, "VmHWM")
		t.Logf("one   %-10s %6d KB: HTTP %d, VmRSS before %d MiB, VmHWM %d MiB", in.name, len(in.data)>>10, code, before, peak)
		if peak > evalOneMiB {
			t.Errorf("%s: peak %d MiB, target %d MiB", in.name, peak, evalOneMiB)
		}
		debug.FreeOSMemory()
	}

	for _, in := range inputs {
		resetPeak(t)
		codes := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := upload(t, hs.URL, in.name, in.data)
				mu.Lock()
				codes[c]++
				mu.Unlock()
			}()
		}
		done := make(chan struct{})
		health := make(chan [2]int)
		go func() {
			ok, bad := 0, 0
			for {
				select {
				case <-done:
					health <- [2]int{ok, bad}
					return
				default:
				}
				resp, err := http.Get(hs.URL + "/healthz")
				if err == nil && resp.StatusCode == http.StatusOK {
					ok++
				} else {
					bad++
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
		wg.Wait()
		close(done)
		h := <-health
		peak := procStatus(t, "VmHWM")
		t.Logf("ten   %-10s: HTTP %v, /healthz %d ok %d failed, VmHWM %d MiB", in.name, codes, h[0], h[1], peak)
		if peak > evalTenMiB || h[1] > 0 || h[0] == 0 {
			t.Errorf("%s: peak %d MiB (target %d), /healthz %d ok %d failed", in.name, peak, evalTenMiB, h[0], h[1])
		}
		debug.FreeOSMemory()
	}
}

type evalInput struct {
	name string
	data []byte
}

// evalInputs are the hostile PDFs plus two within the 25 MiB upload size:
// 24 MiB of uncompressed text lines, and 200 MB of text lines deflated.
func evalInputs() []evalInput {
	var in []evalInput
	for _, h := range extracttest.HostilePDFs() {
		in = append(in, evalInput{h.Name, h.Data})
	}
	line := "BT /F1 10 Tf 56 700 Td (Le prefet de la Somme arrete les dispositions suivantes, article premier.) Tj ET\n"
	var raw bytes.Buffer
	for raw.Len() < 24<<20 {
		raw.WriteString(line)
	}
	in = append(in, evalInput{"text-24MiB", extracttest.RawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", raw.Len(), raw.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)})
	in = append(in, evalInput{"text-bomb", extracttest.ContentPDF(strings.NewReader(strings.Repeat(line, (200<<20)/len(line))))})
	return in
}

// upload posts data as the multipart file of an attachment summary and
// returns the status.
func upload(t *testing.T, base, name string, data []byte) int {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name+".pdf")
	if err != nil {
		t.Error(err)
		return 0
	}
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/attachment/summary", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+leakToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// resetPeak resets VmHWM to the current resident size.
func resetPeak(t *testing.T) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("reset VmHWM: %v", err)
	}
}

// procStatus reads a field of /proc/self/status, in MiB.
func procStatus(t *testing.T, field string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb >> 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}
