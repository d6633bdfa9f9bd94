package privacy

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

func newTestGate(t *testing.T, eps ...EndpointPolicy) *Gate {
	t.Helper()
	g, err := NewGate(GateOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func gateThread(subject, body string) *mail.Thread {
	return &mail.Thread{Messages: []*mail.Message{{
		From:    []mail.Address{{Name: "Claire Martin", Address: "claire.martin@mairie-exemple.fr"}},
		Subject: subject, New: body,
	}}}
}

func TestGateUploadedNameIsCheckedAndPseudonymised(t *testing.T) {
	g := newTestGate(t, EndpointPolicy{Name: "cloud"})
	name := "demande claire.martin@mairie-exemple.fr 06 12 34 56 78 FR76 3000 6000 0112 3456 7890 189.pdf"
	p, err := g.Admit(context.Background(), Request{Task: "document", Documents: []Document{{Name: name, Text: "Texte ordinaire."}}})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Documents()[0].Name
	for _, s := range []string{"claire.martin@", "06 12 34 56 78", "FR76 3000"} {
		if strings.Contains(got, s) {
			t.Errorf("file name sent with %q: %q", s, got)
		}
	}
	if p.Restore(got) != name {
		t.Errorf("file name not restored: %q", p.Restore(got))
	}
	_, err = g.Admit(context.Background(), Request{Task: "document", Documents: []Document{{Name: "DIFFUSION RESTREINTE - note.pdf", Text: "Texte ordinaire."}}})
	var ref *Refusal
	if !errors.As(err, &ref) || !strings.HasPrefix(ref.Marking.Where, "attachment:") {
		t.Fatalf("marked file name: %v", err)
	}
}

func TestGateReadsMailsInsideDocuments(t *testing.T) {
	g := newTestGate(t, EndpointPolicy{Name: "cloud"})
	for _, c := range []struct {
		name  string
		inner *mail.Message
		want  error
	}{
		{"header only", &mail.Message{Subject: "Point de situation", Headers: map[string]string{"X-Classification": "DIFFUSION RESTREINTE"}}, ErrRefused},
		{"subject abbreviation", &mail.Message{Subject: "DR - point de situation"}, ErrRefused},
		{"abbreviation after a French reply prefix", &mail.Message{Subject: "Ré : DR – point de situation"}, ErrRefused},
		{"attachment name", &mail.Message{Subject: "Pour information", Attachments: []mail.Attachment{{Name: "Note DIFFUSION RESTREINTE.pdf"}}}, ErrRefused},
		{"encrypted", &mail.Message{Subject: "Pli", Security: mail.Security{SMIMEEncrypted: true}}, ErrEncrypted},
		{"plain", &mail.Message{Subject: "Pour information"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := g.Admit(context.Background(), Request{Task: "document",
				Documents: []Document{{Name: "pli.eml", Text: "Objet : " + c.inner.Subject, Mails: []*mail.Message{c.inner}}}})
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestGateRoutesAndSeals(t *testing.T) {
	g := newTestGate(t, EndpointPolicy{Name: "cloud"}, EndpointPolicy{Name: "local", Cleared: []string{"DIFFUSION RESTREINTE"}})
	ctx := context.Background()
	p, err := g.Admit(ctx, Request{Task: "summary", Thread: gateThread("DR - Dispositif", "Texte.")})
	if err != nil || p.Endpoint() != "local" {
		t.Fatalf("marked thread: %v, endpoint %q", err, p.Endpoint())
	}
	p, err = g.Admit(ctx, Request{Task: "summary", Prefer: "local", Thread: gateThread("Réunion", "Texte.")})
	if err != nil || p.Endpoint() != "local" {
		t.Fatalf("preferred endpoint: %v, %q", err, p.Endpoint())
	}
	p, err = g.Admit(ctx, Request{Task: "summary", Thread: gateThread("Réunion", "Bonjour, ici Claire Martin.")})
	if err != nil || p.Endpoint() != "cloud" {
		t.Fatalf("plain thread: %v", err)
	}
	if strings.Contains(p.Thread().Messages[0].New, "Claire Martin") {
		t.Fatal("the thread leaves with the name in clear")
	}
	if _, err := p.Seal(Message{Role: RoleUser, Text: p.Thread().Messages[0].New}); err != nil {
		t.Fatal(err)
	}
	// The last check: text that would carry a marking the endpoint is not cleared for.
	_, err = p.Seal(Message{Role: RoleSystem, Text: "DIFFUSION RESTREINTE"}, Message{Role: RoleUser, Text: "DIFFUSION RESTREINTE\n\nLe code est 7731."})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("seal of marked text: %v", err)
	}
	p.Done(Outcome{Code: "ok"})
	if _, err := p.Seal(Message{Role: RoleUser, Text: "x"}); !errors.Is(err, ErrNotSealed) {
		t.Fatalf("seal after the end: %v", err)
	}
	if (Prompt{}).Sealed() {
		t.Fatal("the zero prompt is sealed")
	}
}

func TestGateOfflineGetsPlainText(t *testing.T) {
	p, err := newTestGate(t).Admit(context.Background(), Request{Task: "summary", Thread: gateThread("Réunion", "Bonjour, ici Claire Martin.")})
	if err != nil || p.Endpoint() != OfflineEndpoint {
		t.Fatalf("%v, %q", err, p.Endpoint())
	}
	if !strings.Contains(p.Thread().Messages[0].New, "Claire Martin") {
		t.Fatal("the offline engine got placeholders")
	}
}

func TestGateRefusesReservedEndpointNames(t *testing.T) {
	for _, name := range []string{OfflineEndpoint, ""} {
		if _, err := NewGate(GateOptions{Endpoints: []EndpointPolicy{{Name: name}}}); !errors.Is(err, ErrEndpointName) {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// checkCases are what Gate.Check answers before any request, per endpoint set.
var checkCases = []struct {
	name    string
	eps     []EndpointPolicy
	subject string
	labels  []string
	refused bool
}{
	{"plain thread, cloud endpoint", []EndpointPolicy{{Name: "cloud"}}, "Subvention DETR", nil, false},
	{"marked thread, uncleared endpoint", []EndpointPolicy{{Name: "cloud"}}, "DIFFUSION RESTREINTE - visite", []string{LabelDiffusionRestreinte}, true},
	{"marked thread, cleared endpoint", []EndpointPolicy{{Name: "cloud"}, {Name: "dr", Cleared: []string{LabelDiffusionRestreinte}}}, "DIFFUSION RESTREINTE - visite", []string{LabelDiffusionRestreinte}, false},
	{"marked thread, offline engine", nil, "DIFFUSION RESTREINTE - visite", []string{LabelDiffusionRestreinte}, false},
}

func TestGateCheck(t *testing.T) {
	for _, c := range checkCases {
		t.Run(c.name, func(t *testing.T) {
			g := newTestGate(t, c.eps...)
			labels, err := g.Check(gateThread(c.subject, "Bonjour."), "summary")
			if strings.Join(labels, ",") != strings.Join(c.labels, ",") {
				t.Errorf("labels %q, want %q", labels, c.labels)
			}
			var ref *Refusal
			if got := errors.As(err, &ref); got != c.refused {
				t.Errorf("refused %v (%v), want %v", got, err, c.refused)
			}
		})
	}
	if _, err := newTestGate(t).Check(nil, "summary"); !errors.Is(err, ErrNothingToSend) {
		t.Errorf("empty thread: %v", err)
	}
}
