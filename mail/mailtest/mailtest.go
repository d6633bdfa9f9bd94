// Package mailtest generates realistic mail for tests and benchmarks of
// package mail and for the comparison module in bench/: long reply chains as
// Outlook and Thunderbird write them, and large messages with attachments.
// Output is deterministic: the same arguments give the same bytes.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"time"
)

// Style is the mail client a chain imitates.
type Style string

// Chain styles.
const (
	// Outlook writes top-posted replies with "De : / Envoyé : / À : / Objet :"
	// headers in text, and a border-top separator in HTML.
	Outlook Style = "outlook"
	// Thunderbird writes "Le … a écrit :" then ">" quoting in text, and
	// moz-cite-prefix + blockquote type=cite in HTML.
	Thunderbird Style = "thunderbird"
)

type person struct{ name, addr, title, service string }

var people = []person{
	{"Marie Dupont", "marie.dupont@rhone.gouv.fr", "Cheffe du bureau de la coordination interministérielle", "Préfecture du Rhône – Direction de la citoyenneté"},
	{"Jean Martin", "jean.martin@interieur.gouv.fr", "Chargé de mission élections", "Ministère de l'Intérieur – DMAT"},
	{"Sophie Bernard", "sophie.bernard@ddt-69.gouv.fr", "Cheffe de l'unité prévention des risques", "DDT du Rhône – Service eau et risques"},
}

var subjects = []string{"dossier", "arrêté", "planning", "budget", "compte rendu", "convention", "marché", "recrutement"}
var verbs = []string{"Je vous confirme que", "Pour mémoire,", "Suite à notre échange,", "Comme convenu,", "Je vous informe que", "Pour information,"}
var facts = []string{
	"la réunion du comité de pilotage est fixée au %d juin à %d h en salle %d",
	"le projet d'arrêté n°%d-%d sera soumis à la signature du préfet avant le %d juillet",
	"le budget de l'opération %d est arrêté à %d 000 euros pour l'exercice %d",
	"la convention %d doit être retournée signée en %d exemplaires avant le %d septembre",
	"le dossier %d est complet depuis le %d mai et peut être instruit par le service %d",
	"les %d agents concernés seront reçus individuellement à partir du %d octobre, bureau %d",
}

// sentences returns the unique sentences message i adds to the thread.
func sentences(r *rand.Rand, i int) []string {
	n := 3 + r.IntN(3)
	out := make([]string, n)
	for k := range out {
		f := fmt.Sprintf(facts[r.IntN(len(facts))], 100*i+k, 1+r.IntN(28), 1+r.IntN(30))
		out[k] = fmt.Sprintf("%s %s.", verbs[r.IntN(len(verbs))], f)
	}
	return out
}

// Message is one generated message with the sentences it adds.
type Message struct {
	Raw []byte
	// Own lists the sentences this message adds; earlier messages' sentences
	// appear only in its quoted history.
	Own []string
}

var start = time.Date(2024, 6, 3, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600))

