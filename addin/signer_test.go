package addin

import (
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

var signerThread = &mail.Thread{Messages: []*mail.Message{
	{From: []mail.Address{{Name: "Julien Caron", Address: "julien.caron@somme.gouv.example"}}, To: []mail.Address{{Name: "Amina Benali", Address: "amina.benali@courriel.example"}}},
	{From: []mail.Address{{Name: "Amina Benali", Address: "amina.benali@courriel.example"}}, To: []mail.Address{{Address: "julien.caron@somme.gouv.example"}}},
}}

var signerCases = []struct {
	name   string
	caller mail.Caller
	want   mail.Address
}{
	{"name from the thread", mail.Caller{User: "jcaron", Email: "Julien.Caron@somme.gouv.example"}, mail.Address{Name: "Julien Caron", Address: "Julien.Caron@somme.gouv.example"}},
	{"address only", mail.Caller{User: "x", Email: "autre@somme.gouv.example"}, mail.Address{Address: "autre@somme.gouv.example"}},
	{"no address: assist infers", mail.Caller{User: "agent"}, mail.Address{}},
}

func TestSignerOf(t *testing.T) {
	for _, c := range signerCases {
		t.Run(c.name, func(t *testing.T) {
			if got := signerOf(c.caller, signerThread); got != c.want {
				t.Errorf("signerOf = %+v, want %+v", got, c.want)
			}
		})
	}
}

// The signer given to assist is pseudonymised like the thread it reads,
// so assist can tell which messages are the signer's own.
func TestSignerPseudonymisedLikeThread(t *testing.T) {
	s := privacy.NewPseudonymizer(privacy.PIIOptions{}).Session()
	s.LearnThread(signerThread)
	safe := s.Thread(signerThread)
	sig := signerOf(mail.Caller{Email: "julien.caron@somme.gouv.example"}, signerThread)
	name, addr := s.Text(sig.Name), s.Text(sig.Address)
	if got := safe.Messages[0].From[0]; got.Address != addr || got.Name != name {
		t.Errorf("signer %q <%s>, thread has %+v", name, addr, got)
	}
	if name == sig.Name || addr == sig.Address {
		t.Errorf("signer sent in clear: %q <%s>", name, addr)
	}
}
