package main

// The memory evaluation of issue 16, finding 2: the real server (config,
// wire.FromConfig, a listener on loopback, the PDF engine started as
// `plume serve` starts it) receives hostile PDFs on
// POST /api/v1/attachment/summary, one at a time and ten at once, while
// /healthz is polled; the process's peak resident memory (VmHWM, reset
// between phases through /proc/self/clear_refs) is read from
// /proc/self/status; the PDF worker processes (children of this one) are
// sampled every 10 ms and their peak is added, so that the figure is the
// server's and its workers' together. Uploads are streamed from the inputs, so that the
// client's copies are not counted as the server's. A measurement, not a
// unit test: it runs only with
//
//	PLUME_EVAL_PDFMEM=1 go test -count=1 -run TestEvalPDFMemory -v ./cmd/plume
//
// and stops by itself (a minute at most).

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail/extract"
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
	limitServerMemory(environ()) // as plume serve does
	resetPeak(t)
	start := time.Now()
	startPDFEngine()
	t.Logf("PDF engine started in %s (compilation cache %s): VmHWM %d MiB", time.Since(start).Round(time.Millisecond), extract.DefaultPDFCache(), procStatus(t, "VmHWM"))
	debug.FreeOSMemory()
	t.Logf("idle, inputs built: VmRSS %d MiB", procStatus(t, "VmRSS"))

	for _, in := range inputs {
		resetPeak(t)
		before := procStatus(t, "VmRSS")
		workers := sampleWorkers()
		code := upload(t, hs.URL, in.name, in.data)
		server, wpeak := procStatus(t, "VmHWM"), workers.stop()
		peak := server + wpeak
		t.Logf("one   %-10s %6d KB: HTTP %d, VmRSS before %d MiB, VmHWM %d MiB + workers %d MiB (Tesseract %d) = %d MiB", in.name, len(in.data)>>10, code, before, server, wpeak, workers.ocrPeak, peak)
		if peak > evalOneMiB {
			t.Errorf("%s: peak %d MiB, target %d MiB", in.name, peak, evalOneMiB)
		}
		debug.FreeOSMemory()
	}

	for _, in := range inputs {
		resetPeak(t)
		workers := sampleWorkers()
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
		server, wpeak := procStatus(t, "VmHWM"), workers.stop()
		peak := server + wpeak
		t.Logf("ten   %-10s: HTTP %v, /healthz %d ok %d failed, VmHWM %d MiB + workers %d MiB (Tesseract %d) = %d MiB", in.name, codes, h[0], h[1], server, wpeak, workers.ocrPeak, peak)
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

// evalInputs are the hostile PDFs plus four within the 25 MiB upload size:
// 24 MiB of uncompressed text lines, 200 MB of text lines deflated, and two
// that the built-in reader passes to the PDF engine: a page showing a
// 2 GB image (deflated zeros), and a 24 MiB scan (an uncompressed image,
// read by OCR where Tesseract is installed).
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
	in = append(in, evalInput{"image-bomb", imagePDF(46000, 46000, "/FlateDecode", deflated(46000*46000))})
	white := bytes.Repeat([]byte{0xff}, 4900*4900)
	in = append(in, evalInput{"scan-24MiB", imagePDF(4900, 4900, "", white)})
	return in
}

// imagePDF writes a one-page A4 PDF without text that shows a grey image
// of w × h pixels whose stream, with filter, is data.
func imagePDF(w, h int, filter string, data []byte) []byte {
	if filter != "" {
		filter = "/Filter " + filter
	}
	return extracttest.RawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length 35 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 %s /Length %d >>\nstream\n%s\nendstream", w, h, filter, len(data), data),
	)
}

// deflated returns n zero bytes, deflated.
func deflated(n int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zero := make([]byte, 1<<20)
	for ; n > 0; n -= len(zero) {
		zw.Write(zero[:min(n, len(zero))])
	}
	zw.Close()
	return z.Bytes()
}

// upload posts data as the multipart file of an attachment summary and
// returns the status. The body is streamed from data, not copied, with its
// length, as a browser sends a file.
func upload(t *testing.T, base, name string, data []byte) int {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	var frame bytes.Buffer // the multipart frame around the file, to count it
	fm := multipart.NewWriter(&frame)
	fm.SetBoundary(mw.Boundary())
	fm.CreateFormFile("file", name+".pdf")
	fm.Close()
	go func() {
		fw, err := mw.CreateFormFile("file", name+".pdf")
		if err == nil {
			_, err = fw.Write(data)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/attachment/summary", pr)
	req.ContentLength = int64(frame.Len() + len(data))
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

// workerSampler follows the resident memory of this process's children
// (the PDF workers and the OCR commands they start).
type workerSampler struct {
	quit chan struct{}
	peak chan int
	// ocrPeak is the peak of the OCR commands alone, in MiB.
	ocrPeak int
}

// sampleWorkers starts sampling the children's summed resident memory.
func sampleWorkers() *workerSampler {
	s := &workerSampler{quit: make(chan struct{}), peak: make(chan int)}
	go func() {
		peak := 0
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			total, ocr := 0, 0
			for _, pid := range descendants("self") {
				total += statusKB(pid, "VmRSS")
				if comm, _ := os.ReadFile("/proc/" + pid + "/comm"); strings.TrimSpace(string(comm)) == "tesseract" {
					ocr += statusKB(pid, "VmRSS")
				}
			}
			peak = max(peak, total)
			s.ocrPeak = max(s.ocrPeak, ocr>>10)
			select {
			case <-s.quit:
				s.peak <- peak >> 10
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the peak, in MiB.
func (s *workerSampler) stop() int {
	close(s.quit)
	return <-s.peak
}

// descendants lists the processes started by pid and by them, at any depth.
func descendants(pid string) []string {
	var out []string
	tasks, _ := filepath.Glob("/proc/" + pid + "/task/*/children")
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, c := range strings.Fields(string(b)) {
			out = append(out, c)
			out = append(out, descendants(c)...)
		}
	}
	return out
}

// statusKB reads a field of /proc/PID/status in kB (0 when the process is gone).
func statusKB(pid, field string) int {
	b, _ := os.ReadFile("/proc/" + pid + "/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb
		}
	}
	return 0
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
