package assist

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/plume-admin/plume/mail"
)

// Conventions of French administrative correspondence: how to address the
// correspondent and how to close, from the tone and the addressee's title.

// title is a function title found in a signature, with its appellation.
type title struct {
	re          *regexp.Regexp
	appellation string // "Madame la directrice"
	high        bool   // closing with "haute considération"
}

// titles are checked in order; feminine forms first.
var titles = []title{
	{lineTitle(`sous-préfète`), "Madame la sous-préfète", true},
	{lineTitle(`sous-préfet`), "Monsieur le sous-préfet", true},
	{lineTitle(`préfète`), "Madame la préfète", true},
	{lineTitle(`préfet`), "Monsieur le préfet", true},
	{lineTitle(`secrétaire générale`), "Madame la secrétaire générale", true},
	{lineTitle(`secrétaire général`), "Monsieur le secrétaire général", true},
	{lineTitle(`directrice`), "Madame la directrice", true},
	{lineTitle(`directeur`), "Monsieur le directeur", true},
	{lineTitle(`présidente`), "Madame la présidente", true},
	{lineTitle(`président`), "Monsieur le président", true},
	{lineTitle(`(?:général|générale)(?:\s+de\s+(?:brigade|division|corps d'armée|gendarmerie))?`), "Mon Général", true},
	{lineTitle(`(?:lieutenant-)?colonel`), "Mon Colonel", true},
	{lineTitle(`cheffe`), "Madame la cheffe de service", false},
	{lineTitle(`chef (de|du)`), "Monsieur le chef de service", false},
}

// lineTitle matches a title at the start of a signature line ("Directrice
// de …", "Le préfet"), not inside a service name ("Cabinet du préfet").
func lineTitle(word string) *regexp.Regexp {
	return regexp.MustCompile(`(?im)^\s*(?:(?:le|la)\s+)?` + word + `(?:\s|,|$)`)
}

// civility matches an explicit civility in a name or signature.
var civilityRE = regexp.MustCompile(`(?i)(^|\s)(madame|mme|monsieur|m\.)\s`)

// mayorRE and ministerRE need the gender from a civility.
var (
	mayorRE    = lineTitle(`maire`)
	ministerRE = lineTitle(`ministre`)
)

// addressee describes whom a reply is for.
type addressee struct {
	name     string // display name, may be empty
	first    string // first name, when the name looks like "Prénom Nom"
	title    *title
	feminine int // 1 madame, -1 monsieur, 0 unknown
	many     bool
}

// appellationLineRE matches an appellation naming a title, as a message
// opens: "Monsieur le Maire,", "Madame la Directrice,", "Mon Général,".
var appellationLineRE = regexp.MustCompile(`^((?:Monsieur|Madame)\s+(?:le|la|l['’])\s*\p{L}[\p{L}' -]{1,40}?|Mon\s+\p{Lu}\p{L}{2,20})\s*,$`)

// highTitleRE matches the titles a formal closing answers with "haute considération".
var highTitleRE = regexp.MustCompile(`(?i)préfet|préfète|maire|ministre|directeur|directrice|président|secrétaire général|général|colonel|député|sénat|recteur|rectrice|procureur|ambassad`)

// findAddressee describes the sender of message target of t: the title in
// their signature there or in their earlier messages, else the title the
// thread's earlier messages address them with ("Monsieur le Maire,").
func findAddressee(t *mail.Thread, target int, replyAll bool) addressee {
	m := t.Messages[target]
	ad := signatureAddressee(m, replyAll)
	if ad.title != nil || len(m.From) == 0 {
		return ad
	}
	addr := m.From[0].Address
	for i := target - 1; i >= 0 && ad.title == nil; i-- {
		if e := t.Messages[i]; fromAddress(e, addr) {
			if ti := signatureAddressee(e, false).title; ti != nil {
				ad.title = ti
			}
		}
	}
	for i := target - 1; i >= 0 && ad.title == nil; i-- {
		if e := t.Messages[i]; sentTo(e, addr) {
			ad.title = writtenTitle(newText(e))
		}
	}
	return ad
}

