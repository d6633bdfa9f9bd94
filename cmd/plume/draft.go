package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/privacy"
)

func runDraft(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return draftMain(args, stdin, stdout, stderr, environ())
}

func draftMain(args []string, stdin io.Reader, stdout, stderr io.Writer, env map[string]string) int {
	fs, lf := newLLMFlagSet("draft", "usage: plume draft [flags] -o OUT.odt|OUT.docx SOURCE…   (sources: .eml, mbox, -, documents)", stderr)
	kind := fs.String("kind", "courrier", "courrier or note")
	to := fs.String("to", "", `addressee, lines separated by \n, e.g. "Monsieur le Maire de Provins" (default: the latest correspondent)`)
	instructions := fs.String("instructions", "", "free instructions")
	from := fs.String("from", "", `who drafts (« Affaire suivie par »), e.g. "Paul Bernard <paul.bernard@prefecture.gouv.fr>"`)
	out := fs.String("o", "", "output file, .odt or .docx (required); - prints the parts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 1 || *out == "" {
		fs.Usage()
		return 2
	}
	format := ""
	if *out != "-" {
		f, ok := assist.DraftFormat(filepath.Ext(*out))
		if !ok {
			fmt.Fprintln(stderr, "plume draft: -o must end in .odt or .docx")
			return 2
		}
		format = f
	}
	who, err := signer(*from)
	if err != nil {
		fmt.Fprintln(stderr, "plume draft: --from:", err)
		return 2
	}
	c, err := lf.open(env, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "plume draft:", err)
		return 2
	}
	defer c.closeAudit()
	ctx, cancel := signalContext()
	defer cancel()
	src, err := readSources(ctx, fs.Args(), stdin)
	if err != nil {
		fmt.Fprintln(stderr, "plume draft:", err)
		return 1
	}
	pass, code := c.admit(ctx, "draft", privacy.Request{Task: string(assist.TaskDraft), Thread: src.thread, Documents: src.docs}, stderr)
	if code != 0 {
		return code
	}
	req := assist.DraftRequest{Pass: pass, Language: lf.lang, Kind: *kind, To: unescapeLines(*to), Instructions: *instructions, Author: who}
	if lf.showPrompt {
		return showPrompt(ctx, c, assist.TaskDraft, req, stdout, stderr)
	}
	cb := assist.Callbacks{}
	if !lf.asJSON {
		cb.Token = func(s string) { io.WriteString(stderr, s) }
	}
	d, meta, err := c.a.Draft(ctx, req, cb)
	if err != nil {
		return failed("draft", err, stderr)
	}
	if meta.PromptTokens > 0 && !meta.Cached && !meta.Degraded && !lf.asJSON {
		fmt.Fprintln(stderr)
	}
	if format != "" {
		// The file is built from the draft as assist returned it:
		// restored, guarded and laid out.
		b, _, err := d.File(format)
		if err == nil {
			err = os.WriteFile(*out, b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, "plume draft:", err)
			return 1
		}
		fmt.Fprintln(stderr, "— written:", *out)
	}
	if lf.asJSON {
		return printJSON(stdout, stderr, map[string]any{"draft": d, "meta": cliMeta(pass, meta)})
	}
	fmt.Fprintln(stdout, d.Text())
	for _, s := range src.skipped {
		fmt.Fprintln(stderr, "skipped while reading:", s)
	}
	printMeta(stderr, pass, meta)
	return 0
}

// unescapeLines turns the two characters \n of a flag into line breaks.
func unescapeLines(s string) string {
	out := []rune{}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\\' && i+1 < len(rs) && rs[i+1] == 'n' {
			out = append(out, '\n')
			i++
			continue
		}
		out = append(out, rs[i])
	}
	return string(out)
}
