package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// extractOutput is the stable JSON form of `plume extract --json`
// (documented in docs/cli.md, "plume extract").
type extractOutput struct {
	// Messages are in thread order, oldest first.
	Messages []extractMessage `json:"messages"`
	// Markings are the protection markings of the whole thread, each once.
	Markings []mail.Marking `json:"markings"`
	// Notes say what was dropped or repaired while threading.
	Notes []string `json:"notes,omitempty"`
	// Errors name the messages that could not be parsed (by position).
	Errors []string `json:"errors,omitempty"`
}

// extractMessage is one message of the JSON form with the markings found in it.
type extractMessage struct {
	*mail.Message
	// Markings are the protection markings found in this message.
	Markings []mail.Marking `json:"markings"`
}

func runExtract(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the stable JSON form")
	imapURL := fs.String("imap", "", "read the thread from this IMAP server instead of a file")
	messageID := fs.String("message-id", "", "with --imap: Message-ID of a message of the thread")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: plume extract [--json] FILE|-")
		fmt.Fprintln(stderr, "       plume extract [--json] DOCUMENT")
		fmt.Fprintln(stderr, "       plume extract [--json] --imap URL --message-id ID")
		fmt.Fprintln(stderr, "Parse a message (.eml) or an mbox and print, per message in thread order,")
		fmt.Fprintln(stderr, "its headers, markings, attachments and new / quoted / signature text.")
		fmt.Fprintln(stderr, "A document (PDF, DOCX, ODT, XLSX, ODS, PPTX, ODP, RTF, .msg, .doc…) prints its")
		fmt.Fprintln(stderr, "text and structure: pages, headings, tables, markings, warnings.")
		fs.PrintDefaults()
	}
	// Accept flags before and after the file name.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *imapURL != "" {
		if len(files) > 0 {
			fmt.Fprintln(stderr, "plume extract: give either FILE or --imap, not both")
			return 2
		}
		return extractIMAP(*imapURL, *messageID, *asJSON, stdin, stdout, stderr)
	}
	if len(files) != 1 {
		fs.Usage()
		return 2
	}
	if files[0] != "-" {
		data, err := os.ReadFile(files[0])
		if err != nil {
			fmt.Fprintln(stderr, "plume extract:", err)
			return 1
		}
		if isDocument(files[0], data) {
			return extractDocument(files[0], data, *asJSON, stdout, stderr)
		}
	}
	t, errs, err := extractFile(files[0], stdin)
	if err != nil {
		fmt.Fprintln(stderr, "plume extract:", err)
		return 1
	}
	markings, perMessage, err := detectMarkings(t)
	if err != nil {
		fmt.Fprintln(stderr, "plume extract:", err)
		return 1
	}
	if err := printExtract(stdout, t, markings, perMessage, errs, *asJSON); err != nil {
		fmt.Fprintln(stderr, "plume extract:", err)
		return 1
	}
	if len(t.Messages) == 0 {
		return 1
	}
	return 0
}

