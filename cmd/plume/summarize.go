package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail/extract"
)

func runSummarize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return summarizeMain(args, stdin, stdout, stderr, os.Getenv)
}

func summarizeMain(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs, lf := newLLMFlagSet("summarize", "usage: plume summarize [flags] FILE.eml|FILE.mbox|DOCUMENT|-", stderr)
	name, raw, a, withModel, code := lf.parseAndOpen(fs, args, stdin, stderr, getenv)
	if code != 0 {
		return code
	}
	ctx, cancel := signalContext()
	defer cancel()
	if !isMailFile(name) {
		return summarizeDocument(ctx, a, withModel, lf, name, raw, stdout, stderr)
	}
	t, err := loadThread(raw)
	if err != nil {
		fmt.Fprintln(stderr, "plume summarize:", err)
		return 1
	}
	req := assist.ThreadRequest{Thread: t, Language: lf.lang, Length: lf.length}
	if lf.showPrompt {
		return showPrompt(ctx, a, withModel, assist.TaskSummary, req, stdout, stderr)
	}
	cb := assist.Callbacks{}
	if !lf.asJSON {
		cb.Token = func(s string) { io.WriteString(stderr, s) }
	}
	sum, meta, err := a.SummarizeThread(ctx, req, cb)
	if err != nil {
		fmt.Fprintln(stderr, "\nplume summarize:", err)
		return 1
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"summary": sum, "meta": meta})
	}
	if meta.PromptTokens > 0 && !meta.Cached && !meta.Degraded {
		fmt.Fprintln(stderr)
	}
	printSummary(stdout, sum, lf.lang)
	printMeta(stderr, meta)
	return 0
}

func summarizeDocument(ctx context.Context, a *assist.Assistant, withModel bool, lf *llmFlags, name string, raw []byte, stdout, stderr io.Writer) int {
	doc, err := extract.Extract(ctx, filepath.Base(name), "", raw, extract.Limits{})
	if err != nil {
		fmt.Fprintln(stderr, "plume summarize:", err)
		return 1
	}
	req := assist.DocumentRequest{Name: doc.Name, Text: doc.Text, Language: lf.lang, Length: lf.length}
	if lf.showPrompt {
		return showPrompt(ctx, a, withModel, assist.TaskDocument, req, stdout, stderr)
	}
	cb := assist.Callbacks{Progress: progressBar(stderr)}
	if !lf.asJSON {
		cb.Token = func(s string) { io.WriteString(stdout, s) }
	}
	streamed := false
	if cb.Token != nil {
		tok := cb.Token
		cb.Token = func(s string) { streamed = true; tok(s) }
	}
	ds, meta, err := a.SummarizeDocument(ctx, req, cb)
	if err != nil {
		fmt.Fprintln(stderr, "\nplume summarize:", err)
		return 1
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"document": ds, "meta": meta})
	}
	if streamed {
		fmt.Fprintln(stdout)
	} else {
		fmt.Fprintln(stdout, ds.Summary)
	}
	for _, s := range doc.Skipped {
		fmt.Fprintln(stderr, "skipped while reading:", s)
	}
	printMeta(stderr, meta)
	return 0
}

// progressBar draws "part i of n" on stderr for long documents.
func progressBar(w io.Writer) func(done, total int, stage string) {
	return func(done, total int, stage string) {
		if total <= 1 && stage == "chunk" {
			return
		}
		const width = 30
		filled := 0
		if total > 0 {
			filled = width * done / total
		}
		fmt.Fprintf(w, "\r%-7s [%s%s] %d/%d", stage, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

func showPrompt(ctx context.Context, a *assist.Assistant, withModel bool, task assist.Task, req any, stdout, stderr io.Writer) int {
	p, n, err := a.Preview(ctx, task, req)
	if err != nil {
		fmt.Fprintln(stderr, "plume:", err)
		return 1
	}
	fmt.Fprintln(stdout, p)
	fmt.Fprintf(stdout, "=== %d tokens (cl100k_base count) ===\n", n)
	if !withModel {
		fmt.Fprintln(stderr, "note: no model configured; the offline engine would answer and nothing would be sent.")
	}
	return 0
}

func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, "plume:", err)
		return 1
	}
	return 0
}

func printSummary(w io.Writer, s *assist.Summary, lang string) {
	l := func(fr, en string) string {
		if lang == "en" {
			return en
		}
		return fr
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, it := range items {
			fmt.Fprintf(w, "  - %s\n", it)
		}
	}
	fmt.Fprintf(w, "%s\n  %s\n", l("Résumé", "Summary"), s.Summary)
	list(l("Points clés", "Key points"), s.KeyPoints)
	list(l("Décisions", "Decisions"), s.Decisions)
	list(l("Questions ouvertes", "Open questions"), s.OpenQuestions)
	var actions []string
	for _, a := range s.ActionItems {
		line := a.What
		if a.Who != "" {
			line = a.Who + " : " + line
		}
		switch {
		case a.Due != "" && a.DueText != "":
			line += fmt.Sprintf(" (%s, %s)", a.Due, a.DueText)
		case a.Due != "":
			line += " (" + a.Due + ")"
		case a.DueText != "":
			line += " (" + a.DueText + ")"
		}
		actions = append(actions, line)
	}
	list(l("Actions", "Action items"), actions)
	var people []string
	for _, p := range s.Participants {
		people = append(people, p.Name+" — "+p.Role)
	}
	list(l("Participants", "Participants"), people)
}

func printMeta(w io.Writer, m assist.Meta) {
	parts := []string{"model " + m.Endpoint + "/" + m.Model, "prompts " + m.PromptVersion}
	if m.PromptTokens > 0 {
		parts = append(parts, fmt.Sprintf("%d prompt + %d completion tokens", m.PromptTokens, m.CompletionTokens))
	}
	if m.Cached {
		parts = append(parts, "from cache")
	}
	if m.Degraded {
		parts = append(parts, "DEGRADED: "+m.DegradedReason)
	}
	fmt.Fprintln(w, "—", strings.Join(parts, " · "))
	for _, c := range m.Cut {
		fmt.Fprintln(w, "— cut:", c)
	}
}
