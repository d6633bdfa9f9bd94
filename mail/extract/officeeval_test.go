package extract_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
	"github.com/plume-admin/plume/mail/extract"
)

// officeFormats are the folders of the shared corpus scored by
// TestOfficeEval, each with the reference tool: pandoc for what it reads,
// LibreOffice for the rest (spreadsheets as CSV of the first sheet,
// presentations through PDF and pdftotext).
var officeFormats = []struct{ dir, tool string }{
	{"docx", "pandoc"}, {"odt", "pandoc"}, {"xlsx", "soffice-csv"}, {"pptx", "soffice-pdf"},
}

// wordOrder is the share of the reference's adjacent word pairs found
// adjacent in got.
func wordOrder(ref, got string) float64 {
	pairs := func(s string) []string {
		w := words(s)
		out := make([]string, 0, len(w))
		for i := 1; i < len(w); i++ {
			out = append(out, w[i-1]+" "+w[i])
		}
		return out
	}
	have := map[string]int{}
	for _, p := range pairs(got) {
		have[p]++
	}
	ref2 := pairs(ref)
	if len(ref2) == 0 {
		return 1
	}
	found := 0
	for _, p := range ref2 {
		if have[p] > 0 {
			have[p]--
			found++
		}
	}
	return float64(found) / float64(len(ref2))
}

// reference returns the text a mature tool extracts from file, or "".
func reference(t *testing.T, tool, file, tmp string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	profile := "-env:UserInstallation=file://" + filepath.Join(tmp, "profile")
	run := func(name string, args ...string) bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		return exec.CommandContext(ctx, name, args...).Run() == nil
	}
	switch tool {
	case "pandoc":
		out, err := exec.Command("pandoc", "--wrap=none", "-t", "plain", file).Output()
		if err != nil {
			return ""
		}
		return string(out)
	case "soffice-csv":
		if !run("soffice", "--headless", "--norestore", profile, "--convert-to", "csv", "--outdir", tmp, file) {
			return ""
		}
		b, _ := os.ReadFile(filepath.Join(tmp, base+".csv"))
		return string(b)
	case "soffice-pdf":
		if !run("soffice", "--headless", "--norestore", profile, "--convert-to", "pdf", "--outdir", tmp, file) {
			return ""
		}
		out, err := exec.Command("pdftotext", "-layout", filepath.Join(tmp, base+".pdf"), "-").Output()
		if err != nil {
			return ""
		}
		return string(out)
	}
	return ""
}

// TestOfficeEval scores Office extraction on the shared corpus against
// pandoc and LibreOffice: per format, median word recall, the worst tenth,
// median word order (adjacent pairs), refusals and time. It runs with
// PLUME_EVAL=office (make eval-office) and prints the table of
// docs/attachments.md.
func TestOfficeEval(t *testing.T) {
	if os.Getenv("PLUME_EVAL") != "office" {
		t.Skip("set PLUME_EVAL=office (make eval-office) to score Office extraction on ../shared/corpus")
	}
	root := os.Getenv("PLUME_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpus absent: %v", err)
	}
	testenv.RequireBinary(t, "pandoc", "apt install pandoc")
	testenv.RequireBinary(t, "soffice", "apt install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui")
	testenv.RequireBinary(t, "pdftotext", "apt install poppler-utils")
	tmp := t.TempDir()
	var report strings.Builder
	fmt.Fprintln(&report, "| format | files | scored | median recall | worst tenth | median word order | refused | Plume time | reference time |")
	fmt.Fprintln(&report, "|---|---|---|---|---|---|---|---|---|")
	for _, f := range officeFormats {
		files, _ := filepath.Glob(filepath.Join(root, f.dir, "*"))
		var recalls, orders []float64
		var refused []string
		var ours, theirs time.Duration
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			doc, err := extract.Extract(context.Background(), filepath.Base(file), "", data, extract.Limits{Timeout: time.Minute, Queue: true})
			ours += time.Since(start)
			start = time.Now()
			ref := reference(t, f.tool, file, tmp)
			theirs += time.Since(start)
			if err != nil {
				refused = append(refused, filepath.Base(file)+" ("+err.Error()+")")
				continue
			}
			if len(words(ref)) < 3 { // the reference read nothing: nothing to score
				continue
			}
			r, o := recall(ref, doc.Text), wordOrder(ref, doc.Text)
			recalls, orders = append(recalls, r), append(orders, o)
			if r < 0.9 {
				t.Logf("%s/%s: recall %.2f, order %.2f", f.dir, filepath.Base(file), r, o)
			}
		}
		fmt.Fprintf(&report, "| %s | %d | %d | %.3f | %.3f | %.3f | %d | %s | %s |\n", f.dir, len(files), len(recalls),
			quantile(recalls, 0.5), quantile(recalls, 0.1), quantile(orders, 0.5), len(refused), ours.Round(time.Millisecond), theirs.Round(time.Millisecond))
		for _, r := range refused {
			t.Logf("%s refused: %s", f.dir, r)
		}
	}
	// Outlook messages have no reference tool here: read, or refused.
	msgs, _ := filepath.Glob(filepath.Join(root, "msg", "*.msg"))
	read := 0
	for _, file := range msgs {
		data, _ := os.ReadFile(file)
		if doc, err := extract.Extract(context.Background(), filepath.Base(file), "", data, extract.Limits{}); err == nil && len(doc.Mails) > 0 {
			read++
		} else {
			t.Logf("msg %s: %v", filepath.Base(file), err)
		}
	}
	fmt.Fprintf(&report, "\nOutlook .msg: %d of %d read as mail (no reference tool).\n", read, len(msgs))
	t.Log("\n" + report.String())
}

// quantile returns the q-quantile of xs (nearest rank), or 0.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(q * float64(len(s)-1))
	return s[i]
}
