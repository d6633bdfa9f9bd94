package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // charsets of attached mail
	gomail "github.com/emersion/go-message/mail"
)

// readEML reads an attached mail: its header, its text and, recursively,
// the text of its own attachments (depth capped).
func readEML(b *budget, data []byte, doc *Document) error {
	if b.depth >= maxMailDepth {
		return fmt.Errorf("%w: messages joints trop imbriqués", ErrTooLarge)
	}
	if err := b.add(len(data)); err != nil {
		return err
	}
	r, err := gomail.CreateReader(bytes.NewReader(data))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return fmt.Errorf("%w: message joint: %w", ErrMalformed, err)
	}
	defer r.Close()
	w := &writer{b: b}
	h := r.Header
	var head []string
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		head = append(head, "De : "+addrList(from))
	}
	if to, err := h.AddressList("To"); err == nil && len(to) > 0 {
		head = append(head, "À : "+addrList(to))
	}
	if cc, err := h.AddressList("Cc"); err == nil && len(cc) > 0 {
		head = append(head, "Cc : "+addrList(cc))
	}
	if d, err := h.Date(); err == nil && !d.IsZero() {
		head = append(head, "Date : "+d.Format("02/01/2006 15:04"))
	}
	if s, err := h.Subject(); err == nil {
		head = append(head, "Objet : "+s)
	}
	w.para(strings.Join(head, "\n"))

	var plain, htmlText string
	attw := &writer{b: b}
	parts := 0
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if message.IsUnknownCharset(err) {
				continue
			}
			doc.Notes = append(doc.Notes, "message joint incomplet")
			break
		}
		parts++
		if parts > b.lim.MaxEntries {
			return fmt.Errorf("%w: trop de parties dans le message joint", ErrTooLarge)
		}
		body, err := io.ReadAll(io.LimitReader(p.Body, b.lim.MaxBytes-b.read+1))
		if err != nil {
			continue
		}
		if err := b.add(len(body)); err != nil {
			return err
		}
		switch ph := p.Header.(type) {
		case *gomail.InlineHeader:
			mt, _, _ := ph.ContentType()
			switch {
			case mt == "text/plain" && plain == "":
				plain = string(body)
			case mt == "text/html" && htmlText == "":
				htmlText = string(body)
			}
		case *gomail.AttachmentHeader:
			name, _ := ph.Filename()
			mt, _, _ := ph.ContentType()
			label := name
			if label == "" {
				label = mt
			}
			sub := &Document{}
			b.depth++
			derr := func() error {
				format, err := detect(name, mt, body, b.lim)
				if err != nil {
					return err
				}
				sub.Format = format
				return extractInto(b, format, body, sub)
			}()
			b.depth--
			for _, sk := range sub.Skipped {
				doc.Skipped = append(doc.Skipped, label+" : "+sk)
			}
			if derr != nil {
				if errors.Is(derr, ErrTooLarge) && b.read > b.lim.MaxBytes {
					return derr
				}
				doc.Skipped = append(doc.Skipped, "pièce jointe du message joint non lue : "+label)
				continue
			}
			attw.heading(2, "Pièce jointe : "+label)
			attw.raw(tidy(sub.Text) + "\n\n")
		}
	}
	switch {
	case plain != "":
		w.raw(plain + "\n\n")
	case htmlText != "":
		sub := &Document{}
		if err := readHTML(b, []byte(htmlText), sub); err != nil {
			return err
		}
		w.raw(sub.Text)
	}
	w.raw(attw.String())
	doc.Text = w.String()
	return nil
}

func addrList(as []*gomail.Address) string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		if a.Name != "" {
			out = append(out, a.Name+" <"+a.Address+">")
		} else {
			out = append(out, a.Address)
		}
	}
	return strings.Join(out, ", ")
}
