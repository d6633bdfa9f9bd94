package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail"
)

// This file holds what summarize, reply and redact share: reading the one
// FILE|- operand, turning mail into a thread, and the model flags with
// their PLUME_LLM_* environment fallbacks.

// maxStdin bounds what a command reads from standard input.
const maxStdin = 50 << 20

// readFileArg parses args into fs and reads the single FILE|- operand.
// When code is not zero the command stops with it: usage or the read error
// has been written to stderr.
func readFileArg(fs *flag.FlagSet, args []string, stdin io.Reader, stderr io.Writer) (name string, raw []byte, code int) {
	if err := fs.Parse(args); err != nil {
		return "", nil, 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", nil, 2
	}
	name = fs.Arg(0)
	raw, err := readInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "plume %s: %v\n", fs.Name(), err)
		return "", nil, 1
	}
	return name, raw, 0
}

// readInput reads a file, or at most maxStdin bytes of stdin for "-".
func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, maxStdin))
	}
	return os.ReadFile(name)
}

// isMailFile tells mail (.eml, .mbox, stdin) from documents by extension.
func isMailFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case "", ".eml", ".mbox", ".mbx", ".msg822":
		return true
	}
	return name == "-"
}

// loadThread parses an .eml or an mbox into one thread.
func loadThread(raw []byte) (*mail.Thread, error) {
	raws, err := mail.ReadMbox(bytes.NewReader(raw), mail.Limits{})
	if err != nil {
		return nil, err
	}
	var msgs []*mail.Message
	for _, r := range raws {
		m, err := mail.Parse(r, mail.Limits{})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return mail.BuildThread(msgs), nil
}

// signalContext is cancelled on Ctrl-C.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// llmFlags are the model flags shared by summarize and reply; each falls
// back to its PLUME_LLM_* environment variable.
type llmFlags struct {
	baseURL, model, apiKey string
	contextWindow          int
	maxOutput              int
	lang, length           string
	showPrompt, asJSON     bool
	timeout                time.Duration
}

func (l *llmFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.baseURL, "base-url", "", "OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1 (env PLUME_LLM_BASE_URL)")
	fs.StringVar(&l.model, "model", "", "model name (env PLUME_LLM_MODEL)")
	fs.StringVar(&l.apiKey, "api-key", "", "API key (env PLUME_LLM_API_KEY)")
	fs.IntVar(&l.contextWindow, "context-window", 0, "model context window in tokens (env PLUME_LLM_CONTEXT_WINDOW, default 8192)")
	fs.IntVar(&l.maxOutput, "max-output", 0, "tokens reserved for the answer (default 1024)")
	fs.StringVar(&l.lang, "lang", "fr", "answer language: fr or en")
	fs.StringVar(&l.length, "length", "standard", "short, standard or detailed")
	fs.BoolVar(&l.showPrompt, "show-prompt", false, "print exactly what would be sent to the model and its token count, without calling it")
	fs.BoolVar(&l.asJSON, "json", false, "print the result and its meta as JSON")
	fs.DurationVar(&l.timeout, "timeout", 2*time.Minute, "bound on one model call")
}

// assistant builds the Assistant from flags and environment; with no model
// configured it runs the offline engine.
func (l *llmFlags) assistant(getenv func(string) string) (*assist.Assistant, bool, error) {
	pick := func(flagV, env string) string {
		if flagV != "" {
			return flagV
		}
		return getenv(env)
	}
	base, model, key := pick(l.baseURL, "PLUME_LLM_BASE_URL"), pick(l.model, "PLUME_LLM_MODEL"), pick(l.apiKey, "PLUME_LLM_API_KEY")
	opts := assist.Options{Language: l.lang, Timeout: l.timeout, NoCache: true}
	if base == "" && model == "" {
		a, err := assist.New(opts)
		return a, false, err
	}
	if base == "" || model == "" {
		return nil, false, errors.New("a model needs both --base-url (PLUME_LLM_BASE_URL) and --model (PLUME_LLM_MODEL)")
	}
	window := l.contextWindow
	if window == 0 {
		fmt.Sscan(getenv("PLUME_LLM_CONTEXT_WINDOW"), &window)
	}
	m, err := assist.NewOpenAICompatible(assist.OpenAIConfig{BaseURL: base, Model: model, APIKey: key})
	if err != nil {
		return nil, false, err
	}
	opts.Endpoints = []assist.Endpoint{{Name: "cli", Model: m, ModelName: model, ContextWindow: window, MaxOutput: l.maxOutput}}
	a, err := assist.New(opts)
	return a, true, err
}

// newLLMFlagSet is the flag set of a command that asks the model: the model
// flags registered and the usage line, then the defaults, on stderr.
func newLLMFlagSet(name, usage string, stderr io.Writer) (*flag.FlagSet, *llmFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	lf := &llmFlags{}
	lf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs, lf
}

// parseAndOpen reads the FILE|- operand and builds the assistant from the
// model flags; code is as for readFileArg.
func (l *llmFlags) parseAndOpen(fs *flag.FlagSet, args []string, stdin io.Reader, stderr io.Writer, getenv func(string) string) (name string, raw []byte, a *assist.Assistant, withModel bool, code int) {
	name, raw, code = readFileArg(fs, args, stdin, stderr)
	if code != 0 {
		return "", nil, nil, false, code
	}
	a, withModel, err := l.assistant(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "plume %s: %v\n", fs.Name(), err)
		return "", nil, nil, false, 2
	}
	return name, raw, a, withModel, 0
}
