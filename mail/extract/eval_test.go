package extract_test

// The evaluation of PDF extraction on real-world files, against poppler's
// pdftotext. A measurement, not a test: it runs only when asked.
//
//	PLUME_EVAL_DOCS=1 go test -count=1 -run TestEvalPDF -v ./mail/extract/
//	make eval-docs
//
// PLUME_CORPUS names the corpus folder (default ../shared/corpus from the
// repository root); its pdf/ folder is read.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
)

// evalMinWords leaves out files where pdftotext finds almost no text
// (scans, blank pages): recall over a handful of words says nothing.
const evalMinWords = 20

// pairs is the share of adjacent reference word pairs found, as a
// multiset, in got: word order.
func pairs(ref, got string) float64 {
	have := map[[2]string]int{}
	g := words(got)
	for i := 1; i < len(g); i++ {
		have[[2]string{g[i-1], g[i]}]++
	}
	r := words(ref)
	total, found := 0, 0
	for i := 1; i < len(r); i++ {
		total++
		if k := [2]string{r[i-1], r[i]}; have[k] > 0 {
			have[k]--
			found++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(found) / float64(total)
}

// evalEngine is one way of reading a PDF.
type evalEngine struct {
	name string
	read func(ctx context.Context, file string, data []byte) (string, error)
}

var evalEngines = []evalEngine{
	{"plume (PDFium + OCR of image-only pages)", readPlume},
	{"plume, text layer only (no OCR)", func(ctx context.Context, file string, data []byte) (text string, err error) {
		extract.WithoutTesseract(func() { text, err = readPlume(ctx, file, data) })
		if errors.Is(err, extract.ErrNoOCR) {
			err = extract.ErrNoText
		}
		return text, err
	}},
	{"built-in Go reader", func(_ context.Context, _ string, data []byte) (string, error) {
		doc, err := extract.ReadPDFGo(data)
		if err != nil {
			return "", err
		}
		return doc.Text, nil
	}},
}

// readPlume reads a PDF as Plume does; a file that only the built-in
// reader could read is an error here, so that the engine's failures show.
func readPlume(ctx context.Context, file string, data []byte) (string, error) {
	doc, err := extract.Extract(ctx, filepath.Base(file), "application/pdf", data, extract.Limits{Timeout: 2 * time.Minute})
	if err != nil {
		return "", err
	}
	for _, n := range doc.Notes {
		// the whole document read by the built-in reader (not some pages)
		if strings.Contains(n, "lecteur simplifié utilisé") || strings.Contains(n, "le moteur PDF ayant échoué") {
			return doc.Text, errors.New(n)
		}
	}
	return doc.Text, nil
}

// evalScore sums up one engine on the corpus.
type evalScore struct {
	recalls, orders []float64
	refused         []string
	// elapsed is the time on the scored files, where pdftotext finds text;
	// other the time on the rest (scans: OCR, which pdftotext does not do)
	elapsed, other time.Duration
}

func (s evalScore) summary() string {
	r, o := slices.Clone(s.recalls), slices.Clone(s.orders)
	slices.Sort(r)
	slices.Sort(o)
	tenth := max(1, len(r)/10)
	worst := 0.0
	for _, x := range r[:tenth] {
		worst += x
	}
	return fmt.Sprintf("| %.3f | %.3f | %.3f | %d | %s | %s |", r[len(r)/2], worst/float64(tenth), o[len(o)/2], len(s.refused), s.elapsed.Round(10*time.Millisecond), s.other.Round(10*time.Millisecond))
}

// TestEvalPDF scores each engine on the corpus PDFs against pdftotext: per
// file word recall and word order (adjacent pairs), then the median recall,
// the mean recall of the worst tenth of files, the median word order, the
// files refused and the total time.
func TestEvalPDF(t *testing.T) {
	if os.Getenv("PLUME_EVAL_DOCS") == "" {
		t.Skip("a measurement: set PLUME_EVAL_DOCS=1 (make eval-docs) to run it")
	}
	bin := testenv.RequireBinary(t, "pdftotext", popplerHint)
	dir := os.Getenv("PLUME_CORPUS")
	if dir == "" {
		dir = filepath.Join(testenv.RepoRoot(), "..", "shared", "corpus")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "pdf", "*"))
	if len(files) == 0 {
		t.Skipf("no corpus in %s/pdf: set PLUME_CORPUS", dir)
	}
	if err := extract.StartPDFEngine(extract.PDFEngine{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	scores := make([]evalScore, len(evalEngines))
	var refTime, refOther time.Duration
	var refRefused []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		start := time.Now()
		out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
		refTook := time.Since(start)
		ref := string(out)
		scored := len(words(ref)) >= evalMinWords
		if scored {
			refTime += refTook
		} else {
			refOther += refTook
		}
		if err != nil {
			refRefused = append(refRefused, name)
		}
		line := fmt.Sprintf("%-44s %6d %5dms", name, len(words(ref)), refTook.Milliseconds())
		for i, e := range evalEngines {
			if !scored && os.Getenv("PLUME_EVAL_SCORED_ONLY") != "" {
				continue // OCR of scans is slow: skipped when only the scored files' time is wanted
			}
			start := time.Now()
			got, err := e.read(ctx, file, data)
			if !scored {
				scores[i].other += time.Since(start)
				if err != nil && !errors.Is(err, extract.ErrNoText) {
					line += fmt.Sprintf("  refused: %v", err)
				}
				continue
			}
			took := time.Since(start)
			scores[i].elapsed += took
			if err != nil {
				scores[i].refused = append(scores[i].refused, name)
				line += fmt.Sprintf("  refused: %.60s", err)
			}
			r, o := recall(ref, got), pairs(ref, got)
			scores[i].recalls = append(scores[i].recalls, r)
			scores[i].orders = append(scores[i].orders, o)
			line += fmt.Sprintf("  %.3f %.3f %5dms", r, o, took.Milliseconds())
		}
		t.Log(line)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%d PDFs in %s/pdf, %d with at least %d words in pdftotext's text\n\n", len(files), dir, len(scores[0].recalls), evalMinWords)
	sb.WriteString("| engine | median recall | worst tenth | word order (median) | refused | time, scored files | time, other files (scans) |\n|---|---|---|---|---|---|---|\n")
	for i, e := range evalEngines {
		fmt.Fprintf(&sb, "| %s %s\n", e.name, scores[i].summary())
	}
	fmt.Fprintf(&sb, "| pdftotext (reference) | 1 | 1 | 1 | %d | %s | %s |\n", len(refRefused), refTime.Round(10*time.Millisecond), refOther.Round(10*time.Millisecond))
	for i, e := range evalEngines {
		if len(scores[i].refused) > 0 {
			fmt.Fprintf(&sb, "\n%s refused: %s", e.name, strings.Join(scores[i].refused, ", "))
		}
	}
	t.Log(sb.String())
}
