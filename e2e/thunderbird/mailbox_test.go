package thunderbird

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"testing"

	"github.com/plume-admin/plume/internal/docwrite"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// The messages the suite opens in Thunderbird.
const (
	// latestID is the DETR thread's latest message: the mayor's reply
	// (quoting the agent) with a PDF and an ODT attachment, added to the demo.
	latestID = "subvention-detr-7@e2e.plume.local"
	// pdfName and odtName are its attachments.
	pdfName = "deliberation-2026-004.pdf"
	odtName = "liste-pieces-DETR-2026-completee.odt"
	// restrictedID is the demo's DIFFUSION RESTREINTE note with its PDF.
	restrictedID = "note-dispositif-dr-1@demo.plume.local"
	// restrictedPDF is that note's attachment.
	restrictedPDF = "note-dispositif-visite-4-juin-DR.pdf"
)

// mailbox is the demo mailbox plus the DETR thread's latest message.
func mailbox(t *testing.T) []imaptest.Message {
	t.Helper()
	var msgs []imaptest.Message
	var refs []string
	var last *mail.Message
	for _, it := range demo.Messages() {
		msgs = append(msgs, imaptest.Message{Folder: it.Folder, Raw: it.Raw})
		if strings.HasPrefix(it.MessageID, "<subvention-detr-") {
			refs = append(refs, it.MessageID)
			m, err := mail.Parse(it.Raw, mail.Limits{})
			if err != nil {
				t.Fatalf("demo message %s: %v", it.MessageID, err)
			}
			last = m
		}
	}
	if last == nil || len(last.From) == 0 || len(last.To) == 0 {
		t.Fatal("the demo has no DETR thread to extend")
	}
	return append(msgs, imaptest.Message{Folder: imaptest.Inbox, Raw: latestReply(last, refs)})
}

// latestReply is the mayor's answer to the agent's last DETR message, with
// the council's deliberation (PDF) and the completed list of documents (ODT),
// quoting the agent's message in Thunderbird's style.
func latestReply(prev *mail.Message, refs []string) []byte {
	from, to := prev.To[0], prev.From[0]
	var quoted strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(prev.New), "\n") {
		quoted.WriteString("> " + l + "\r\n")
	}
	body := "Monsieur,\r\n\r\nComme convenu, veuillez trouver ci-joint la délibération du conseil municipal " +
		"et la liste des pièces complétée. Le plan de financement définitif suivra d'ici la fin de la semaine.\r\n\r\n" +
		"Je reste à votre disposition pour tout complément.\r\n\r\nBien cordialement,\r\n\r\n" +
		"-- \r\n" + from.Name + "\r\n\r\n" +
		"Le 26/03/2026 à 14:20, " + to.Name + " a écrit :\r\n" + quoted.String()

	const boundary = "plume-e2e-boundary-7"
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", mime.QEncoding.Encode("utf-8", from.Name)+" <"+from.Address+">")
	h("To", mime.QEncoding.Encode("utf-8", to.Name)+" <"+to.Address+">")
	h("Subject", mime.QEncoding.Encode("utf-8", "Re: "+prev.NormSubject))
	h("Date", "Fri, 27 Mar 2026 09:12:00 +0100")
	h("Message-ID", "<"+latestID+">")
	h("In-Reply-To", refs[len(refs)-1])
	h("References", strings.Join(refs, " "))
	h("MIME-Version", "1.0")
	h("User-Agent", "Mozilla Thunderbird")
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	part := func(ct, disp string, data []byte, b64 bool) {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\n", boundary, ct)
		if disp != "" {
			fmt.Fprintf(&b, "Content-Disposition: %s\r\n", disp)
		}
		if b64 {
			b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
			enc := base64.StdEncoding.EncodeToString(data)
			for len(enc) > 76 {
				b.WriteString(enc[:76] + "\r\n")
				enc = enc[76:]
			}
			b.WriteString(enc + "\r\n")
			return
		}
		b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
		b.Write(data)
		b.WriteString("\r\n")
	}
	part("text/plain; charset=utf-8; format=flowed", "", []byte(body), false)
	part("application/pdf; name=\""+pdfName+"\"", "attachment; filename=\""+pdfName+"\"", docwrite.PDF(demo.Deliberation()), true)
	part("application/vnd.oasis.opendocument.text; name=\""+odtName+"\"", "attachment; filename=\""+odtName+"\"", docwrite.ODT(demo.ListePiecesDETR()), true)
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}
