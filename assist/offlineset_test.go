package assist

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/extract"
)

// The labelled sets of testdata/offline measure the offline engine (issue
// 21): run with -v to read the figures docs/assistant.md reports.

// labelled is one entry of a labelled set: its text and its label lines.
type labelled struct {
	id     string
	text   string
	labels map[string][]string // "action", "none", "fact" → values
}

// readLabelled reads a set file: "=== id" starts an entry, "+ kind: value"
// lines label it, "#" lines before the first entry are comments.
func readLabelled(t *testing.T, path string) []labelled {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []labelled
	var body []string
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].text = strings.TrimSpace(strings.Join(body, "\n")) + "\n"
		}
		body = nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		if id, ok := strings.CutPrefix(line, "=== "); ok {
			flush()
			out = append(out, labelled{id: strings.TrimSpace(id), labels: map[string][]string{}})
			continue
		}
		if len(out) == 0 {
			continue
		}
		if l, ok := strings.CutPrefix(line, "+ "); ok {
			kind, value, _ := strings.Cut(l, ":")
			out[len(out)-1].labels[strings.TrimSpace(kind)] = append(out[len(out)-1].labels[strings.TrimSpace(kind)], strings.TrimSpace(value))
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}

// actionScore counts the offline engine's action items against the labels.
type actionScore struct {
	expected, found, matched int // labelled actions, listed actions, listed actions that are labelled ones
	dueRight, whoRight       int // among matched actions
	misses, extras, wrong    []string
}

func (s actionScore) String() string {
	return fmt.Sprintf("precision %.2f (%d/%d), recall %.2f (%d/%d), due dates right %d/%d, who right %d/%d",
		ratio(s.matched, s.found), s.matched, s.found, ratio(s.matched, s.expected), s.matched, s.expected,
		s.dueRight, s.matched, s.whoRight, s.matched)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scoreActions compares one message's listed actions with its labels: a
// listed action matches the first unmatched label whose keyword its text holds.
func scoreActions(s *actionScore, id string, items []ActionItem, labels []string) {
	type want struct{ who, key, due string }
	var ws []want
	for _, l := range labels {
		f := strings.Split(l, "|")
		w := want{strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), strings.TrimSpace(f[2])}
		if w.due == "-" {
			w.due = ""
		}
		ws = append(ws, w)
	}
	s.expected += len(ws)
	s.found += len(items)
	used := make([]bool, len(ws))
	for _, it := range items {
		hit := -1
		for i, w := range ws {
			if !used[i] && strings.Contains(strings.ToLower(it.What), strings.ToLower(w.key)) {
				hit = i
				break
			}
		}
		if hit < 0 {
			s.extras = append(s.extras, fmt.Sprintf("%s: %q (%s)", id, it.What, it.Who))
			continue
		}
		used[hit] = true
		s.matched++
		w := ws[hit]
		if it.Due == w.due {
			s.dueRight++
		} else {
			s.wrong = append(s.wrong, fmt.Sprintf("%s: %q due %q (%q), want %q", id, w.key, it.Due, it.DueText, w.due))
		}
		if strings.Contains(strings.ToLower(it.Who), strings.ToLower(w.who)) {
			s.whoRight++
		} else {
			s.wrong = append(s.wrong, fmt.Sprintf("%s: %q who %q, want %q", id, w.key, it.Who, w.who))
		}
	}
	for i, w := range ws {
		if !used[i] {
			s.misses = append(s.misses, fmt.Sprintf("%s: %q", id, w.key))
		}
	}
}

