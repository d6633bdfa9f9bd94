package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/plume-admin/plume/config"
	"github.com/plume-admin/plume/privacy"

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

// llmFlags are the flags of the commands that ask a model. The model and
// its clearances come from the same configuration as `plume serve`
// (--config, PLUME_* overrides); --base-url, --model, --api-key,
// --context-window and --max-output are the PLUME_LLM_* shortcuts of the
// first endpoint, which stays cleared for no marking unless the
// configuration or PLUME_LLM_CLEARED says otherwise.
type llmFlags struct {
	config                 string
	baseURL, model, apiKey string
	contextWindow          int
	maxOutput              int
	lang, length           string
	showPrompt, asJSON     bool
	timeout                time.Duration
}

func (l *llmFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.config, "config", "", "configuration file, as for plume serve (env PLUME_CONFIG); PLUME_* variables override it")
	fs.StringVar(&l.baseURL, "base-url", "", "OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1 (env PLUME_LLM_BASE_URL)")
	fs.StringVar(&l.model, "model", "", "model name (env PLUME_LLM_MODEL)")
	fs.StringVar(&l.apiKey, "api-key", "", "API key (env PLUME_LLM_API_KEY)")
	fs.IntVar(&l.contextWindow, "context-window", 0, "model context window in tokens (env PLUME_LLM_CONTEXT_WINDOW, default 8192)")
	fs.IntVar(&l.maxOutput, "max-output", 0, "tokens reserved for the answer (env PLUME_LLM_MAX_OUTPUT, default 1024)")
	fs.StringVar(&l.lang, "lang", "fr", "answer language: fr or en")
	fs.StringVar(&l.length, "length", "standard", "short, standard or detailed")
	fs.BoolVar(&l.showPrompt, "show-prompt", false, "print exactly what would be sent to the model and its token count, without calling it")
	fs.BoolVar(&l.asJSON, "json", false, "print the result and its meta as JSON")
	fs.DurationVar(&l.timeout, "timeout", 0, "bound on one model call (default llm.timeout)")
}

// core is what a command that asks a model runs on: the configuration's
// privacy gate and assistant, the same as the API's.
type core struct {
	cfg        *config.Config
	gate       *privacy.Gate
	a          *assist.Assistant
	user       string
	closeAudit func() error
}

// withModel reports whether a model endpoint is configured.
func (c *core) withModel() bool { return len(c.cfg.LLM.Endpoints) > 0 }

// open loads the configuration with the flags as PLUME_LLM_* overrides and
// builds the gate (audit lines to the audit path, "-" meaning stderr here)
// and the assistant (no cache: one request per run).
func (l *llmFlags) open(env map[string]string, stderr io.Writer) (*core, error) {
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	for k, v := range map[string]string{"PLUME_LLM_BASE_URL": l.baseURL, "PLUME_LLM_MODEL": l.model, "PLUME_LLM_API_KEY": l.apiKey} {
		if v != "" {
			env[k] = v
		}
	}
	for k, v := range map[string]int{"PLUME_LLM_CONTEXT_WINDOW": l.contextWindow, "PLUME_LLM_MAX_OUTPUT": l.maxOutput} {
		if v > 0 {
			env[k] = strconv.Itoa(v)
		}
	}
	path := l.config
	if path == "" {
		path = env["PLUME_CONFIG"]
	}
	cfg, err := config.LoadCommand(path, env)
	if err != nil {
		return nil, err
	}
	if l.timeout > 0 {
		cfg.LLM.Timeout = l.timeout
	}
	auditor, closeAudit, err := cfg.OpenAudit(stderr)
	if err != nil {
		return nil, err
	}
	gate, err := cfg.Gate(auditor, nil, nil)
	if err != nil {
		closeAudit()
		return nil, err
	}
	opts, err := cfg.AssistantOptions(env, nil)
	if err != nil {
		closeAudit()
		return nil, err
	}
	opts.Language, opts.NoCache = l.lang, true
	a, err := assist.New(opts)
	if err != nil {
		closeAudit()
		return nil, err
	}
	user := env["USER"]
	if user == "" {
		user = "cli"
	}
	return &core{cfg: cfg, gate: gate, a: a, user: user, closeAudit: closeAudit}, nil
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

// parseAndOpen reads the FILE|- operand and opens the core from the
// configuration; code is as for readFileArg (a bad configuration is a
// usage error, 2).
func (l *llmFlags) parseAndOpen(fs *flag.FlagSet, args []string, stdin io.Reader, stderr io.Writer, env map[string]string) (name string, raw []byte, c *core, code int) {
	name, raw, code = readFileArg(fs, args, stdin, stderr)
	if code != 0 {
		return "", nil, nil, code
	}
	c, err := l.open(env, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "plume %s: %v\n", fs.Name(), err)
		return "", nil, nil, 2
	}
	return name, raw, c, 0
}

// exitRefused is the exit status of a request the privacy gate refused
// (a marking no endpoint is cleared for, or encrypted mail): distinct
// from errors (1) and usage errors (2).
const exitRefused = 3

// admit hands what a command would send to the gate. A refusal is told in
// French and English, naming the marking and the endpoints considered,
// never the content; code is then exitRefused (or 1 for other errors).
func (c *core) admit(ctx context.Context, cmd string, r privacy.Request, stderr io.Writer) (*privacy.Pass, int) {
	r.User, r.Source = c.user, "file"
	p, err := c.gate.Admit(ctx, r)
	if err == nil {
		return p, 0
	}
	var ref *privacy.Refusal
	if !errors.As(err, &ref) {
		fmt.Fprintf(stderr, "plume %s: %v\n", cmd, err)
		return nil, 1
	}
	fmt.Fprintf(stderr, "plume %s: %s\n", cmd, ref.Code())
	fmt.Fprintln(stderr, "  fr:", ref.French())
	fmt.Fprintln(stderr, "  en:", ref.English())
	if len(ref.Endpoints) > 0 {
		fmt.Fprintln(stderr, "  endpoints / modèles :", strings.Join(ref.Endpoints, ", "))
	}
	return nil, exitRefused
}

// failed prints a task's error with its stable code; a refusal found when
// sealing the prompt exits like one found at the gate.
func failed(cmd string, err error, stderr io.Writer) int {
	code := assist.Code(err)
	fmt.Fprintf(stderr, "\nplume %s: %s: %v\n", cmd, code, err)
	if code == "refused_marking" || code == "refused_encrypted" {
		return exitRefused
	}
	return 1
}
