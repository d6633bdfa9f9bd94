package demo_test

import (
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
)

// TestParse reads every demo message through the mail model, as Plume does.
func TestParse(t *testing.T) {
	for _, it := range demo.Messages() {
		m, err := mail.Parse(it.Raw, mail.Limits{})
		if err != nil {
			t.Fatalf("%s: Parse: %v", it.MessageID, err)
		}
		if "<"+m.MessageID+">" != it.MessageID && m.MessageID != it.MessageID {
			t.Errorf("MessageID = %q, want %q", m.MessageID, it.MessageID)
		}
		if m.Subject == "" || strings.TrimSpace(m.New) == "" || len(m.From) != 1 || m.Date.IsZero() {
			t.Errorf("%s: incomplete: subject %q, from %v, date %v, new %q", it.MessageID, m.Subject, m.From, m.Date, m.New)
		}
		if len(m.InReplyTo) > 0 && strings.TrimSpace(m.Quoted) == "" {
			t.Errorf("%s: reply without quoted history; new = %q", it.MessageID, m.New)
		}
		if strings.TrimSpace(m.Signature) == "" {
			t.Errorf("%s: no signature found; new = %q", it.MessageID, m.New)
		}
		for _, a := range m.Attachments {
			if _, _, err := mail.ReadAttachment(it.Raw, a.PartPath, mail.Limits{}); err != nil {
				t.Errorf("%s: ReadAttachment %s: %v", it.MessageID, a.PartPath, err)
			}
		}
	}
	if th := demo.Threads(); len(th) == 0 {
		t.Fatal("no threads")
	}
}
