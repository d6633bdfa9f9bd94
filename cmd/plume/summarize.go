package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/plume-admin/plume/privacy"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail/extract"
)

func runSummarize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return summarizeMain(args, stdin, stdout, stderr, environ())
}

func summarizeMain(args []string, stdin io.Reader, stdout, stderr io.Writer, env map[string]string) int {
	fs, lf := newLLMFlagSet("summarize", "usage: plume summarize [flags] FILE.eml|FILE.mbox|DOCUMENT|-", stderr)
	name, raw, c, code := lf.parseAndOpen(fs, args, stdin, stderr, env)
	if code != 0 {
		return code
	}
	defer c.closeAudit()
	ctx, cancel := signalContext()
	defer cancel()
	if !isMailFile(name) {
		return summarizeDocument(ctx, c, lf, name, raw, stdout, stderr)
	}
	t, err := loadThread(raw)
	if err != nil {
		fmt.Fprintln(stderr, "plume summarize:", err)
		return 1
	}
	pass, code := c.admit(ctx, "summarize", privacy.Request{Task: string(assist.TaskSummary), Thread: t}, stderr)
	if code != 0 {
		return code
	}
	req := assist.ThreadRequest{Pass: pass, Language: lf.lang, Length: lf.length}
	if lf.showPrompt {
		return showPrompt(ctx, c, assist.TaskSummary, req, stdout, stderr)
	}
	cb := assist.Callbacks{}
	if !lf.asJSON {
		cb.Token = func(s string) { io.WriteString(stderr, s) }
	}
	sum, meta, err := c.a.SummarizeThread(ctx, req, cb)
	if err != nil {
		return failed("summarize", err, stderr)
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"summary": sum, "meta": cliMeta(pass, meta)})
	}
	if meta.PromptTokens > 0 && !meta.Cached && !meta.Degraded {
		fmt.Fprintln(stderr)
	}
	printSummary(stdout, sum, lf.lang)
	printMeta(stderr, pass, meta)
	return 0
}

func summarizeDocument(ctx context.Context, c *core, lf *llmFlags, name string, raw []byte, stdout, stderr io.Writer) int {
	// Queue: wait for a free extraction slot rather than fail.
	startPDFEngine()
	doc, err := extract.Extract(ctx, filepath.Base(name), "", raw, extract.Limits{Queue: true})
	if err != nil {
		fmt.Fprintln(stderr, "plume summarize:", err)
		return 1
	}
	pass, code := c.admit(ctx, "summarize", privacy.Request{Task: string(assist.TaskDocument),
		Documents: []privacy.Document{{Name: doc.Name, Text: doc.Text, Mails: doc.Mails}}}, stderr)
	if code != 0 {
		return code
	}
	req := assist.DocumentRequest{Pass: pass, Language: lf.lang, Length: lf.length}
	if lf.showPrompt {
		return showPrompt(ctx, c, assist.TaskDocument, req, stdout, stderr)
	}
	cb := assist.Callbacks{Progress: progressBar(stderr)}
	streamed := false
	if !lf.asJSON {
		cb.Token = func(s string) { streamed = true; io.WriteString(stdout, s) }
	}
	ds, meta, err := c.a.SummarizeDocument(ctx, req, cb)
	if err != nil {
		return failed("summarize", err, stderr)
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"document": ds, "meta": cliMeta(pass, meta)})
	}
	if streamed {
		fmt.Fprintln(stdout)
	} else {
		fmt.Fprintln(stdout, ds.Summary)
	}
	for _, s := range doc.Skipped {
		fmt.Fprintln(stderr, "skipped while reading:", s)
	}
	printMeta(stderr, pass, meta)
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

// showPrompt prints the prompts the pass seals, exactly as the API would
// send them for the same input and configuration (the per-request
// boundary aside), and sends nothing.
func showPrompt(ctx context.Context, c *core, task assist.Task, req any, stdout, stderr io.Writer) int {
	p, n, err := c.a.Preview(ctx, task, req)
	if err != nil {
		return failed("show-prompt", err, stderr)
	}
	fmt.Fprintln(stdout, p)
	fmt.Fprintf(stdout, "=== %d tokens (cl100k_base count) ===\n", n)
	if !c.withModel() {
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

// cliMeta is the answer's meta as the API gives it: assist's, plus what
// the privacy layer did.
func cliMeta(p *privacy.Pass, m assist.Meta) map[string]any {
	return map[string]any{"assist": m, "pseudonymized": p.Counts(), "markings": p.Markings(),
		"hiddenDropped": p.HiddenDropped(), "guardRemoved": p.GuardRemoved()}
}

func printMeta(w io.Writer, p *privacy.Pass, m assist.Meta) {
	parts := []string{"model " + m.Endpoint + "/" + m.Model, "prompts " + m.PromptVersion}
	n := 0
	for _, c := range p.Counts() {
		n += c
	}
	if n > 0 {
		parts = append(parts, fmt.Sprintf("%d personal data item(s) pseudonymised", n))
	}
	if r := p.GuardRemoved(); r > 0 {
		parts = append(parts, fmt.Sprintf("%d link(s)/address(es) removed by the output guard", r))
	}
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