// sentTo reports whether addr is among m's recipients.
func sentTo(m *mail.Message, addr string) bool {
	for _, a := range append(append([]mail.Address(nil), m.To...), m.Cc...) {
		if addr != "" && strings.EqualFold(strings.TrimSpace(a.Address), strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// writtenTitle is the title of the appellation that opens text, as written.
func writtenTitle(text string) *title {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if x := appellationLineRE.FindStringSubmatch(l); x != nil {
			a := strings.Join(strings.Fields(x[1]), " ")
			return &title{appellation: a, high: highTitleRE.MatchString(a)}
		}
		return nil
	}
	return nil
}

// signatureAddressee reads a message's sender and signature.
func signatureAddressee(m *mail.Message, replyAll bool) addressee {
	var ad addressee
	from := m.From
	if len(m.ReplyTo) > 0 {
		from = m.ReplyTo
	}
	if len(from) > 0 {
		ad.name = strings.TrimSpace(from[0].Name)
	}
	ad.many = replyAll && len(m.To)+len(m.Cc) > 1
	sig := m.Signature
	if sig == "" {
		// the last lines of the new text often hold the signature
		lines := strings.Split(strings.TrimSpace(m.New), "\n")
		if len(lines) > 4 {
			lines = lines[len(lines)-4:]
		}
		sig = strings.Join(lines, "\n")
	}
	for i := range titles {
		if titles[i].re.MatchString(sig) {
			ad.title = &titles[i]
			break
		}
	}
	if c := civilityRE.FindStringSubmatch(" " + ad.name + " " + sig + " "); c != nil {
		switch strings.ToLower(c[2]) {
		case "madame", "mme":
			ad.feminine = 1
		default:
			ad.feminine = -1
		}
	}
	if ad.title == nil && ad.feminine != 0 {
		for _, x := range []struct {
			re     *regexp.Regexp
			fm, ms string
		}{{mayorRE, "Madame la maire", "Monsieur le maire"}, {ministerRE, "Madame la ministre", "Monsieur le ministre"}} {
			if x.re.MatchString(sig) {
				a := x.ms
				if ad.feminine > 0 {
					a = x.fm
				}
				ad.title = &title{appellation: a, high: true}
				break
			}
		}
	}
	if f := strings.Fields(ad.name); len(f) >= 2 && !strings.Contains(ad.name, "@") {
		r := []rune(f[0])
		if unicode.IsUpper(r[0]) && !isAllUpper(f[0]) && !civilityRE.MatchString(" "+f[0]+" ") {
			ad.first = f[0]
		}
	}
	return ad
}

func isAllUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// appellation is the opening line of a reply, comma included.
func appellation(ad addressee, tone, lang string) string {
	if lang == "en" {
		switch {
		case ad.many:
			return "Dear all,"
		case tone == "formel" && ad.name == "":
			return "Dear Sir or Madam,"
		case tone == "cordial" && ad.first != "":
			return "Dear " + ad.first + ","
		case ad.name != "":
			return "Dear " + ad.name + ","
		}
		return "Hello,"
	}
	switch tone {
	case "formel":
		switch {
		case ad.many:
			return "Mesdames, Messieurs,"
		case ad.title != nil:
			return ad.title.appellation + ","
		case ad.feminine > 0:
			return "Madame,"
		case ad.feminine < 0:
			return "Monsieur,"
		}
		return "Madame, Monsieur,"
	case "cordial":
		if ad.many {
			return "Bonjour à toutes et à tous,"
		}
		if ad.first != "" {
			return "Bonjour " + ad.first + ","
		}
		return "Bonjour,"
	}
	if ad.title != nil && !ad.many {
		return ad.title.appellation + ","
	}
	return "Bonjour,"
}

// closing is the formule de politesse, matching tone and hierarchy.
func closing(ad addressee, tone, lang string) string {
	if lang == "en" {
		switch tone {
		case "formel":
			if ad.name == "" || ad.many {
				return "Yours faithfully,"
			}
			return "Yours sincerely,"
		case "cordial":
			return "Best regards,"
		}
		return "Kind regards,"
	}
	switch tone {
	case "formel":
		a := strings.TrimSuffix(appellation(ad, tone, lang), ",")
		if ad.title != nil && ad.title.high && !ad.many {
			return "Je vous prie d'agréer, " + a + ", l'expression de ma haute considération."
		}
		return "Je vous prie d'agréer, " + a + ", l'expression de mes salutations distinguées."
	case "cordial":
		return "Bien cordialement,"
	}
	return "Cordialement,"
}

// replySubject is the subject of a reply to m.
func replySubject(m *mail.Message, lang string) string {
	s := m.NormSubject
	if s == "" {
		s = strings.TrimSpace(m.Subject)
		for {
			l := strings.ToLower(s)
			cut := false
			for _, p := range []string{"re:", "re :", "tr:", "tr :", "fw:", "fwd:", "fw :"} {
				if strings.HasPrefix(l, p) {
					s, cut = strings.TrimSpace(s[len(p):]), true
				}
			}
			if !cut {
				break
			}
		}
	}
	if lang == "en" {
		return "Re: " + s
	}
	return "RE : " + s
}

// replier is who replies: signer when set, else the first To address of
// the latest message that is not its sender — unless the latest message
// sits in a Sent folder, where its recipient is the correspondent. Never
// the latest sender; zero when unknown.
func replier(t *mail.Thread, signer mail.Address) mail.Address {
	if strings.TrimSpace(signer.Address) != "" || strings.TrimSpace(signer.Name) != "" {
		return mail.Address{Name: strings.TrimSpace(signer.Name), Address: strings.TrimSpace(signer.Address)}
	}
	m := t.Latest()
	if m == nil || sentFolder(m.Folder) {
		return mail.Address{}
	}
	for _, a := range m.To {
		if !fromAddress(m, a.Address) && (a.Address != "" || a.Name != "") {
			return mail.Address{Name: strings.TrimSpace(a.Name), Address: a.Address}
		}
	}
	return mail.Address{}
}

// replyTarget is the index of the message the reply answers: the latest
// one not sent by the replier nor filed in a Sent folder (a follow-up to
// one's own message still answers the correspondent), or the latest.
func replyTarget(t *mail.Thread, r mail.Address) int {
	last := len(t.Messages) - 1
	for i := last; i >= 0; i-- {
		if m := t.Messages[i]; m != nil && !fromAddress(m, r.Address) && !sentFolder(m.Folder) {
			return i
		}
	}
	return last
}

// fromAddress reports whether addr is among m's senders.
func fromAddress(m *mail.Message, addr string) bool {
	for _, f := range m.From {
		if addr != "" && strings.EqualFold(strings.TrimSpace(f.Address), strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// sentFolder reports whether an IMAP folder name is a Sent folder
// ("Sent", "Sent Items", "Éléments envoyés", "INBOX.Sent").
func sentFolder(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "sent") || strings.Contains(n, "envoy")
}
