package privacy

import "github.com/plume-admin/plume/mail"

// Scan is what the privacy layer finds in content before it may leave:
// markings, encryption, hidden text dropped and suspected injections. The
// gate, the attachment routes and `plume redact` all read content through
// [Gate.Scan], so they count the same things over the same text.
type Scan struct {
	// Markings are each label once, with the first place it was found.
	Markings []mail.Marking
	// Encrypted is true when a message is S/MIME- or PGP-encrypted.
	Encrypted bool
	// HiddenDropped counts hidden HTML elements dropped from the mail.
	HiddenDropped int
	// Injections counts suspected injected instructions: in what each
	// message adds, in the history quoted by the oldest message (the rest
	// of the quoted history is the thread itself, counted once), and in
	// every document.
	Injections int

	sources []string // texts the output guard accepts items from
}

// Labels returns the marking labels, each once.
func (s Scan) Labels() []string {
	labels := []string{}
	seen := map[string]bool{}
	for _, m := range s.Markings {
		if !seen[m.Label] {
			seen[m.Label] = true
			labels = append(labels, m.Label)
		}
	}
	return labels
}

// Scan reads a thread (may be nil) and documents as the gate does.
func (g *Gate) Scan(t *mail.Thread, docs []Document) Scan {
	var s Scan
	if t != nil {
		s.Markings = g.opts.Detector.Thread(t)
		for i, m := range t.Messages {
			if m == nil {
				continue
			}
			s.Encrypted = s.Encrypted || m.Security.Encrypted()
			s.HiddenDropped += m.Cleaning.HiddenElements
			s.Injections += InjectionCues(m.New)
			if i == 0 {
				s.Injections += InjectionCues(m.Quoted)
			}
		}
		s.sources = SourcesOf(t)
	}
	for _, d := range docs {
		where := "body" // a text without a name (plume redact --text)
		if d.Name != "" {
			where = "attachment:" + d.Name
			s.Markings = append(s.Markings, g.opts.Detector.detect(where, d.Name, modeName)...)
		}
		s.Markings = append(s.Markings, g.opts.Detector.Text(where, d.Text)...)
		// A mail inside the document is a mail: the subject and header
		// rules apply, wherever it sits. The marking says which document.
		for _, mk := range g.opts.Detector.Thread(&mail.Thread{Messages: d.Mails}) {
			mk.Where = "attachment:" + d.Name
			s.Markings = append(s.Markings, []mail.Marking{mk}...)
		}
		for _, m := range d.Mails {
			s.Encrypted = s.Encrypted || (m != nil && m.Security.Encrypted())
		}
		s.Injections += InjectionCues(d.Text)
		s.sources = append(s.sources, d.Name, d.Text)
	}
	return s
}
