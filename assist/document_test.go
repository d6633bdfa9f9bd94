package assist

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist/fakellm"
)

// longReport is a report of sections, each a paragraph of sentences and a
// table of rows: what a spreadsheet of a million rows becomes, in small.
func longReport(sections, rows int) string {
	var sb strings.Builder
	sb.WriteString("# Rapport de contrôle\n\n")
	for i := 1; i <= sections; i++ {
		fmt.Fprintf(&sb, "## Section %d\n\nLa section %d ouvre le contrôle du site %d. Les agents ont relevé %d écarts mineurs. Le suivi est assuré par le service.\n\n", i, i, i, i%7)
		sb.WriteString("| Site | Écarts | Statut |\n|---|---|---|\n")
		for k := 0; k < rows; k++ {
			fmt.Fprintf(&sb, "| Site %d.%d | %d | ouvert |\n", i, k, k%5)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

var budgetTests = []struct {
	name                   string
	sections, rows, budget int
	window, out            int
	selected               bool
}{
	{"within the budget", 3, 5, 60000, 4000, 500, false},
	{"above the budget", 200, 60, 20000, 4000, 500, true},
	// a huge budget on a small model: calls stay capped
	{"capped calls", 200, 60, 10000000, 1500, 300, true},
}

func TestDocumentBudget(t *testing.T) {
	for _, tt := range budgetTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
				return fakellm.Response{Text: "## Synthèse\n\nContrôle de sites."}
			}}, func(o *Options, ep *Endpoint, _ *RetryPolicy) {
				o.DocumentTokens, ep.ContextWindow, ep.MaxOutput = tt.budget, tt.window, tt.out
			})
			text := longReport(tt.sections, tt.rows)
			req := DocumentRequest{Pass: admitDoc(t, f.a, "controle.ods", text)}
			preview, _, err := f.a.Preview(context.Background(), TaskDocument, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.srv.Requests()) != 0 || !strings.Contains(preview, "estimate: ") {
				t.Fatalf("preview sent requests or lacks the estimate:\n%.300s", preview)
			}
			d, meta, err := f.a.SummarizeDocument(context.Background(), DocumentRequest{Pass: admitDoc(t, f.a, "controle.ods", text)}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			e := meta.Estimate
			calls := len(f.srv.Requests())
			if e == nil || e.Calls != calls || calls > maxDocumentCalls || e.Selected != tt.selected {
				t.Fatalf("estimate %+v, %d calls (cap %d)", e, calls, maxDocumentCalls)
			}
			if !strings.Contains(preview, fmt.Sprintf("estimate: %d model call(s)", calls)) {
				t.Errorf("preview estimate differs from the %d calls made:\n%s", calls, preview[strings.LastIndex(preview, "#####"):])
			}
			said := strings.HasPrefix(d.Summary, "_Ce document (") && strings.Contains(d.Summary, "sélection")
			if said != tt.selected || tt.selected && len(meta.Cut) == 0 {
				t.Errorf("selected %v, summary says %v, cut %q:\n%s", tt.selected, said, meta.Cut, d.Summary)
			}
			if tt.selected {
				if e.SourceTokens <= e.Budget || e.Budget > tt.budget {
					t.Errorf("selection of a document within its budget: %+v", e)
				}
				// the selection keeps the headings and the table headers
				sent := f.srv.Requests()[0].Last()
				if !strings.Contains(sent, "## Section 1") || !strings.Contains(sent, "| Site | Écarts | Statut |") {
					t.Errorf("selection lost headings or table headers:\n%.500s", sent)
				}
			}
		})
	}
}
