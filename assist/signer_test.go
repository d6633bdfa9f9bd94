package assist

import (
	"context"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
)

// demoThread parses the demo thread key's messages, keeping their IMAP
// folder as the IMAP source would, and threads them; max > 0 keeps only
// the first max messages.
func demoThread(t *testing.T, key string, max int, folders bool) *mail.Thread {
	t.Helper()
	var ms []*mail.Message
	for _, it := range demo.Messages() {
		if !strings.Contains(it.MessageID, key) {
			continue
		}
		m, err := mail.Parse(it.Raw, mail.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if folders {
			m.Folder = it.Folder
		}
		ms = append(ms, m)
	}
	th := mail.BuildThread(ms)
	if len(th.Messages) == 0 {
		t.Fatalf("no demo thread %q", key)
	}
	if max > 0 && len(th.Messages) > max {
		th.Messages = th.Messages[:max]
	}
	return th
}

const citizen = "Amina Benali"

var owner = mail.Address{Name: demo.OwnerName, Address: demo.OwnerAddress}

// lastLine is the signature line of a draft.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

var signerCases = []struct {
	name     string
	max      int  // messages kept (0: all)
	folders  bool // messages carry their IMAP folder
	signer   mail.Address
	wantSig  string
	wantDate string // date of the message answered
}{
	// The whole thread ends with the agent's own follow-up (in Sent): its
	// recipient is the citizen, so nothing can be inferred.
	{"owner's follow-up last, no signer", 0, true, mail.Address{}, "[à compléter]", "12/05/2026"},
	{"owner's follow-up last, signer", 0, true, owner, demo.OwnerName, "12/05/2026"},
	{"signer without folders", 0, false, owner, demo.OwnerName, "12/05/2026"},
	// The citizen's message is last: its recipient, the agent, replies.
	{"citizen last, inferred", 3, false, mail.Address{}, demo.OwnerName, "12/05/2026"},
	{"citizen last, signer wins", 3, true, mail.Address{Name: "Karine Roussel", Address: "karine.roussel@somme.gouv.example"}, "Karine Roussel", "12/05/2026"},
}

func TestOfflineReplySigner(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range signerCases {
		t.Run(c.name, func(t *testing.T) {
			th := demoThread(t, "titre-sejour-rdv", c.max, c.folders)
			r, _, err := a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, a, th)}, Signer: c.signer}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			sig := lastLine(r.Text)
			if sig == citizen {
				t.Fatalf("signed by the citizen:\n%s", r.Text)
			}
			if sig != c.wantSig {
				t.Errorf("signature %q, want %q:\n%s", sig, c.wantSig, r.Text)
			}
			if !strings.Contains(r.Text, "du "+c.wantDate) {
				t.Errorf("does not answer the message of %s:\n%s", c.wantDate, r.Text)
			}
		})
	}
}

func TestReplierNeverLatestSender(t *testing.T) {
	me := mail.Address{Name: "Moi", Address: "moi@x.example"}
	th := &mail.Thread{Messages: []*mail.Message{{From: []mail.Address{me}, To: []mail.Address{me, {Name: "Autre", Address: "autre@x.example"}}}}}
	if got := replier(th, mail.Address{}); got.Address != "autre@x.example" {
		t.Errorf("replier = %+v, want the first To that is not the sender", got)
	}
	th.Messages[0].To = th.Messages[0].To[:1]
	if got := replier(th, mail.Address{}); got != (mail.Address{}) {
		t.Errorf("replier = %+v, want none", got)
	}
}

func TestReplyPromptNamesSigner(t *testing.T) {
	a := newFixture(t, fakellm.Options{}, nil).a
	th := demoThread(t, "titre-sejour-rdv", 0, true)
	for lang, want := range map[string]string{"fr": "Qui répond : " + owner.String(), "en": "Who is replying: " + owner.String()} {
		p, _, err := a.Preview(context.Background(), TaskReply, ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, a, th), Language: lang}, Signer: owner})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p, want) || !strings.Contains(p, "signature « "+demo.OwnerName+" »") && !strings.Contains(p, `signature "`+demo.OwnerName+`"`) {
			t.Errorf("%s prompt does not name the signer:\n%s", lang, p)
		}
	}
}
