package assist

import (
	"fmt"
	"strings"

	"github.com/plume-admin/plume/internal/docwrite"
)

// Media types of the draft files.
const (
	MediaODT  = "application/vnd.oasis.opendocument.text"
	MediaDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// DraftFormat returns the format ("odt" or "docx") named by a file
// extension, a format name or a media type; ok is false for anything else.
func DraftFormat(s string) (format string, ok bool) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "odt", MediaODT:
		return "odt", true
	case "docx", MediaDOCX:
		return "docx", true
	}
	return "", false
}

// File writes the draft as an ODT or DOCX document ("odt", "docx") and
// returns it with its media type. Build it from the draft Assistant.Draft
// returned: restored, guarded and laid out.
func (d *Draft) File(format string) ([]byte, string, error) {
	doc := d.document()
	switch format {
	case "odt":
		return docwrite.StyledODT(doc), MediaODT, nil
	case "docx":
		return docwrite.StyledDOCX(doc), MediaDOCX, nil
	}
	return nil, "", fmt.Errorf("%w: format %q (want odt or docx)", ErrBadRequest, format)
}

// FileName is a file name for the draft: "courrier-objet.odt".
func (d *Draft) FileName(format string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(d.Object) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
		case strings.ContainsRune("àâä", r):
			sb.WriteRune('a')
		case strings.ContainsRune("éèêë", r):
			sb.WriteRune('e')
		case strings.ContainsRune("îï", r):
			sb.WriteRune('i')
		case strings.ContainsRune("ôö", r):
			sb.WriteRune('o')
		case strings.ContainsRune("ùûü", r):
			sb.WriteRune('u')
		case r == 'ç':
			sb.WriteRune('c')
		default:
			if s := sb.String(); s != "" && !strings.HasSuffix(s, "-") {
				sb.WriteRune('-')
			}
		}
		if sb.Len() >= 40 {
			break
		}
	}
	name := strings.Trim(sb.String(), "-")
	if name == "" || strings.HasPrefix(name, "a-completer") {
		name = "projet"
	}
	return d.Kind + "-" + name + "." + format
}

// document lays the draft out as a courrier or a note.
func (d *Draft) document() docwrite.Doc {
	var b []docwrite.Block
	add := func(bl ...docwrite.Block) { b = append(b, bl...) }
	head := strings.Join(d.Letterhead, "\n")
	if d.Kind == DraftNote {
		add(docwrite.Frame([]string{head, d.PlaceDate}))
		add(docwrite.Styled(docwrite.StyleCenter, "NOTE"))
		add(docwrite.Styled(docwrite.StyleSmall, "à l'attention de "+strings.Join(d.Addressee, ", ")))
		add(docwrite.Styled(docwrite.StyleSmall, "De : "+strings.Join(d.Contact, " — ")))
		add(docwrite.Styled(docwrite.StyleObject, "Objet : "+d.Object))
		if d.OurRef != "" {
			add(docwrite.Styled(docwrite.StyleSmall, "Réf. : "+d.OurRef))
		}
		if len(d.Attachments) > 0 {
			add(docwrite.Styled(docwrite.StyleSmall, "P.J. : "+strings.Join(d.Attachments, " ; ")))
		}
		if d.Ask != "" {
			add(docwrite.Para(d.Ask))
		}
		for _, s := range d.Body {
			if s.Title != "" {
				add(docwrite.Heading(2, s.Title))
			}
			for _, p := range paragraphs(s.Text) {
				add(docwrite.Para(p))
			}
		}
		add(docwrite.Heading(2, "Proposition — décision attendue"))
		add(docwrite.Para(orTodo(d.Proposal, "proposition")))
	} else {
		refs := strings.Join(d.Contact, "\n")
		if d.OurRef != "" {
			refs += "\nN/Réf. : " + d.OurRef
		}
		if d.YourRef != "" {
			refs += "\nV/Réf. : " + d.YourRef
		}
		add(docwrite.Frame([]string{head, d.PlaceDate}, []string{refs, strings.Join(d.Addressee, "\n")}))
		add(docwrite.Styled(docwrite.StyleObject, "Objet : "+d.Object))
		if len(d.Attachments) > 0 {
			add(docwrite.Styled(docwrite.StyleSmall, "P.J. : "+strings.Join(d.Attachments, " ; ")))
		}
		add(docwrite.Para(d.Appellation))
		for _, s := range d.Body {
			if s.Title != "" {
				add(docwrite.Heading(2, s.Title))
			}
			for _, p := range paragraphs(s.Text) {
				add(docwrite.Para(p))
			}
		}
		add(docwrite.Para(d.Closing))
	}
	for _, l := range d.Signature {
		add(docwrite.Styled(docwrite.StyleSignature, l))
	}
	return docwrite.Doc{Blocks: b}
}

// Text is the draft as plain text, in the order of the document.
func (d *Draft) Text() string {
	var sb strings.Builder
	for _, bl := range d.document().Blocks {
		switch bl.Kind {
		case docwrite.KindTable:
			for _, r := range bl.Rows {
				sb.WriteString(strings.Join(r, "\n") + "\n")
			}
		default:
			sb.WriteString(bl.Text)
		}
		sb.WriteString("\n\n")
	}
	return strings.TrimSpace(sb.String())
}