// extractFile reads one .eml or an mbox and threads its messages. Messages
// that cannot be parsed are reported in errs; err is set when none could be.
func extractFile(name string, stdin io.Reader) (t *mail.Thread, errs []string, err error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		r = f
	}
	raws, err := mail.ReadMbox(r, mail.Limits{})
	if err != nil {
		return nil, nil, err
	}
	var msgs []*mail.Message
	var firstErr error
	for i, raw := range raws {
		m, err := mail.Parse(raw, mail.Limits{})
		if err != nil {
			errs = append(errs, fmt.Sprintf("message %d: %v", i+1, err))
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 && firstErr != nil {
		return nil, errs, firstErr
	}
	return mail.BuildThread(msgs), errs, nil
}

// detectMarkings returns the built-in markings of package privacy found in
// the thread (each label once) and in each of its messages; never nil.
func detectMarkings(t *mail.Thread) (thread []mail.Marking, perMessage [][]mail.Marking, err error) {
	d, err := privacy.NewDetector(privacy.MarkingOptions{})
	if err != nil {
		return nil, nil, err
	}
	thread = d.Thread(t)
	if thread == nil {
		thread = []mail.Marking{}
	}
	perMessage = make([][]mail.Marking, len(t.Messages))
	for i, m := range t.Messages {
		perMessage[i] = d.Message(m)
		if perMessage[i] == nil {
			perMessage[i] = []mail.Marking{}
		}
	}
	return thread, perMessage, nil
}

// printExtract writes a thread as JSON or as readable text.
func printExtract(w io.Writer, t *mail.Thread, markings []mail.Marking, perMessage [][]mail.Marking, errs []string, asJSON bool) error {
	if asJSON {
		msgs := make([]extractMessage, len(t.Messages))
		for i, m := range t.Messages {
			msgs[i] = extractMessage{Message: m, Markings: perMessage[i]}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(extractOutput{Messages: msgs, Markings: markings, Notes: t.Notes, Errors: errs})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Thread: %d message(s)", len(t.Messages))
	if len(markings) > 0 {
		fmt.Fprintf(&b, ", markings: %s", labels(markings))
	}
	b.WriteString("\n")
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	for _, e := range errs {
		fmt.Fprintf(&b, "Error: %s\n", e)
	}
	for i, m := range t.Messages {
		fmt.Fprintf(&b, "\n=== Message %d/%d ===\n", i+1, len(t.Messages))
		writeMessage(&b, m, perMessage[i])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMessage(b *strings.Builder, m *mail.Message, markings []mail.Marking) {
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "%-12s %s\n", k+":", v)
		}
	}
	field("Message-ID", m.MessageID)
	field("From", addrs(m.From))
	field("To", addrs(m.To))
	field("Cc", addrs(m.Cc))
	if !m.Date.IsZero() {
		field("Date", m.Date.Format(time.RFC1123Z))
	} else {
		field("Date", m.RawDate+" (unparsed)")
	}
	field("Subject", m.Subject)
	field("Markings", labels(markings))
	var sec []string
	for _, s := range []struct {
		on   bool
		name string
	}{{m.Security.SMIMESigned, "S/MIME signed"}, {m.Security.SMIMEEncrypted, "S/MIME encrypted"}, {m.Security.PGPSigned, "PGP signed"}, {m.Security.PGPEncrypted, "PGP encrypted"}} {
		if s.on {
			sec = append(sec, s.name)
		}
	}
	field("Security", strings.Join(sec, ", "))
	c := m.Cleaning
	if c.HiddenElements+c.TrackingImages+c.Scripts > 0 {
		field("Cleaned", fmt.Sprintf("%d hidden element(s), %d tracking image(s), %d script(s) dropped", c.HiddenElements, c.TrackingImages, c.Scripts))
	}
	for _, w := range c.Warnings {
		field("Warning", w)
	}
	for _, a := range m.Attachments {
		inline := ""
		if a.Inline {
			inline = ", inline"
		}
		field("Attachment", fmt.Sprintf("%s (%s, %d bytes, part %s%s)", a.Name, a.MediaType, a.Size, a.PartPath, inline))
	}
	if f := m.Forwarded; f != nil {
		field("Forwarded", strings.TrimSpace(strings.Join([]string{f.From, f.Date, f.Subject}, " | ")))
	}
	section := func(name, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		fmt.Fprintf(b, "--- %s ---\n%s\n", name, text)
	}
	section("New", m.New)
	section("Quoted", m.Quoted)
	section("Signature", m.Signature)
}

func addrs(as []mail.Address) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

func labels(ms []mail.Marking) string {
	var s []string
	seen := map[string]bool{}
	for _, m := range ms {
		if !seen[m.Label] {
			seen[m.Label] = true
			s = append(s, m.Label)
		}
	}
	return strings.Join(s, ", ")
}
