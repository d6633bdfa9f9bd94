package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// redactedMessage is one message as a model would receive it.
type redactedMessage struct {
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Cc      string `json:"cc,omitempty"`
	Date    string `json:"date,omitempty"`
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text"`
}

// redactReport is the --json output of plume redact.
type redactReport struct {
	Messages      []redactedMessage `json:"messages,omitempty"`
	Text          string            `json:"text,omitempty"`
	Counts        map[string]int    `json:"counts"`
	Markings      []mail.Marking    `json:"markings"`
	Encrypted     bool              `json:"encrypted"`
	HiddenDropped int               `json:"hiddenDropped"`
	Injections    int               `json:"injections"`
	// Replacements is filled by --explain: each replaced value, its kind
	// and the rule or cue that found it.
	Replacements []privacy.Replacement `json:"replacements,omitempty"`
}

// mailHeaderLine tells a mail from plain text: it starts with a header.
var mailHeaderLine = regexp.MustCompile(`^(?:From |[A-Za-z][A-Za-z0-9-]*:[ \t])`)

// runRedact is `plume redact`: the text as a model would receive it, and
// what was replaced, so an operator can check the guard on real mail.
func runRedact(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("redact", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON report")
	kinds := fs.String("kinds", "", "comma-separated kinds to replace (name,email,phone,iban,nir,siret,siren,card,address,agdref,passport,idcard,taxid,plate,birthdate,caf,org); default all")
	terms := fs.String("terms", "", "extra marking terms, separated by ';'")
	asText := fs.Bool("text", false, "read the input as plain text even if it looks like mail")
	explain := fs.Bool("explain", false, "list each replaced value with its kind and the rule or cue that found it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: plume redact [--json] [--explain] [--kinds LIST] [--terms LIST] [--text] FILE.eml|FILE.mbox|FILE.txt|-")
		fs.PrintDefaults()
	}
	name, raw, code := readFileArg(fs, args, stdin, stderr)
	if code != 0 {
		return code
	}
	opts := privacy.PIIOptions{}
	if *kinds != "" {
		opts.Kinds = strings.Split(*kinds, ",")
		if err := opts.Validate(); err != nil {
			fmt.Fprintln(stderr, "plume redact:", err)
			return 2
		}
	}
	var mopts privacy.MarkingOptions
	if *terms != "" {
		mopts.Terms = strings.Split(*terms, ";")
	}
	det, err := privacy.NewDetector(mopts)
	if err != nil {
		fmt.Fprintln(stderr, "plume redact:", err)
		return 2
	}
	// The gate of an endpoint cleared for everything: what it admits is
	// exactly what a model would receive; the markings are reported.
	gate, err := privacy.NewGate(privacy.GateOptions{Detector: det, Pseudonymizer: privacy.NewPseudonymizer(opts),
		Endpoints: []privacy.EndpointPolicy{{Name: "redact", Cleared: []string{"*"}}}})
	if err != nil {
		fmt.Fprintln(stderr, "plume redact:", err)
		return 2
	}
	rep := redactReport{}
	req := privacy.Request{Task: "redact", Source: "file"}
	lower := strings.ToLower(name)
	isMail := !*asText && (strings.HasSuffix(lower, ".eml") || strings.HasSuffix(lower, ".mbox") ||
		strings.HasSuffix(lower, ".mbx") || (!strings.HasSuffix(lower, ".txt") && mailHeaderLine.Match(raw)))
	if isMail {
		th, err := loadThread(raw)
		if err != nil {
			fmt.Fprintln(stderr, "plume redact:", err)
			return 1
		}
		req.Thread = th
	} else {
		req.Documents = []privacy.Document{{Text: string(raw)}}
	}
	sc := gate.Scan(req.Thread, req.Documents)
	rep.Markings, rep.Encrypted, rep.HiddenDropped, rep.Injections = sc.Markings, sc.Encrypted, sc.HiddenDropped, sc.Injections
	rep.Counts = map[string]int{}
	if !sc.Encrypted {
		pass, err := gate.Admit(context.Background(), req)
		if err != nil {
			fmt.Fprintln(stderr, "plume redact:", err)
			return 1
		}
		rep.Counts = pass.Counts()
		if *explain {
			rep.Replacements = pass.Replacements()
		}
		if t := pass.Thread(); t != nil {
			for _, m := range t.Messages {
				rm := redactedMessage{
					From: addrs(m.From), To: addrs(m.To), Cc: addrs(m.Cc),
					Subject: m.Subject, Text: m.Text,
				}
				if !m.Date.IsZero() {
					rm.Date = m.Date.Format("2006-01-02 15:04 -0700")
				}
				if rm.Text == "" {
					rm.Text = strings.TrimSpace(m.New + "\n\n" + m.Quoted + "\n\n" + m.Signature)
				}
				rep.Messages = append(rep.Messages, rm)
			}
		}
		for _, d := range pass.Documents() {
			rep.Text = d.Text
		}
	}
	if rep.Markings == nil {
		rep.Markings = []mail.Marking{}
	}

	if *asJSON {
		return printJSON(stdout, stderr, rep)
	}
	printRedact(stdout, rep)
	return 0
}

// printRedact writes the human-readable report.
func printRedact(w io.Writer, rep redactReport) {
	if rep.Encrypted {
		fmt.Fprintln(w, "!! Message chiffré (S/MIME ou PGP) : Plume n'enverrait rien au modèle.")
	}
	for i, m := range rep.Messages {
		fmt.Fprintf(w, "----- message %d/%d\n", i+1, len(rep.Messages))
		for _, h := range [][2]string{{"De", m.From}, {"À", m.To}, {"Cc", m.Cc}, {"Date", m.Date}, {"Objet", m.Subject}} {
			if h[1] != "" {
				fmt.Fprintf(w, "%s : %s\n", h[0], h[1])
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, m.Text)
	}
	if rep.Text != "" {
		fmt.Fprintln(w, rep.Text)
	}
	fmt.Fprintln(w, "----- remplacements")
	kinds := make([]string, 0, len(rep.Counts))
	for k := range rep.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	if len(kinds) == 0 {
		fmt.Fprintln(w, "aucun")
	}
	for _, k := range kinds {
		fmt.Fprintf(w, "%-8s %d\n", k, rep.Counts[k])
	}
	if len(rep.Replacements) > 0 {
		fmt.Fprintln(w, "----- pourquoi (contient les données d'origine)")
		for _, r := range rep.Replacements {
			fmt.Fprintf(w, "%-20s %-9s %-45s %q\n", r.Placeholder, r.Kind, r.Rule, r.Text)
		}
	}
	fmt.Fprintln(w, "----- mentions de protection")
	if len(rep.Markings) == 0 {
		fmt.Fprintln(w, "aucune")
	}
	for _, m := range rep.Markings {
		fmt.Fprintf(w, "%s (%s)\n", m.Label, m.Where)
	}
	if rep.HiddenDropped > 0 || rep.Injections > 0 {
		fmt.Fprintf(w, "----- texte caché retiré : %d ; instructions suspectes : %d\n", rep.HiddenDropped, rep.Injections)
	}
}