// Chain returns n messages of one reply chain in the given style, oldest
// first; message k quotes the whole history of messages 0…k-1.
func Chain(style Style, n int) []Message {
	r := rand.New(rand.NewPCG(uint64(n), uint64(len(style))))
	subject := "Organisation du " + subjects[r.IntN(len(subjects))] + " 2024"
	var prevPlain, prevHTML string
	var prevID string
	var refs []string
	out := make([]Message, 0, n)
	for i := range n {
		p := people[i%len(people)]
		to := people[(i+1)%len(people)]
		date := start.Add(time.Duration(i) * 97 * time.Minute)
		own := sentences(r, i)
		id := fmt.Sprintf("chain-%s-%03d@%s", style, i, strings.SplitN(p.addr, "@", 2)[1])
		plainOwn := "Bonjour,\n\n" + strings.Join(own, "\n\n") + "\n\nBien cordialement,\n\n" + signature(p)
		htmlOwn := "<p>Bonjour,</p>" + paras(own) + "<p>Bien cordialement,</p><p>" + strings.ReplaceAll(signature(p), "\n", "<br>") + "</p>"
		plain, html := plainOwn, htmlOwn
		if i > 0 {
			prev := people[(i-1)%len(people)]
			pdate := start.Add(time.Duration(i-1) * 97 * time.Minute)
			switch style {
			case Thunderbird:
				attr := fmt.Sprintf("Le %s, %s a écrit :", pdate.Format("02/01/2006 à 15:04"), prev.name)
				plain += "\n\n" + attr + "\n" + quote(prevPlain)
				html += `<div class="moz-cite-prefix">` + attr + `<br></div><blockquote type="cite" cite="mid:` + prevID + `">` + prevHTML + `</blockquote>`
			default:
				hdr := fmt.Sprintf("De : %s <%s>\nEnvoyé : %s\nÀ : %s <%s>\nObjet : RE: %s", prev.name, prev.addr, pdate.Format("Monday 2 January 2006 15:04"), p.name, p.addr, subject)
				plain += "\n\n" + disclaimer + "\n\n" + hdr + "\n\n" + prevPlain
				html += "<p>" + disclaimer + `</p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">` +
					strings.ReplaceAll(htmlEscape(hdr), "\n", "<br>") + "</p></div></div>" + prevHTML
			}
		}
		subj := subject
		if i > 0 {
			subj = "RE: " + subject
			if style == Thunderbird {
				subj = "Re: " + subject
			}
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "From: %s <%s>\r\nTo: %s <%s>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n", p.name, p.addr, to.name, to.addr, qEncode(subj), date.Format(time.RFC1123Z), id)
		if prevID != "" {
			fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", prevID, strings.Join(refs, "> <"))
		}
		b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt-" + id + "\"\r\n\r\n")
		writePart(&b, "alt-"+id, "text/plain; charset=utf-8", plain)
		writePart(&b, "alt-"+id, "text/html; charset=utf-8", "<html><body>"+html+"</body></html>")
		b.WriteString("--alt-" + id + "--\r\n")
		out = append(out, Message{Raw: b.Bytes(), Own: own})
		prevPlain, prevHTML, prevID = plain, html, id
		refs = append(refs, id)
	}
	return out
}

const disclaimer = "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires. Pensez à l'environnement avant d'imprimer ce message."

func signature(p person) string {
	return p.name + "\n" + p.title + "\n" + p.service + "\n106 rue Pierre Corneille\n69003 Lyon\nTél. : 04 72 61 60 60"
}

func paras(ss []string) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString("<p>" + htmlEscape(s) + "</p>")
	}
	return b.String()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func quote(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, ">") {
			lines[i] = ">" + l
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

func qEncode(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?utf-8?q?" + strings.NewReplacer(" ", "_", "?", "=3F", "=", "=3D").Replace(qpWord(s)) + "?="
		}
	}
	return s
}

func qpWord(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c > 127 {
			fmt.Fprintf(&b, "=%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func writePart(b *bytes.Buffer, boundary, ctype, body string) {
	b.WriteString("--" + boundary + "\r\nContent-Type: " + ctype + "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(b)
	_, _ = w.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	_ = w.Close()
	b.WriteString("\r\n")
}

// Large returns one message of about size bytes: an HTML and text body and
// three base64 attachments (PDF, DOCX, JPEG) filling the rest.
func Large(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(size + 4096)
	b.WriteString("From: Marie Dupont <marie.dupont@rhone.gouv.fr>\r\nTo: Jean Martin <jean.martin@interieur.gouv.fr>\r\nSubject: =?utf-8?q?Pi=C3=A8ces_du_dossier_de_subvention?=\r\nDate: Mon, 3 Jun 2024 10:02:00 +0200\r\nMessage-ID: <large-1@rhone.gouv.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n")
	b.WriteString("--mix\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n")
	own := sentences(r, 1)
	writePart(&b, "alt", "text/plain; charset=utf-8", "Bonjour,\n\n"+strings.Join(own, "\n")+"\n\nCordialement,\n\n"+signature(people[0]))
	writePart(&b, "alt", "text/html; charset=utf-8", "<html><body><p>Bonjour,</p>"+paras(own)+"<p>Cordialement,</p></body></html>")
	b.WriteString("--alt--\r\n")
	rest := size - b.Len() - 1024
	files := []struct {
		name, ctype string
		share       int
	}{{"Dossier de subvention.pdf", "application/pdf", 50}, {"Budget prévisionnel.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 30}, {"Plan du site.jpg", "image/jpeg", 20}}
	for _, f := range files {
		raw := make([]byte, rest*f.share/100*3/4)
		for i := range raw {
			raw[i] = byte(r.Uint32())
		}
		fmt.Fprintf(&b, "--mix\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", f.ctype, f.name, f.name)
		enc := base64.StdEncoding.EncodeToString(raw)
		for len(enc) > 76 {
			b.WriteString(enc[:76])
			b.WriteString("\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("--mix--\r\n")
	return b.Bytes()
}
