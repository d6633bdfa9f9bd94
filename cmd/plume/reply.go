package main

import (
	"fmt"
	"io"
	netmail "net/mail"
	"strings"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"

	"github.com/plume-admin/plume/assist"
)

func runReply(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return replyMain(args, stdin, stdout, stderr, environ())
}

func replyMain(args []string, stdin io.Reader, stdout, stderr io.Writer, env map[string]string) int {
	fs, lf := newLLMFlagSet("reply", "usage: plume reply [flags] FILE.eml|FILE.mbox|-", stderr)
	tone := fs.String("tone", "neutre", "formel, neutre or cordial")
	kind := fs.String("kind", "reply", "reply, ack, accuse_reception, missing_documents, meeting_accept, meeting_decline or holding")
	procedure := fs.String("procedure", "", "accuse_reception: the procedure of organisation.procedures (default: found by its keywords)")
	var missing listFlag
	fs.Var(&missing, "missing", "accuse_reception: a missing piece (repeat the flag for each)")
	incomplete := fs.Bool("incomplete", false, "accuse_reception: the request is incomplete (pieces [à compléter] when no --missing)")
	instructions := fs.String("instructions", "", `free instructions, e.g. "refuse poliment"`)
	replyAll := fs.Bool("reply-all", false, "address every recipient")
	from := fs.String("from", "", `who replies and signs, e.g. "Paul Bernard <paul.bernard@prefecture.gouv.fr>" (default: inferred from the thread)`)
	_, raw, c, code := lf.parseAndOpen(fs, args, stdin, stderr, env)
	if code != 0 {
		return code
	}
	defer c.closeAudit()
	who, err := signer(*from)
	if err != nil {
		fmt.Fprintln(stderr, "plume reply: --from:", err)
		return 2
	}
	t, err := loadThread(raw)
	if err != nil {
		fmt.Fprintln(stderr, "plume reply:", err)
		return 1
	}
	ctx, cancel := signalContext()
	defer cancel()
	pass, code := c.admit(ctx, "reply", privacy.Request{Task: string(assist.TaskReply), Thread: t}, stderr)
	if code != 0 {
		return code
	}
	req := assist.ReplyRequest{ThreadRequest: assist.ThreadRequest{Pass: pass, Language: lf.lang, Length: lf.length},
		Tone: *tone, Kind: *kind, Instructions: *instructions, ReplyAll: *replyAll, Signer: who,
		Procedure: *procedure, Missing: missing, Incomplete: *incomplete}
	if lf.showPrompt {
		return showPrompt(ctx, c, assist.TaskReply, req, stdout, stderr)
	}
	streamed := false
	cb := assist.Callbacks{}
	if !lf.asJSON {
		cb.Token = func(s string) { streamed = true; io.WriteString(stdout, s) }
	}
	r, meta, err := c.a.DraftReply(ctx, req, cb)
	if err != nil {
		return failed("reply", err, stderr)
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"reply": r, "meta": cliMeta(pass, meta)})
	}
	if streamed {
		// The text was shown as it came; the subject is known at the end.
		fmt.Fprintf(stdout, "\n")
		fmt.Fprintf(stderr, "— subject: %s\n", r.Subject)
	} else {
		fmt.Fprintf(stdout, "Objet : %s\n\n%s\n", r.Subject, r.Text)
	}
	printMeta(stderr, pass, meta)
	return 0
}

// signer parses --from; empty leaves the signer to be inferred from the thread.
func signer(from string) (mail.Address, error) {
	if from == "" {
		return mail.Address{}, nil
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return mail.Address{}, err
	}
	return mail.Address{Name: a.Name, Address: a.Address}, nil
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, "; ") }

// Set adds one value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
