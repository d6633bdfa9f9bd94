package demo_test

import (
	"bytes"
	"context"
	"io"
	"math/big"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	gomail "github.com/emersion/go-message/mail"

	"github.com/plume-admin/plume/mail/demo"
	"github.com/plume-admin/plume/mail/extract"
)

// part is one decoded leaf of a demo message.
type part struct {
	mediaType, name string
	body            []byte
}

func readParts(t *testing.T, raw []byte) (*gomail.Reader, []part) {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("CreateReader: %v", err)
	}
	var parts []part
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("NextPart: %v", err)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatal(err)
		}
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			mt, _, _ := h.ContentType()
			parts = append(parts, part{mt, "", body})
		case *gomail.AttachmentHeader:
			mt, _, _ := h.ContentType()
			name, _ := h.Filename()
			parts = append(parts, part{mt, name, body})
		}
	}
	return r, parts
}

func TestMessagesAreDeterministic(t *testing.T) {
	a, b := demo.Messages(), demo.Messages()
	if len(a) != len(b) {
		t.Fatal("different lengths")
	}
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			t.Fatalf("message %s differs between calls", a[i].MessageID)
		}
	}
}

func TestThreadsShape(t *testing.T) {
	ths := demo.Threads()
	if len(ths) < 5 {
		t.Fatalf("%d threads, want at least 5", len(ths))
	}
	for _, th := range ths {
		if th.Messages < 3 || th.Messages > 15 {
			t.Errorf("thread %s has %d messages", th.Key, th.Messages)
		}
	}
	folders := map[string]int{}
	for _, it := range demo.Messages() {
		folders[it.Folder]++
		if it.Date.Year() != 2026 {
			t.Errorf("%s: date %v not in 2026", it.MessageID, it.Date)
		}
		if !regexp.MustCompile(`^<[a-z-]+-\d+@demo\.plume\.local>$`).MatchString(it.MessageID) {
			t.Errorf("Message-ID %q", it.MessageID)
		}
	}
	if folders[demo.Inbox] == 0 || folders[demo.Sent] == 0 {
		t.Errorf("folders = %v", folders)
	}
}

// TestContent checks that the features the demo is meant to show are there.
func TestContent(t *testing.T) {
	var all strings.Builder
	restricted := 0
	attachments := map[string]bool{}
	htmlQuotes := 0
	for _, it := range demo.Messages() {
		r, parts := readParts(t, it.Raw)
		subj, _ := r.Header.Subject()
		if strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(subj, "Re: "), "RE: "), "[DIFFUSION RESTREINTE]") ||
			strings.Contains(subj, "[DIFFUSION RESTREINTE]") {
			restricted++
		}
		for _, p := range parts {
			switch {
			case p.name != "":
				attachments[strings.ToLower(p.name[strings.LastIndex(p.name, ".")+1:])] = true
				doc, err := extract.Extract(context.Background(), p.name, p.mediaType, p.body, extract.Limits{})
				if err != nil {
					t.Errorf("%s: attachment %s: %v", it.MessageID, p.name, err)
					continue
				}
				if len(doc.Text) < 100 {
					t.Errorf("%s: attachment %s: short text %q", it.MessageID, p.name, doc.Text)
				}
				all.WriteString(doc.Text)
			case p.mediaType == "text/html":
				if bytes.Contains(p.body, []byte(`<blockquote type="cite"`)) {
					htmlQuotes++
				}
			default:
				all.Write(bytes.ReplaceAll(p.body, []byte("\r\n"), []byte("\n")))
			}
		}
	}
	text := all.String()
	for _, w := range []string{
		"-----Message d'origine-----", "Envoyé : ", "Objet : ", " a écrit :\n> ", "\n-- \n",
		"avant le 15 juillet", "sous huitaine", "DIFFUSION RESTREINTE", "Ce message et ses éventuelles pièces jointes sont confidentiels",
		"Préfecture de la Somme", "Direction de la citoyenneté et de la légalité", "06 39 98 45 67",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("demo mailbox lacks %q", w)
		}
	}
	if restricted != 3 {
		t.Errorf("%d messages marked DIFFUSION RESTREINTE in the subject, want the 3 of one thread", restricted)
	}
	for _, ext := range []string{"pdf", "docx", "odt"} {
		if !attachments[ext] {
			t.Errorf("no %s attachment", ext)
		}
	}
	if htmlQuotes == 0 {
		t.Error("no HTML blockquote type=cite reply")
	}
	ibans := regexp.MustCompile(`FR\d{2}(?: ?\d{4}){5} ?\d{3}`).FindAllString(text, -1)
	if len(ibans) == 0 {
		t.Fatal("no IBAN")
	}
	for _, ib := range ibans {
		if !validIBAN(strings.ReplaceAll(ib, " ", "")) {
			t.Errorf("IBAN %s has a wrong checksum", ib)
		}
	}
	sirets := regexp.MustCompile(`SIRET : (\d{3} \d{3} \d{3} \d{5})`).FindAllStringSubmatch(text, -1)
	if len(sirets) == 0 {
		t.Fatal("no SIRET")
	}
	for _, s := range sirets {
		if !luhn(strings.ReplaceAll(s[1], " ", "")) {
			t.Errorf("SIRET %s fails the Luhn check", s[1])
		}
	}
}

func validIBAN(s string) bool {
	s = s[4:] + s[:4]
	var digits strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			digits.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		} else {
			digits.WriteRune(c)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func TestServeIMAP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demo.Serve(ln, demo.Options{Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	c, err := imapclient.DialInsecure(srv.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("agent", "demo").Wait(); err == nil {
		t.Fatal("login with the default password succeeded although Options.Password was set")
	}
	if err := c.Login("agent", "s3cret").Wait(); err != nil {
		t.Fatalf("Login: %v", err)
	}

	boxes, err := c.List("", "*", &imap.ListOptions{ReturnSpecialUse: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string][]imap.MailboxAttr{}
	for _, b := range boxes {
		attrs[b.Mailbox] = b.Attrs
	}
	for name, want := range map[string]imap.MailboxAttr{"Sent": imap.MailboxAttrSent, "Archive": imap.MailboxAttrArchive, "Drafts": imap.MailboxAttrDrafts} {
		found := false
		for _, a := range attrs[name] {
			found = found || a == want
		}
		if !found {
			t.Errorf("%s attrs = %v, want %s", name, attrs[name], want)
		}
	}
	if _, ok := attrs["INBOX"]; !ok {
		t.Errorf("no INBOX in %v", attrs)
	}

	want := map[string]int{}
	for _, it := range demo.Messages() {
		want[it.Folder]++
	}
	for folder, n := range want {
		sel, err := c.Select(folder, nil).Wait()
		if err != nil {
			t.Fatalf("Select %s: %v", folder, err)
		}
		if int(sel.NumMessages) != n {
			t.Errorf("%s: %d messages, want %d", folder, sel.NumMessages, n)
		}
	}

	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: "<subvention-detr-3@demo.plume.local>"}}}
	res, err := c.UIDSearch(crit, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	uids := res.AllUIDs()
	if len(uids) != 1 {
		t.Fatalf("search found %v", uids)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{Envelope: true, Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0].Envelope.Subject, "DETR") {
		t.Fatalf("fetched %+v", msgs)
	}
	unseen, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(unseen.AllUIDs()) == 0 {
		t.Error("no unread message in INBOX")
	}
	if err := c.Logout().Wait(); err != nil {
		t.Fatal(err)
	}
}
