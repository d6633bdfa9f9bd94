// Command plume is Plume's single binary: the panel API server, the demo,
// and command-line tools to inspect what Plume reads and sends.
//
// Usage:
//
//	plume demo                       everything embedded, on http://127.0.0.1:8080
//	plume serve --config plume.yaml  production server
//	plume extract [--json] FILE|-    parse mail and show the cleaned model
//	plume summarize FILE             summarise a thread or a document
//	plume reply FILE                 draft a reply to the latest message
//	plume draft -o OUT.odt SOURCE…   draft a courrier or a note as ODT/DOCX
//	plume ask SOURCE… "QUESTION"     answer a question from the sources, with citations
//	plume redact FILE|-              show text as a model would receive it
//	plume manifest KIND -o DIR       write client manifests and packages
//	plume config check --config FILE check a configuration without starting
//	plume config example             print the documented example configuration
//	plume version                    print the version
//
// Flags and environment variables are read here only.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// command is one subcommand: its one-line help and its entry point.
type command struct {
	help string
	run  func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file.
var commands = map[string]command{
	"extract":  {"parse mail and show the cleaned model", runExtract},
	"serve":    {"run the panel API server (--config plume.yaml)", runServe},
	"demo":     {"run everything embedded on http://127.0.0.1:8080 (--listen ADDR)", runDemo},
	"manifest": {"write client manifests and packages (outlook|unified|thunderbird|all)", runManifest},
	"config":   {"check a configuration (check --config FILE) or print the example (example)", runConfig},
	"version": {"print the version", func(_ []string, _ io.Reader, stdout, _ io.Writer) int {
		fmt.Fprintln(stdout, "plume", version)
		return 0
	}},

	// assistant (cmd/plume/summarize.go, reply.go)
	"summarize": {"summarise a thread (.eml, mbox) or a document (PDF, DOCX, ODT, …)", runSummarize},
	"reply":     {"draft a reply to the latest message of a thread", runReply},
	"draft":     {"draft a courrier or a note as ODT or DOCX (-o OUT.odt|OUT.docx SOURCE…)", runDraft},
	"ask":       {"answer a question from a thread and documents, citing them (SOURCE… \"QUESTION\")", runAsk},

	// privacy (cmd/plume/redact.go)
	"redact": {"show text as a model would receive it, and what was replaced (--json)", runRedact},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "plume: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: plume COMMAND [flags]")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].help)
	}
}
