package assist

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

var paris = time.FixedZone("CEST", 2*3600)

func addr(name, a string) mail.Address { return mail.Address{Name: name, Address: a} }

// sampleThread is a short French administrative thread whose messages carry
// quoted history and signatures that must not reach the model.
func sampleThread() *mail.Thread {
	m1 := &mail.Message{
		MessageID: "<1@prefecture.gouv.fr>",
		From:      []mail.Address{addr("Claire Martin", "claire.martin@mairie-exemple.fr")},
		To:        []mail.Address{addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")},
		Date:      time.Date(2024, 7, 1, 9, 30, 0, 0, paris),
		Subject:   "Demande de subvention DETR n° 2024-123", NormSubject: "Demande de subvention DETR n° 2024-123",
		New:       "Bonjour,\n\nLa commune sollicite une subvention DETR pour la rénovation de l'école primaire. Le dossier complet a été déposé le 28 juin.\n\nPourriez-vous nous indiquer le calendrier d'instruction ?\n\nCordialement,",
		Signature: "Claire Martin\nSecrétaire générale de mairie\nTél. 01 23 45 67 89",
	}
	m2 := &mail.Message{
		MessageID: "<2@prefecture.gouv.fr>", InReplyTo: []string{"<1@prefecture.gouv.fr>"},
		From:    []mail.Address{addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")},
		To:      []mail.Address{addr("Claire Martin", "claire.martin@mairie-exemple.fr")},
		Date:    time.Date(2024, 7, 2, 14, 5, 0, 0, paris),
		Subject: "RE: Demande de subvention DETR n° 2024-123", NormSubject: "Demande de subvention DETR n° 2024-123",
		New:       "Madame,\n\nLe dossier est incomplet : il manque la délibération du conseil municipal et le plan de financement. Merci de transmettre ces pièces sous huitaine.\n\nBien cordialement,",
		Quoted:    "> La commune sollicite une subvention DETR pour la rénovation de l'école primaire.",
		Signature: "Paul Bernard\nChef du bureau des finances locales\nSIGNATUREMARKER",
	}
	m3 := &mail.Message{
		MessageID: "<3@prefecture.gouv.fr>", InReplyTo: []string{"<2@prefecture.gouv.fr>"},
		From:    []mail.Address{addr("Claire Martin", "claire.martin@mairie-exemple.fr")},
		To:      []mail.Address{addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr")},
		Date:    time.Date(2024, 7, 4, 11, 0, 0, 0, paris),
		Subject: "RE: Demande de subvention DETR n° 2024-123", NormSubject: "Demande de subvention DETR n° 2024-123",
		New:       "Monsieur,\n\nLa délibération sera votée au conseil municipal du 10 juillet. Nous vous transmettrons le plan de financement d'ici vendredi. Pouvez-vous nous accorder un délai ?\n\nCordialement,",
		Quoted:    "De : Paul Bernard\nEnvoyé : mardi 2 juillet 2024 14:05\n\nLe dossier est incomplet : il manque la délibération du conseil municipal et le plan de financement.",
		Signature: "Claire Martin\nSecrétaire générale\nSIGNATUREMARKER",
	}
	return &mail.Thread{Messages: []*mail.Message{m1, m2, m3}}
}

// sleeper records the waits of the retry layer instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

type fixture struct {
	srv   *fakellm.Server
	a     *Assistant
	sleep *sleeper
	tr    *Transport
}

// newFixture starts a fake server and an Assistant talking to it over HTTP.
func newFixture(t *testing.T, fo fakellm.Options, edit func(*Options, *Endpoint, *RetryPolicy)) *fixture {
	t.Helper()
	srv := fakellm.New(fo)
	t.Cleanup(srv.Close)
	sl := &sleeper{}
	rp := RetryPolicy{Sleep: sl.Sleep}
	ep := Endpoint{Name: "test", ModelName: "fake-model", ContextWindow: 8192, MaxOutput: 1024}
	opts := Options{
		Now:          func() time.Time { return time.Date(2024, 7, 5, 10, 0, 0, 0, paris) },
		Rand:         bytes.NewReader(bytes.Repeat([]byte{0xab}, 1<<16)),
		StallTimeout: 10 * time.Second,
		Timeout:      30 * time.Second,
	}
	if edit != nil {
		edit(&opts, &ep, &rp)
	}
	model, tr, err := NewOpenAICompatibleTransport(OpenAIConfig{BaseURL: srv.URL(), Model: "fake-model", APIKey: "secret-key", Retry: rp})
	if err != nil {
		t.Fatal(err)
	}
	ep.Model = model
	opts.Endpoints = append(opts.Endpoints, ep)
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, a: a, sleep: sl, tr: tr}
}

const validSummary = `{"summary": "La commune demande une subvention DETR ; le dossier est incomplet.", "keyPoints": ["Dossier incomplet"], "decisions": [], "openQuestions": ["Un délai sera-t-il accordé ?"], "actionItems": [{"who": "Claire Martin", "what": "Transmettre le plan de financement", "due": "2024-07-05", "dueText": "d'ici vendredi"}], "participants": [{"name": "Claire Martin", "role": "secrétaire générale de mairie"}]}`

// admit lets th through a gate whose endpoints are a's, each cleared for
// every marking and sent plain text (package privacy tests the gate and
// the pseudonymisation; these tests read the thread as the model gets it).
func admit(t testing.TB, a *Assistant, th *mail.Thread) *privacy.Pass {
	t.Helper()
	return admitAll(t, a, privacy.Request{Task: "test", Thread: th})
}

// admitDoc lets one document through the same gate as admit.
func admitDoc(t testing.TB, a *Assistant, name, text string) *privacy.Pass {
	t.Helper()
	return admitAll(t, a, privacy.Request{Task: "test", Documents: []privacy.Document{{Name: name, Text: text}}})
}

func admitAll(t testing.TB, a *Assistant, r privacy.Request) *privacy.Pass {
	t.Helper()
	var eps []privacy.EndpointPolicy
	for _, ep := range a.endpoints {
		eps = append(eps, privacy.EndpointPolicy{Name: ep.Name, Cleared: []string{"*"}, Plain: true})
	}
	g, err := privacy.NewGate(privacy.GateOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Admit(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
