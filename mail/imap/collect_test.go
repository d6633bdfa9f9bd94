package imap

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap/imaptest"
)

// A thread as collect sees it: root and reply in INBOX, the agent's answer
// in Sent, and what the bound of a reply search must be.
func TestIMAPCollectorBound(t *testing.T) {
	msg := func(folder string, uid imap.UID, id string, irt string, refs ...string) *imapMsg {
		m := &mail.Message{MessageID: id, References: refs}
		if irt != "" {
			m.InReplyTo = []string{irt}
		}
		return &imapMsg{folder: folder, uid: uid, msg: m}
	}
	s := &imapCollector{byID: map[string]*imapMsg{}}
	for _, m := range []*imapMsg{
		msg("INBOX", 10, "<root@a>", ""),
		msg("INBOX", 42, "<reply@a>", "<root@a>", "<root@a>"),
		msg("Sent", 7, "<answer@b>", "<reply@a>", "<root@a>", "<reply@a>"),
		msg("Sent", 8, "<lone@b>", ""),
	} {
		s.byID[m.msg.MessageID] = m
	}
	cases := []struct {
		name   string
		folder string
		keys   []imapKey
		want   imap.UID
	}{
		// Replies to the Sent answer arrived in INBOX after the newest
		// INBOX message it answers.
		{"reply to a sent answer", "INBOX", []imapKey{{"In-Reply-To", "<answer@b>"}}, 42},
		{"the smallest bound of several keys", "INBOX", []imapKey{{"In-Reply-To", "<answer@b>"}, {"In-Reply-To", "<reply@a>"}}, 10},
		{"a key naming a message not found", "INBOX", []imapKey{{"In-Reply-To", "<answer@b>"}, {"References", "<gone@x>"}}, 0},
		{"a message answering nothing", "INBOX", []imapKey{{"In-Reply-To", "<lone@b>"}}, 0},
		{"a root", "INBOX", []imapKey{{"References", "<root@a>"}}, 0},
		{"what it answers is in another folder", "Archive", []imapKey{{"In-Reply-To", "<answer@b>"}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := s.bound(c.folder, c.keys); got != c.want {
				t.Errorf("bound = %d, want %d", got, c.want)
			}
		})
	}
}

func TestIMAPKeysPhases(t *testing.T) {
	k := newKeys("<t@a>")
	if got := k.idKeys("INBOX", true); len(got) != 1 || got[0] != (imapKey{"Message-ID", "<t@a>"}) {
		t.Fatalf("first id keys = %v", got)
	}
	if got := k.idKeys("INBOX", true); len(got) != 0 {
		t.Fatalf("id keys asked twice: %v", got)
	}
	k.add(&mail.Message{MessageID: "<t@a>", InReplyTo: []string{"<p@a>"}, References: []string{"<r@a>", "<p@a>"}})
	// The thread's roots (the target was one until its References were
	// read), and replies to what was found.
	want := []imapKey{{"References", "<r@a>"}, {"References", "<t@a>"}, {"In-Reply-To", "<t@a>"}, {"In-Reply-To", "<r@a>"}}
	got := k.replyKeys("INBOX", true)
	if len(got) != len(want) {
		t.Fatalf("reply keys = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reply keys = %v, want %v", got, want)
		}
	}
	// Ancestors named but not found are asked by Message-ID, in each folder.
	if got := k.idKeys("INBOX", true); len(got) != 2 {
		t.Fatalf("ancestor keys = %v", got)
	}
	if got := k.idKeys("Sent", true); len(got) != 2 || got[0].id != "<p@a>" || got[1].id != "<r@a>" {
		t.Fatalf("Sent keys = %v", got)
	}
	// A THREAD tree read from Sent answers what its messages name there.
	k.anchor("Archive", &mail.Message{MessageID: "<x@a>", References: []string{"<r@a>"}})
	for _, key := range k.replyKeys("Archive", true) {
		if key.id == "<r@a>" {
			t.Fatalf("anchored key asked: %v", key)
		}
	}
}

