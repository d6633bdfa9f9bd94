package main

import (
	"fmt"
	"io"
	"os"

	"github.com/plume-admin/plume/assist"
)

func runReply(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return replyMain(args, stdin, stdout, stderr, os.Getenv)
}

func replyMain(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs, lf := newLLMFlagSet("reply", "usage: plume reply [flags] FILE.eml|FILE.mbox|-", stderr)
	tone := fs.String("tone", "neutre", "formel, neutre or cordial")
	kind := fs.String("kind", "reply", "reply, ack, missing_documents, meeting_accept, meeting_decline or holding")
	instructions := fs.String("instructions", "", `free instructions, e.g. "refuse poliment"`)
	replyAll := fs.Bool("reply-all", false, "address every recipient")
	_, raw, a, withModel, code := lf.parseAndOpen(fs, args, stdin, stderr, getenv)
	if code != 0 {
		return code
	}
	t, err := loadThread(raw)
	if err != nil {
		fmt.Fprintln(stderr, "plume reply:", err)
		return 1
	}
	ctx, cancel := signalContext()
	defer cancel()
	req := assist.ReplyRequest{ThreadRequest: assist.ThreadRequest{Thread: t, Language: lf.lang, Length: lf.length},
		Tone: *tone, Kind: *kind, Instructions: *instructions, ReplyAll: *replyAll}
	if lf.showPrompt {
		return showPrompt(ctx, a, withModel, assist.TaskReply, req, stdout, stderr)
	}
	streamed := false
	cb := assist.Callbacks{}
	if !lf.asJSON {
		cb.Token = func(s string) { streamed = true; io.WriteString(stdout, s) }
	}
	r, meta, err := a.DraftReply(ctx, req, cb)
	if err != nil {
		fmt.Fprintln(stderr, "\nplume reply:", err)
		return 1
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"reply": r, "meta": meta})
	}
	if streamed {
		// The text was shown as it came; the subject is known at the end.
		fmt.Fprintf(stdout, "\n")
		fmt.Fprintf(stderr, "— subject: %s\n", r.Subject)
	} else {
		fmt.Fprintf(stdout, "Objet : %s\n\n%s\n", r.Subject, r.Text)
	}
	printMeta(stderr, meta)
	return 0
}
