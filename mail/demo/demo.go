// Package demo is Plume's demo mailbox: a realistic French administrative
// mailbox written for the project, and an in-process IMAP server that
// serves it for `plume demo` and for the API, browser and Thunderbird tests.
//
// # Content
//
// The mailbox belongs to Julien Caron, adjoint à la directrice de la
// citoyenneté et de la légalité at the Préfecture de la Somme (all people,
// communes and addresses are fictional; domains end in .example). It holds
// five threads of 3 to 6 messages across INBOX, Sent and Archive:
//
//   - subvention-detr: a mayor's DETR 2026 grant application, the list of
//     missing documents (ODT), bank details (IBAN, SIRET) and deadlines;
//   - commission-securite-erp: a safety commission visit of a public
//     building with the SDIS and the DDT, its minutes (DOCX) and the
//     opening order (PDF);
//   - titre-sejour-rdv: a citizen asking for a residence permit
//     appointment, with her phone number and e-mail address;
//   - note-dispositif-dr: an interservice note marked DIFFUSION RESTREINTE
//     (subject, X-Classification header, body and attached PDF);
//   - reunion-cdci: organising a CDCI meeting, with an agenda (DOCX) and
//     last year's minutes (ODT).
//
// Replies quote in Outlook style ("De : … Envoyé : … À : … Objet :", with
// "-----Message d'origine-----" or an underscore rule) and Thunderbird
// style ("Le … a écrit :" with "> " lines, and HTML blockquote type=cite).
// Signatures carry administrative blocks and a confidentiality
// disclaimer; messages hold action items with deadlines ("avant le 15
// juillet", "sous huitaine"). Dates are fixed in 2026 and Message-IDs are
// deterministic, e.g. <subvention-detr-3@demo.plume.local>.
//
// # Server
//
//	ln, _ := net.Listen("tcp", "127.0.0.1:0")
//	srv, err := demo.Serve(ln, demo.Options{})
//	// IMAP on ln.Addr(), user "agent", password "demo"
//	defer srv.Close()
package demo

import (
	"time"

	"github.com/emersion/go-imap/v2"
)

// Folders of the demo mailbox.
const (
	Inbox   = "INBOX"
	Sent    = "Sent"
	Archive = "Archive"
	Drafts  = "Drafts"
)

// Owner is the demo mailbox's owner as he appears in From and To headers.
const (
	OwnerName    = "Julien Caron"
	OwnerAddress = "julien.caron@somme.gouv.example"
)

// Item is one demo message and where it lives.
type Item struct {
	// Folder is INBOX, Sent or Archive.
	Folder string
	// Raw is the RFC 5322 message with CRLF line ends.
	Raw []byte
	// Flags are the IMAP flags to set, e.g. \Seen.
	Flags []imap.Flag
	// Date is the message's Date header, used as IMAP internal date.
	Date time.Time
	// MessageID is the Message-ID header with its angle brackets.
	MessageID string
}

// Thread summarises one demo thread (for listings and tests).
type Thread struct {
	// Key is the thread key used in Message-IDs.
	Key string
	// Subject is the subject of the first message.
	Subject string
	// Messages counts the messages of the thread.
	Messages int
}

// Messages returns every demo message, oldest first within each thread.
// Each call builds fresh bytes; the content is always the same.
func Messages() []Item {
	var out []Item
	for _, th := range threads() {
		for _, m := range th {
			out = append(out, m.item())
		}
	}
	return out
}

// Threads describes the demo threads.
func Threads() []Thread {
	var out []Thread
	for _, th := range threads() {
		out = append(out, Thread{Key: th[0].thread, Subject: th[0].subject, Messages: len(th)})
	}
	return out
}

func threads() [][]msg {
	return [][]msg{detr(), erp(), sejour(), noteDR(), cdci()}
}
