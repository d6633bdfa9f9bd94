package extract_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// children lists the processes this one started (PDF workers).
func children() []int {
	var pids []int
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, c := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(c); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// TestPDFWorkerCrash: a worker that dies while reading (a crash of the
// engine) does not lose the document. Killed once, the document is read
// again by a new worker; killed each time, the built-in reader's text is
// given, with a note saying why.
func TestPDFWorkerCrash(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("needs /proc")
	}
	warm := docwrite.PDF(extracttest.Sample())
	long := docwrite.PDF(extracttest.LongDoc(400))
	lim := extract.Limits{Queue: true, Timeout: time.Minute, MaxBytes: 1 << 30}
	for _, always := range []bool{false, true} {
		if _, err := extract.Extract(context.Background(), "a.pdf", "application/pdf", warm, extract.Limits{Queue: true}); err != nil {
			t.Fatal(err)
		}
		idleWorker(t)
		stop := make(chan struct{})
		killed := make(chan int)
		go func() {
			n := 0
			defer func() { killed <- n }()
			time.Sleep(100 * time.Millisecond)
			for {
				for _, pid := range children() {
					if syscall.Kill(pid, syscall.SIGKILL) == nil {
						n++
					}
				}
				if !always && n > 0 {
					return
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		doc, err := extract.Extract(context.Background(), "long.pdf", "application/pdf", long, lim)
		close(stop)
		n := <-killed
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(doc.Notes, " ")
		if !strings.Contains(doc.Text, "Section 400") || n == 0 {
			t.Fatalf("killed %d times: text %d bytes without the last page", n, len(doc.Text))
		}
		// the replacement may die while reading or while starting
		if fallback := strings.Contains(notes, "lecteur simplifié"); fallback != always {
			t.Errorf("killed %d times (each worker: %v): notes %q", n, always, doc.Notes)
		}
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

// TestPDFWorkerBudget: what a worker reads counts against the document's
// budget in the parent, so that a PDF attached to a mail that exhausts
// the budget stops the mail, as any other attachment does, instead of
// leaving the next attachments a fresh budget.
func TestPDFWorkerBudget(t *testing.T) {
	pdf := docwrite.PDF(extracttest.LongDoc(30))
	eml := mailWith("Dossier", "Voir la pièce jointe.", "dossier.pdf", "application/pdf", pdf)
	_, err := extract.Extract(context.Background(), "m.eml", "message/rfc822", eml, extract.Limits{Queue: true, MaxBytes: int64(2*len(eml) + 20<<10)})
	if !errors.Is(err, extract.ErrTooLarge) {
		t.Fatalf("err = %v, want the budget exhausted (the PDF's %d characters at 4 bytes each)", err, 30*2500)
	}
}
