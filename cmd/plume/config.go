package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/plume-admin/plume"
	"github.com/plume-admin/plume/config"
)

// configUsage is the help of `plume config`.
const configUsage = `usage: plume config check [--config plume.yaml]
       plume config example

  check    validate a configuration as plume serve would read it (the file,
           then PLUME_* variables), without starting anything or contacting
           any server; print every error with its key (exit 1) or a summary
           of what would run and warnings (exit 0)
  example  print the documented example configuration (plume.example.yaml)
`

// runConfig is `plume config`.
func runConfig(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, configUsage)
		return 2
	}
	switch args[0] {
	case "example":
		fmt.Fprint(stdout, plume.ExampleConfig)
		return 0
	case "check":
		return runConfigCheck(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, configUsage)
		return 0
	}
	fmt.Fprintf(stderr, "plume config: unknown subcommand %q\n", args[0])
	fmt.Fprint(stderr, configUsage)
	return 2
}

// runConfigCheck is `plume config check`.
func runConfigCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plume config check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "plume.yaml", "configuration file (PLUME_* environment variables override it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	env := environ()
	cfg, warnings, err := config.Check(*path, env)
	if cfg != nil && cfg.Auth.Demo {
		err = errors.Join(err, errDemoAuth)
	}
	if err != nil {
		lines := strings.Split(err.Error(), "\n")
		fmt.Fprintf(stderr, "%s: %d error(s)\n", *path, len(lines))
		for _, l := range lines {
			fmt.Fprintln(stderr, "  "+strings.TrimPrefix(l, config.ErrConfig.Error()+": "))
		}
		return 1
	}
	fmt.Fprintf(stdout, "%s: valid for plume serve\n\n", *path)
	printConfigSummary(stdout, cfg)
	if len(warnings) > 0 {
		fmt.Fprintf(stdout, "\nwarnings (%d):\n", len(warnings))
		for _, w := range warnings {
			fmt.Fprintln(stdout, "  "+w)
		}
	}
	return 0
}

// printConfigSummary says what `plume serve` would run with cfg. It prints no
// secret: keys and passwords are named by where they come from.
func printConfigSummary(w io.Writer, cfg *config.Config) {
	row := func(name, format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", name, fmt.Sprintf(format, args...))
	}
	s := cfg.Server
	tlsMode := "plain HTTP: terminate TLS in the reverse proxy"
	if s.TLSCert != "" {
		tlsMode = "TLS with " + s.TLSCert
	}
	row("listen", "%s (%s); public URL %s", s.Listen, tlsMode, s.PublicURL)
	row("timeouts", "request %s, stream %s, heartbeat %s", s.RequestTimeout, s.StreamTimeout, s.Heartbeat)

	m := cfg.Mail
	row("mail", "main source %s; raw MIME up to %s", m.Source, bytesize(m.MaxRawBytes))
	if m.IMAP.Addr != "" {
		row("", "imap %s (%s, login %s, pool %d, timeout %s)", m.IMAP.Addr, m.IMAP.Security, m.IMAP.Auth, m.IMAP.PoolSize, m.IMAP.Timeout)
	}
	if g := m.Graph; g.ClientID != "" {
		cred := "secret in the file"
		switch {
		case g.CertFile != "":
			cred = "certificate " + g.CertFile
		case g.ClientSecretEnv != "":
			cred = "secret from $" + g.ClientSecretEnv
		}
		row("", "graph client %s, tenant %s, on-behalf-of with %s", g.ClientID, g.TenantID, cred)
	}

	if len(cfg.LLM.Endpoints) == 0 {
		row("endpoints", "none: the offline engine answers every task")
	}
	for i, e := range cfg.LLM.Endpoints {
		name := firstOnly(i, "endpoints")
		cleared, tasks := joinOr(e.Cleared, "no marking"), joinOr(e.Tasks, "all tasks")
		pii := "pseudonymised"
		if cfg.Privacy.PIIDisabled || e.Pseudonymize != nil && !*e.Pseudonymize {
			pii = "PERSONAL DATA IN CLEAR"
		}
		key := "no key"
		switch {
		case e.APIKeyEnv != "":
			key = "key from $" + e.APIKeyEnv
		case e.APIKey != "":
			key = "key in the file"
		}
		row(name, "%d. %s: %s %s at %s (%s); %s; cleared for %s; %s", i+1, e.Name, e.Kind, e.Model, e.BaseURL, key, tasks, cleared, pii)
	}
	if len(cfg.LLM.Endpoints) > 0 {
		row("", "a marked thread goes to the first endpoint cleared for its markings, or is refused; model calls time out after %s", cfg.LLM.Timeout)
	}

	for i, is := range cfg.Auth.Issuers {
		name := firstOnly(i, "issuers")
		extra := ""
		if len(is.Tenants) > 0 {
			extra = "; tenants " + strings.Join(is.Tenants, ", ")
		}
		row(name, "%s (audiences %s; user from %q; %s%s)", is.Issuer, strings.Join(is.Audiences, ", "), is.UserClaim, strings.Join(is.Algorithms, ", "), extra)
	}
	if n := len(cfg.Auth.StaticTokens); n > 0 {
		row("tokens", "%d static development token(s)", n)
	}

	c := cfg.Cache
	if c.Disabled {
		row("cache", "results not cached; rate limits in %s", cacheStore(c.RedisURL))
	} else {
		row("cache", "results kept %s in %s; rate limits in the same store", c.TTL, cacheStore(c.RedisURL))
	}
	l := cfg.Limits
	row("limits", "%d requests per user per minute; JSON body %s, upload %s; threads list %d",
		l.RequestsPerMinute, bytesize(l.MaxBodyBytes), bytesize(l.MaxUploadBytes), l.ThreadsLimit)
	audit := cfg.Privacy.AuditPath
	if audit == "-" {
		audit = "standard output"
	}
	row("audit", "%s", audit)
	row("log", "%s, %s, to standard error", cfg.Log.Level, cfg.Log.Format)
	if len(cfg.Actions) > 0 {
		names := make([]string, len(cfg.Actions))
		for i, a := range cfg.Actions {
			names[i] = a.Name
		}
		row("actions", "%s", strings.Join(names, ", "))
	}
}

// firstOnly is the row name of the i-th item of a list: the name on the first row only.
func firstOnly(i int, name string) string {
	if i == 0 {
		return name
	}
	return ""
}

// joinOr joins list with commas, or says none when it is empty.
func joinOr(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, ", ")
}

// cacheStore names where the cache lives, without a Redis password.
func cacheStore(redisURL string) string {
	if redisURL == "" {
		return "memory (one replica)"
	}
	u, err := url.Parse(redisURL)
	if err != nil {
		return "Redis"
	}
	return "Redis " + u.Redacted()
}

// bytesize writes n bytes as KiB or MiB.
func bytesize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
