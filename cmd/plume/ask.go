package main

import (
	"fmt"
	"io"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/privacy"
)

func runAsk(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return askMain(args, stdin, stdout, stderr, environ())
}

func askMain(args []string, stdin io.Reader, stdout, stderr io.Writer, env map[string]string) int {
	fs, lf := newLLMFlagSet("ask", `usage: plume ask [flags] SOURCE… "QUESTION"   (sources: .eml, mbox, -, documents)`, stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return 2
	}
	names, question := fs.Args()[:fs.NArg()-1], fs.Arg(fs.NArg()-1)
	c, err := lf.open(env, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "plume ask:", err)
		return 2
	}
	defer c.closeAudit()
	ctx, cancel := signalContext()
	defer cancel()
	src, err := readSources(ctx, names, stdin)
	if err != nil {
		fmt.Fprintln(stderr, "plume ask:", err)
		return 1
	}
	pass, code := c.admit(ctx, "ask", privacy.Request{Task: string(assist.TaskAsk), Thread: src.thread, Documents: src.docs}, stderr)
	if code != 0 {
		return code
	}
	req := assist.AskRequest{Pass: pass, Language: lf.lang, Question: question}
	if lf.showPrompt {
		return showPrompt(ctx, c, assist.TaskAsk, req, stdout, stderr)
	}
	cb := assist.Callbacks{}
	if !lf.asJSON {
		// The model's raw answer (with its [M1] references) goes to stderr
		// as it comes; the answer with its sources is printed at the end.
		cb.Token = func(s string) { io.WriteString(stderr, s) }
	}
	ans, meta, err := c.a.Ask(ctx, req, cb)
	if err != nil {
		return failed("ask", err, stderr)
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"answer": ans, "meta": cliMeta(pass, meta)})
	}
	if meta.PromptTokens > 0 && !meta.Cached && !meta.Degraded {
		fmt.Fprintln(stderr)
	}
	fmt.Fprintln(stdout, ans.Text)
	if len(ans.Citations) > 0 {
		fmt.Fprintln(stdout, "\nSources :")
		for _, ci := range ans.Citations {
			fmt.Fprintf(stdout, "  [%s] %s\n", ci.Ref, ci.Source)
		}
	}
	for _, s := range src.skipped {
		fmt.Fprintln(stderr, "skipped while reading:", s)
	}
	printMeta(stderr, pass, meta)
	return 0
}
