package assist_test

import (
	"context"
	"fmt"
	"time"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

func exampleThread() *mail.Thread {
	return &mail.Thread{Messages: []*mail.Message{{
		From:    []mail.Address{{Name: "Claire Martin", Address: "claire.martin@mairie-exemple.fr"}},
		To:      []mail.Address{{Name: "Paul Bernard", Address: "paul.bernard@prefecture.gouv.fr"}},
		Date:    time.Date(2024, 7, 2, 10, 0, 0, 0, time.UTC),
		Subject: "Demande de délai", NormSubject: "Demande de délai",
		New: "Monsieur,\n\nPouvez-vous nous accorder un délai ? Le plan de financement sera transmis sous huitaine.\n\nCordialement,",
	}}}
}

// With no endpoint, the offline engine answers and says so. Every request
// goes through the privacy gate first: its Pass is the only way in.
func ExampleAssistant_SummarizeThread_offline() {
	gate, _ := privacy.NewGate(privacy.GateOptions{})
	pass, err := gate.Admit(context.Background(), privacy.Request{Task: "summary", Thread: exampleThread()})
	if err != nil {
		fmt.Println(err) // a *privacy.Refusal names the marking
		return
	}
	a, _ := assist.New(assist.Options{})
	sum, meta, _ := a.SummarizeThread(context.Background(), assist.ThreadRequest{Pass: pass}, assist.Callbacks{})
	fmt.Println(meta.Endpoint, meta.Degraded)
	for _, it := range sum.ActionItems {
		if it.Due != "" {
			fmt.Println(it.Who+":", it.Due, it.DueText)
		}
	}
	// Output:
	// offline true
	// Claire Martin: 2024-07-10 sous huitaine
}

// A model behind an OpenAI-compatible endpoint (here the fake test server).
func ExampleAssistant_DraftReply() {
	srv := fakellm.New(fakellm.Options{Default: "Monsieur,\n\nUn délai vous est accordé jusqu'au [à compléter].\n\nCordialement,"})
	defer srv.Close()
	model, _ := assist.NewOpenAICompatible(assist.OpenAIConfig{BaseURL: srv.URL(), Model: "mistral-small"})
	a, _ := assist.New(assist.Options{Endpoints: []assist.Endpoint{{Name: "local", Model: model, ModelName: "mistral-small", ContextWindow: 32768}}})
	gate, _ := privacy.NewGate(privacy.GateOptions{Endpoints: []privacy.EndpointPolicy{{Name: "local"}}})
	pass, _ := gate.Admit(context.Background(), privacy.Request{Task: "reply", Thread: exampleThread()})
	r, meta, _ := a.DraftReply(context.Background(), assist.ReplyRequest{
		ThreadRequest: assist.ThreadRequest{Pass: pass},
		Tone:          "formel", Instructions: "accorder le délai",
	}, assist.Callbacks{Token: func(string) {}})
	fmt.Println(r.Subject)
	fmt.Println(meta.Endpoint, meta.Model, meta.Degraded)
	// Output:
	// RE : Demande de délai
	// local mistral-small false
}
