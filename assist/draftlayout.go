package assist

import (
	"regexp"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// The layout of a courrier or a note comes from the configuration's
// organisation and from the caller, never from the model: it is added
// after the answer is restored and guarded.

// addresseeRE reads the first line of an address block: civility, then
// article and title up to a complement ("Monsieur le Maire de Provins",
// "Madame la Directrice départementale des territoires").
var (
	addresseeRE = regexp.MustCompile(`(?i)^\s*(monsieur|madame)\b\s*(.*)$`)
	titleRE     = regexp.MustCompile(`(?i)^(le|la|l')\s*(.+?)(?:\s+(?:de|du|des|d'|à|au|aux|en)\b.*)?$`)
)

// highTitles are the titles closed with « haute considération ».
var highTitles = map[string]bool{"préfet": true, "préfète": true, "ministre": true, "sénateur": true, "sénatrice": true,
	"député": true, "députée": true, "président": true, "présidente": true, "directeur général": true, "directrice générale": true,
	"secrétaire général": true, "secrétaire générale": true, "recteur": true, "rectrice": true, "sous-préfet": true, "sous-préfète": true}

// appellationFor returns the appellation (without its comma) and the
// title word of an addressee line: "Monsieur le Maire", "maire".
func appellationFor(line string) (appellation, title string) {
	m := addresseeRE.FindStringSubmatch(line)
	if m == nil {
		return "Madame, Monsieur", "usager"
	}
	civ := strings.ToUpper(m[1][:1]) + strings.ToLower(m[1][1:])
	t := titleRE.FindStringSubmatch(strings.TrimSpace(m[2]))
	if t == nil {
		return civ, "usager"
	}
	title = strings.ToLower(t[2])
	r := []rune(title)
	return civ + " " + strings.ToLower(t[1]) + " " + strings.ToUpper(string(r[0])) + string(r[1:]), title
}

// closingFor is the formule de politesse to an addressee: the
// organisation's own for the title, else by hierarchy.
func closingFor(o Organisation, appellation, title string) string {
	for k, v := range o.Closings {
		if strings.Contains(title, strings.ToLower(k)) || k == title {
			return strings.ReplaceAll(v, "{appellation}", appellation)
		}
	}
	switch {
	case title == "ministre":
		return "Je vous prie d'agréer, " + appellation + ", l'assurance de ma très haute considération."
	case highTitles[title]:
		return "Je vous prie d'agréer, " + appellation + ", l'expression de ma haute considération."
	case title == "usager":
		return "Je vous prie d'agréer, " + appellation + ", l'expression de mes salutations distinguées."
	}
	return "Je vous prie d'agréer, " + appellation + ", l'expression de ma considération distinguée."
}

// layout adds the parts that come from the configuration and the caller.
func (a *Assistant) layout(d *Draft, req DraftRequest) {
	o := a.opts.Organisation
	if d.Kind == "" {
		d.Kind = DraftCourrier
	}
	d.Letterhead = o.Letterhead
	if len(d.Letterhead) == 0 {
		d.Letterhead = []string{"[à compléter : bloc-marque]"}
	}
	d.PlaceDate = orTodo(o.Place, "lieu") + ", le " + frenchDate(a.opts.Now())
	d.Contact = nil
	if o.Service != "" {
		d.Contact = append(d.Contact, o.Service)
	}
	author := strings.TrimSpace(req.Author.Name)
	if author == "" {
		author = req.Author.Address
	}
	d.Contact = append(d.Contact, "Affaire suivie par : "+orTodo(author, "agent"))
	if o.Phone != "" {
		d.Contact = append(d.Contact, "Tél. : "+o.Phone)
	}
	if req.Author.Address != "" {
		d.Contact = append(d.Contact, "Courriel : "+req.Author.Address)
	} else if o.Email != "" {
		d.Contact = append(d.Contact, "Courriel : "+o.Email)
	}
	to := strings.TrimSpace(req.To)
	if to == "" {
		to = req.Pass.Restore(correspondent(req.Pass.Thread(), req.Pass.Text(req.Author.Address)))
	}
	d.Addressee = nil
	for _, l := range strings.Split(to, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.Addressee = append(d.Addressee, l)
		}
	}
	if len(d.Addressee) == 0 {
		d.Addressee = []string{"[à compléter : destinataire]"}
	}
	d.Signature = nil
	if o.Delegation != "" {
		d.Signature = append(d.Signature, o.Delegation, orTodo(o.SignerTitle, "fonction du signataire"))
	} else {
		d.Signature = append(d.Signature, orTodo(o.Signatory, "signataire"))
	}
	if author != "" && !strings.Contains(author, "@") {
		d.Signature = append(d.Signature, "", author)
	}
	d.Appellation, d.Closing = "", ""
	if d.Kind == DraftCourrier {
		app, title := appellationFor(d.Addressee[0])
		d.Appellation = app + ","
		d.Closing = closingFor(o, app, title)
	}
	if d.Object == "" {
		d.Object = "[à compléter : objet]"
	}
}

// correspondent is the name of the sender of the latest message not sent
// by author, as the Pass thread has it (the caller restores it).
func correspondent(t *mail.Thread, author string) string {
	if t == nil {
		return ""
	}
	for i := len(t.Messages) - 1; i >= 0; i-- {
		m := t.Messages[i]
		if len(m.From) == 0 || author != "" && strings.EqualFold(m.From[0].Address, author) {
			continue
		}
		return strings.TrimSpace(m.From[0].Name)
	}
	return ""
}
