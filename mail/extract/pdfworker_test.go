package extract_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/mail/extract/extracttest"
)

// alive reports whether process pid still runs (a reaped process is gone).
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// idleWorker waits for an idle PDF worker and returns its process id.
func idleWorker(t *testing.T) int {
	t.Helper()
	for range 500 {
		if pids := extract.WorkerPIDs(); len(pids) > 0 {
			return pids[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no idle PDF worker")
	return 0
}

// TestPDFInWorker: a PDF is read by a worker process, not by this one, and
// the worker is kept for the next document.
func TestPDFInWorker(t *testing.T) {
	pdf := docwrite.PDF(extracttest.Sample())
	if _, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", pdf, extract.Limits{Queue: true}); err != nil {
		t.Fatal(err)
	}
	if !extract.UseWorkers() {
		t.Fatal("the PDF engine runs in the process: no worker started")
	}
	pid := idleWorker(t)
	if pid == os.Getpid() {
		t.Fatal("the worker is this process")
	}
	doc, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", pdf, extract.Limits{Queue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "Article") {
		t.Errorf("text read by the worker: %.200q", doc.Text)
	}
	if got := idleWorker(t); got != pid {
		t.Errorf("second document: worker %d, want the idle worker %d again", got, pid)
	}
}

// TestPDFWorkerKilledAtDeadline: a worker still reading when the
// document's time is up is killed (the engine inside it cannot be stopped
// otherwise), and the next document gets a new worker.
func TestPDFWorkerKilledAtDeadline(t *testing.T) {
	warm := docwrite.PDF(extracttest.Sample())
	if _, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", warm, extract.Limits{Queue: true}); err != nil {
		t.Fatal(err)
	}
	pid := idleWorker(t)
	// long enough to outlast the deadline, small enough to go to the
	// worker at once (no reading by the built-in reader first)
	long := docwrite.PDF(extracttest.LongDoc(800))
	_, err := extract.Extract(context.Background(), "long.pdf", "application/pdf", long, extract.Limits{Queue: true, Timeout: 300 * time.Millisecond, MaxBytes: 1 << 30})
	if !errors.Is(err, extract.ErrTooLarge) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the time limit", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("worker %d still runs after the document's deadline", pid)
	}
	doc, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", warm, extract.Limits{Queue: true})
	if err != nil || !strings.Contains(doc.Text, "Article") {
		t.Fatalf("next document: %v %+v", err, doc)
	}
	if got := idleWorker(t); got == pid {
		t.Errorf("the killed worker %d was reused", pid)
	}
}

// TestPDFWorkerCrash: a worker that dies while reading (a crash of the
// engine) does not lose the document: the built-in reader's text is given,
// with a note saying why.
func TestPDFWorkerCrash(t *testing.T) {
	warm := docwrite.PDF(extracttest.Sample())
	if _, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", warm, extract.Limits{Queue: true}); err != nil {
		t.Fatal(err)
	}
	pid := idleWorker(t)
	long := docwrite.PDF(extracttest.LongDoc(400))
	go func() {
		time.Sleep(100 * time.Millisecond)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}()
	doc, err := extract.Extract(context.Background(), "long.pdf", "application/pdf", long, extract.Limits{Queue: true, Timeout: time.Minute, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(doc.Notes, " "), "le moteur s'est arrêté") || !strings.Contains(doc.Text, "Section 400") {
		t.Errorf("notes %q, text %d bytes: want the built-in reader's text and why", doc.Notes, len(doc.Text))
	}
}

// TestPDFWithoutWorker runs TestPDFWithoutWorkerHelper in a process of its
// own, where the executable cannot be started again (TestMain): the engine
// then runs in the process, and reads the same.
func TestPDFWithoutWorker(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPDFWithoutWorkerHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "PLUME_TEST_NO_WORKER=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestPDFWithoutWorkerHelper") {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestPDFWithoutWorkerHelper(t *testing.T) {
	if os.Getenv("PLUME_TEST_NO_WORKER") == "" {
		t.Skip("run by TestPDFWithoutWorker")
	}
	doc, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", docwrite.PDF(extracttest.Sample()), extract.Limits{Queue: true, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if extract.UseWorkers() {
		t.Fatal("a worker started")
	}
	if !strings.Contains(doc.Text, "Article") || strings.Contains(strings.Join(doc.Notes, " "), "lecteur simplifié") {
		t.Errorf("in-process engine: notes %q, text %.200q", doc.Notes, doc.Text)
	}
}
