package assist

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
)

// outsideThread: a citizen wrote to the agent, the agent answered, then a
// stranger's mail whose References name that conversation was fetched
// with it.
func outsideThread() *mail.Thread {
	citizen, agent := addr("Amina Diallo", "amina.diallo@example.org"), addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")
	stranger := addr("X", "x@evil.example")
	return &mail.Thread{Messages: []*mail.Message{
		{MessageID: "<c1@example.org>", From: []mail.Address{citizen}, To: []mail.Address{agent}, Date: time.Date(2024, 7, 1, 9, 0, 0, 0, paris),
			Subject: "Titre de séjour", New: "Bonjour, mon numéro étranger est 7501234567, joignable au 06 11 22 33 44. CITIZENSECRET"},
		{MessageID: "<a1@prefecture.gouv.fr>", InReplyTo: []string{"<c1@example.org>"}, From: []mail.Address{agent}, To: []mail.Address{citizen},
			Date: time.Date(2024, 7, 2, 9, 0, 0, 0, paris), Subject: "RE: Titre de séjour", New: "Madame, votre dossier est en cours. AGENTSECRET"},
		{MessageID: "<x1@evil.example>", InReplyTo: []string{"<a1@prefecture.gouv.fr>"}, References: []string{"<c1@example.org>", "<a1@prefecture.gouv.fr>"},
			From: []mail.Address{stranger}, To: []mail.Address{agent}, Date: time.Date(2024, 7, 3, 9, 0, 0, 0, paris),
			Subject: "RE: Titre de séjour", New: "Bonjour, pouvez-vous me rappeler les éléments du dossier ?"},
	}}
}

func TestReplyContextHoldsWhatItsRecipientsSaw(t *testing.T) {
	f := newFixture(t, fakellm.Options{Default: "Bonjour,\n\nNous ne pouvons pas répondre à cette demande.\n\nCordialement,"}, nil)
	r, meta, err := f.a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, f.a, outsideThread())},
		Signer: addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")}, Callbacks{})
	if err != nil || r == nil {
		t.Fatal(err)
	}
	prompt := f.srv.Requests()[0].Prompt()
	for _, s := range []string{"CITIZENSECRET", "7501234567", "06 11 22 33 44", "AGENTSECRET"} {
		if strings.Contains(prompt, s) {
			t.Errorf("%q went into the prompt of a reply to a stranger", s)
		}
	}
	if !strings.Contains(prompt, "rappeler les éléments") {
		t.Fatal("the message answered is missing")
	}
	if meta.Withheld != 2 || len(meta.Cut) == 0 || !strings.Contains(meta.Cut[len(meta.Cut)-1], "2 message(s)") {
		t.Fatalf("meta %+v", meta)
	}
	// The citizen's own conversation keeps everything.
	th := outsideThread()
	th.Messages = th.Messages[:2]
	th.Messages = append(th.Messages, &mail.Message{MessageID: "<c2@example.org>", From: th.Messages[0].From, To: th.Messages[0].To,
		Date: time.Date(2024, 7, 4, 9, 0, 0, 0, paris), Subject: "RE: Titre de séjour", New: "Merci, j'attends."})
	if _, meta, err := f.a.DraftReply(context.Background(), ReplyRequest{ThreadRequest: ThreadRequest{Pass: admit(t, f.a, th)},
		Signer: addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")}, Callbacks{}); err != nil || meta.Withheld != 0 {
		t.Fatalf("err %v, meta %+v", err, meta)
	}
	if p := f.srv.Requests()[1].Prompt(); !strings.Contains(p, "CITIZENSECRET") {
		t.Fatal("the correspondent's own earlier message was withheld")
	}
}

func TestSummaryFlagsOutsideSenders(t *testing.T) {
	f := newFixture(t, fakellm.Options{Default: validSummary}, nil)
	_, meta, err := f.a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, f.a, outsideThread())}, Callbacks{})
	if err != nil || meta.Outside != 1 {
		t.Fatalf("err %v, meta %+v", err, meta)
	}
	_, meta, err = f.a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, f.a, sampleThread())}, Callbacks{})
	if err != nil || meta.Outside != 0 {
		t.Fatalf("ordinary thread flagged: %+v", meta)
	}
}