// The open folder first while it has something to ask, then the smallest.
func TestIMAPCollectorNext(t *testing.T) {
	folders := []string{"INBOX", "Sent", "Archive", "Projets"}
	c := &imapConn{selected: "Sent", sizes: map[string]uint32{"INBOX": 8000, "Sent": 2000, "Archive": 300, "Projets": 900}}
	s := &imapCollector{c: c, k: newKeys("<t@a>"), missing: map[string]bool{"Archive": true}}
	var got []string
	for f := s.next(folders); f != ""; f = s.next(folders) {
		got = append(got, f)
		s.k.idKeys(f, true) // as visit does
		c.selected = f
	}
	if want := "Sent Projets INBOX"; strings.Join(got, " ") != want {
		t.Fatalf("visits %v, want %s", got, want)
	}
	// Replies are asked only once the target is found.
	s.k.add(&mail.Message{MessageID: "<t@a>"})
	if f := s.next(folders); f != "" {
		t.Fatalf("reply searches before the target was found: %s", f)
	}
	s.targetOK = true
	if f := s.next(folders); f != "INBOX" {
		t.Fatalf("next = %q, want the open INBOX", f)
	}
}

// Two citizens write with the same subject: THREAD REFERENCES (Dovecot)
// gathers them, the thread must not.
func TestIMAPThreadSameSubjectApart(t *testing.T) {
	raw := func(folder, id, irt, from string, day int) imaptest.Message {
		h := fmt.Sprintf("Message-ID: <%s>\r\nDate: %s\r\nFrom: %s\r\nTo: agent@prefecture.gouv.fr\r\nSubject: Demande de rendez-vous\r\n", id,
			time.Date(2024, 5, day, 9, 0, 0, 0, time.UTC).Format(time.RFC1123Z), from)
		if irt != "" {
			h += fmt.Sprintf("In-Reply-To: <%s>\r\nReferences: <%s>\r\n", irt, irt)
		}
		return imaptest.Message{Folder: folder, Raw: []byte(h + "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\nJe souhaite un rendez-vous.\r\n")}
	}
	msgs := []imaptest.Message{
		raw(imaptest.Inbox, "a1@citoyen.fr", "", "a@citoyen.fr", 2),
		raw(imaptest.Inbox, "b1@autre.fr", "", "b@autre.fr", 3),
		raw(imaptest.Sent, "a2@prefecture.gouv.fr", "a1@citoyen.fr", "agent@prefecture.gouv.fr", 4),
		raw(imaptest.Inbox, "a3@citoyen.fr", "a2@prefecture.gouv.fr", "a@citoyen.fr", 5),
	}
	for _, b := range imapBackends {
		t.Run(b.name, func(t *testing.T) {
			srv := b.start(t, imaptest.Options{Messages: msgs})
			src := newTestSource(t, srv, nil)
			th, err := src.Thread(context.Background(), mail.Caller{User: srv.User}, "<a3@citoyen.fr>")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range th.Messages {
				got = append(got, m.MessageID)
			}
			if strings.Join(got, " ") != "a1@citoyen.fr a2@prefecture.gouv.fr a3@citoyen.fr" {
				t.Fatalf("thread = %v, notes %q", got, th.Notes)
			}
		})
	}
}

func TestIMAPConnected(t *testing.T) {
	m := func(id string, refs ...string) *imapMsg {
		return &imapMsg{msg: &mail.Message{MessageID: id, References: refs}}
	}
	found := []*imapMsg{
		m("<t@a>", "<gone@a>"),    // parent not in the mailbox
		m("<s@a>", "<gone@a>"),    // sibling through the missing parent
		m("<c@a>", "<s@a>"),       // reply to the sibling
		m("<x@b>"),                // same subject only
		m("", "<x@b>"),            // no Message-ID, linked to x only
		m("<y@b>", "<elsewhere>"), // another thread
	}
	kept, apart := imapConnected(found, "<t@a>")
	if apart != 3 || len(kept) != 3 || kept[0] != found[0] || kept[1] != found[1] || kept[2] != found[2] {
		t.Fatalf("kept %d, apart %d", len(kept), apart)
	}
}