// TestOfflineActionSet measures the offline action items on the labelled
// messages: precision and recall of the actions, then due dates and
// addressees of the actions found.
func TestOfflineActionSet(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := readLabelled(t, "testdata/offline/messages.txt")
	if len(set) < 60 {
		t.Fatalf("%d labelled messages, want at least 60", len(set))
	}
	var s actionScore
	for _, e := range set {
		m, err := mail.Parse([]byte(e.text), mail.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", e.id, err)
		}
		th := mail.BuildThread([]*mail.Message{m})
		sum, _, err := a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, a, th)}, Callbacks{})
		if err != nil {
			t.Fatalf("%s: %v", e.id, err)
		}
		scoreActions(&s, e.id, sum.ActionItems, e.labels["action"])
	}
	t.Logf("offline action items on %d messages: %v", len(set), s)
	for _, x := range s.misses {
		t.Logf("missed: %s", x)
	}
	for _, x := range s.extras {
		t.Logf("not an action: %s", x)
	}
	for _, x := range s.wrong {
		t.Logf("wrong: %s", x)
	}
	if p, r := ratio(s.matched, s.found), ratio(s.matched, s.expected); p < 0.9 || r < 0.9 {
		t.Errorf("precision %.2f, recall %.2f: want both at least 0.9", p, r)
	}
	if s.dueRight < s.matched {
		t.Errorf("%d of %d due dates wrong on found actions", s.matched-s.dueRight, s.matched)
	}
}

// docFromText builds a docwrite document from a labelled entry: "# " and
// "## " lines are headings, "- " lines list items, other lines paragraphs.
func docFromText(text string) docwrite.Doc {
	var d docwrite.Doc
	var items []string
	for _, p := range strings.Split(text, "\n") {
		p = strings.TrimSpace(p)
		if it, ok := strings.CutPrefix(p, "- "); ok {
			items = append(items, it)
			continue
		}
		if len(items) > 0 {
			d.Blocks = append(d.Blocks, docwrite.List(items...))
			items = nil
		}
		switch {
		case p == "":
		case strings.HasPrefix(p, "## "):
			d.Blocks = append(d.Blocks, docwrite.Heading(2, p[3:]))
		case strings.HasPrefix(p, "# "):
			d.Blocks = append(d.Blocks, docwrite.Heading(1, p[2:]))
		default:
			d.Blocks = append(d.Blocks, docwrite.Para(p))
		}
	}
	if len(items) > 0 {
		d.Blocks = append(d.Blocks, docwrite.List(items...))
	}
	return d
}

// documentFormats are the formats each labelled document is written in.
var documentFormats = []struct {
	ext   string
	write func(docwrite.Doc) []byte
}{{"odt", docwrite.ODT}, {"docx", docwrite.DOCX}, {"pdf", docwrite.PDF}}

// TestOfflineDocumentSet writes each labelled document as ODT, DOCX and
// PDF, reads it back with mail/extract and checks that the offline summary
// keeps every key fact, and that DOCX and ODT give the same summary.
func TestOfflineDocumentSet(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := readLabelled(t, "testdata/offline/documents.txt")
	if len(set) < 20 {
		t.Fatalf("%d labelled documents, want at least 20", len(set))
	}
	for _, length := range []string{"short", "standard"} {
		facts, kept, textChars, sumChars := 0, 0, 0, 0
		for _, e := range set {
			d := docFromText(e.text)
			summaries := map[string]string{}
			for _, f := range documentFormats {
				name := e.id + "." + f.ext
				doc, err := extract.Extract(context.Background(), name, "", f.write(d), extract.Limits{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				sum, _, err := a.SummarizeDocument(context.Background(), DocumentRequest{Pass: admitDoc(t, a, name, doc.Text), Length: length}, Callbacks{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				summaries[f.ext] = sum.Summary
				_, body, _ := strings.Cut(sum.Summary, "\n\n") // the offline note first
				textChars += len(doc.Text)
				sumChars += len(body)
				flat := strings.Join(strings.Fields(sum.Summary), " ")
				for _, fact := range e.labels["fact"] {
					facts++
					if strings.Contains(flat, fact) {
						kept++
					} else if length == "standard" {
						t.Errorf("%s (%s): key fact %q dropped:\n%s", name, length, fact, sum.Summary)
					} else {
						t.Logf("%s (%s): key fact %q dropped", name, length, fact)
					}
				}
			}
			if summaries["odt"] != summaries["docx"] {
				t.Errorf("%s (%s): ODT and DOCX summaries differ:\n%s\n---\n%s", e.id, length, summaries["odt"], summaries["docx"])
			}
		}
		t.Logf("offline document summaries (%s) of %d documents in %d formats: key facts kept %d/%d, summaries %.0f%% of the text",
			length, len(set), len(documentFormats), kept, facts, 100*ratio(sumChars, textChars))
	}
}
