package extract

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// maxMailAttachments caps the attachments of an attached mail that are read.
const maxMailAttachments = 20

// readEML reads an attached mail through the mail model (mail.Parse): its
// header, its cleaned text and, recursively, the text of its own
// attachments, attached mail included (depth capped).
func readEML(b *budget, data []byte, doc *Document) error {
	if b.depth >= maxMailDepth {
		return fmt.Errorf("%w: messages joints trop imbriqués", ErrTooLarge)
	}
	if err := b.add(len(data)); err != nil {
		return err
	}
	lim := mail.Limits{MaxSize: b.lim.MaxBytes, MaxParts: b.lim.MaxEntries}
	m, err := mail.Parse(data, lim)
	if err != nil {
		return mailErr(err)
	}
	doc.Mails = append(doc.Mails, m)
	w := &writer{b: b}
	var head []string
	if len(m.From) > 0 {
		head = append(head, "De : "+joinAddrs(m.From))
	}
	if len(m.To) > 0 {
		head = append(head, "À : "+joinAddrs(m.To))
	}
	if len(m.Cc) > 0 {
		head = append(head, "Cc : "+joinAddrs(m.Cc))
	}
	if !m.Date.IsZero() {
		head = append(head, "Date : "+m.Date.Format("02/01/2006 15:04"))
	}
	head = append(head, "Objet : "+m.Subject)
	w.para(strings.Join(head, "\n"))
	w.raw(m.Text + "\n\n")
	if m.Security.Encrypted() {
		doc.Skipped = append(doc.Skipped, "contenu chiffré du message joint")
	}

	read := 0
	for _, a := range m.Attachments {
		if a.Inline && strings.HasPrefix(a.MediaType, "image/") {
			continue
		}
		label := a.Name
		if label == "" {
			label = a.MediaType
		}
		if read >= maxMailAttachments {
			doc.Skipped = append(doc.Skipped, "pièce jointe du message joint non lue : "+label)
			continue
		}
		read++
		if err := b.check(); err != nil {
			return err
		}
		_, body, err := mail.ReadAttachment(data, a.PartPath, lim)
		if err != nil {
			if errors.Is(err, mail.ErrTooLarge) {
				return mailErr(err)
			}
			doc.Skipped = append(doc.Skipped, "pièce jointe du message joint illisible : "+label)
			continue
		}
		sub := &Document{}
		b.depth++
		derr := func() error {
			format, err := detect(a.Name, a.MediaType, body, b.lim)
			if err != nil {
				return err
			}
			sub.Format = format
			return extractInto(b, format, body, sub)
		}()
		b.depth--
		doc.Mails = append(doc.Mails, sub.Mails...)
		for _, sk := range sub.Skipped {
			doc.Skipped = append(doc.Skipped, label+" : "+sk)
		}
		if derr != nil {
			if errors.Is(derr, ErrTooLarge) && b.read > b.lim.MaxBytes || b.ctx.Err() != nil {
				return derr
			}
			doc.Skipped = append(doc.Skipped, "pièce jointe du message joint non lue : "+label+" ("+reason(derr)+")")
			continue
		}
		w.heading(2, "Pièce jointe : "+label)
		w.raw(tidy(sub.Text) + "\n\n")
	}
	if n := len(m.Attachments); n > 0 {
		doc.Notes = append(doc.Notes, "message joint avec "+strconv.Itoa(n)+" pièce(s) jointe(s)")
	}
	doc.Text = w.String()
	return nil
}

// reason names the sentinel behind err in a few words.
func reason(err error) string {
	for _, e := range []error{ErrProtected, ErrUnsupported, ErrNoText, ErrTooLarge, ErrMalformed} {
		if errors.Is(err, e) {
			return strings.TrimPrefix(e.Error(), "extract: ")
		}
	}
	return "erreur"
}

func mailErr(err error) error {
	if errors.Is(err, mail.ErrTooLarge) {
		return fmt.Errorf("%w: message joint: %w", ErrTooLarge, err)
	}
	return fmt.Errorf("%w: message joint: %w", ErrMalformed, err)
}

func joinAddrs(as []mail.Address) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return strings.Join(out, ", ")
}
