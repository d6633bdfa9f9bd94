package demo

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/internal/calendar"
)

// person is a fictional correspondent.
type person struct {
	name, addr string
}

func (p person) header() string {
	if p.name == "" {
		return "<" + p.addr + ">"
	}
	return mime.QEncoding.Encode("utf-8", p.name) + " <" + p.addr + ">"
}

// attachment is a file attached to a demo message.
type attachment struct {
	name, mediaType string
	data            []byte
}

// msg describes one demo message before it is written as MIME.
type msg struct {
	thread  string // thread key, used in Message-IDs
	n       int    // position in the thread, from 1
	folder  string
	from    person
	to, cc  []person
	date    time.Time
	subject string
	text    string // text/plain body
	html    string // optional text/html alternative
	atts    []attachment
	// inReplyTo lists the positions (in the same thread) this message answers; the
	// References header holds every earlier message of the thread.
	inReplyTo int
	seen      bool
	flagged   bool
	headers   [][2]string
	mailer    string
}

func msgID(thread string, n int) string {
	return fmt.Sprintf("<%s-%d@demo.plume.local>", thread, n)
}

// paris is the demo time zone.
var paris = time.FixedZone("CET", 3600)
var parisSummer = time.FixedZone("CEST", 7200)

// at returns a fixed 2026 date in Paris time (summer time from 29 March).
func at(month time.Month, day, hour, min int) time.Time {
	t := time.Date(2026, month, day, hour, min, 0, 0, time.UTC)
	if t.After(time.Date(2026, time.March, 29, 1, 0, 0, 0, time.UTC)) && t.Before(time.Date(2026, time.October, 25, 1, 0, 0, 0, time.UTC)) {
		return time.Date(2026, month, day, hour, min, 0, 0, parisSummer)
	}
	return time.Date(2026, month, day, hour, min, 0, 0, paris)
}

func addrs(ps []person) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.header()
	}
	return strings.Join(out, ", ")
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")))
	_ = w.Close()
	return b.String()
}

func b64(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

// raw writes m as an RFC 5322 message with CRLF line ends.
func (m msg) raw() []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("Date", m.date.Format(time.RFC1123Z))
	h("From", m.from.header())
	h("To", addrs(m.to))
	if len(m.cc) > 0 {
		h("Cc", addrs(m.cc))
	}
	h("Subject", mime.QEncoding.Encode("utf-8", m.subject))
	h("Message-ID", msgID(m.thread, m.n))
	if m.inReplyTo > 0 {
		h("In-Reply-To", msgID(m.thread, m.inReplyTo))
		refs := make([]string, 0, m.n-1)
		for i := 1; i < m.n; i++ {
			refs = append(refs, msgID(m.thread, i))
		}
		h("References", strings.Join(refs, "\r\n "))
	}
	for _, kv := range m.headers {
		h(kv[0], kv[1])
	}
	if m.mailer != "" {
		h("User-Agent", m.mailer)
	}
	h("MIME-Version", "1.0")
	h("Content-Language", "fr-FR")

	textPart := "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(m.text) + "\r\n"
	body := textPart
	if m.html != "" {
		body = "Content-Type: multipart/alternative; boundary=\"alt-" + m.key() + "\"\r\n\r\n" +
			"--alt-" + m.key() + "\r\n" + textPart +
			"--alt-" + m.key() + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(m.html) + "\r\n" +
			"--alt-" + m.key() + "--\r\n"
	}
	if len(m.atts) == 0 {
		b.WriteString(body)
		return []byte(b.String())
	}
	mix := "mix-" + m.key()
	b.WriteString("Content-Type: multipart/mixed; boundary=\"" + mix + "\"\r\n\r\nCeci est un message au format MIME.\r\n")
	b.WriteString("--" + mix + "\r\n" + body)
	for _, a := range m.atts {
		name := mime.QEncoding.Encode("utf-8", a.name)
		b.WriteString("--" + mix + "\r\n")
		b.WriteString("Content-Type: " + a.mediaType + "; name=\"" + name + "\"\r\n")
		b.WriteString("Content-Disposition: attachment; filename=\"" + name + "\"\r\n")
		b.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		b.WriteString(b64(a.data))
	}
	b.WriteString("--" + mix + "--\r\n")
	return []byte(b.String())
}

func (m msg) key() string { return fmt.Sprintf("%s-%d", m.thread, m.n) }

func (m msg) item() Item {
	var flags []imap.Flag
	if m.seen {
		flags = append(flags, imap.FlagSeen)
	}
	if m.flagged {
		flags = append(flags, imap.FlagFlagged)
	}
	return Item{Folder: m.folder, Raw: m.raw(), Flags: flags, Date: m.date, MessageID: msgID(m.thread, m.n)}
}

// quoteTB quotes text Thunderbird's way: "Le … a écrit :" and "> " lines.
func quoteTB(who person, date time.Time, text string) string {
	var b strings.Builder
	b.WriteString("Le " + date.Format("02/01/2006 à 15:04") + ", " + who.name + " a écrit :\n")
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(l, ">") {
			b.WriteString(">" + l + "\n")
		} else if l == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> " + l + "\n")
		}
	}
	return b.String()
}

// frDate formats a date as Outlook does in French: "lundi 2 mars 2026 10:14".
func frDate(t time.Time) string {
	return fmt.Sprintf("%s %d %s %d %s", calendar.FrenchWeekday(t.Weekday()), t.Day(), calendar.FrenchMonth(t.Month()), t.Year(), t.Format("15:04"))
}

// quoteOutlook appends the previous message Outlook's way, with either the
// classic "-----Message d'origine-----" line or the underscore rule.
func quoteOutlook(classic bool, from person, to []person, cc []person, date time.Time, subject, text string) string {
	var b strings.Builder
	if classic {
		b.WriteString("-----Message d'origine-----\n")
	} else {
		b.WriteString("________________________________\n")
	}
	b.WriteString("De : " + from.name + " <" + from.addr + ">\n")
	b.WriteString("Envoyé : " + frDate(date) + "\n")
	names := make([]string, len(to))
	for i, p := range to {
		names[i] = p.name + " <" + p.addr + ">"
	}
	b.WriteString("À : " + strings.Join(names, " ; ") + "\n")
	if len(cc) > 0 {
		names = names[:0]
		for _, p := range cc {
			names = append(names, p.name+" <"+p.addr+">")
		}
		b.WriteString("Cc : " + strings.Join(names, " ; ") + "\n")
	}
	b.WriteString("Objet : " + subject + "\n\n")
	b.WriteString(strings.TrimRight(text, "\n") + "\n")
	return b.String()
}
