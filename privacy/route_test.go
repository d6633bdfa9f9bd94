package privacy

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

// endpoints of the matrix: public has no clearance, dr is cleared for
// DIFFUSION RESTREINTE, sf for SPÉCIAL FRANCE (spelt loosely), all for "*".
var matrixEndpoints = map[string]Clearance{
	"public": {Endpoint: "public"},
	"dr":     {Endpoint: "dr", Cleared: []string{"DIFFUSION RESTREINTE"}},
	"sf":     {Endpoint: "sf", Cleared: []string{"special  france", "Diffusion Restreinte"}},
	"all":    {Endpoint: "all", Cleared: []string{"*"}},
}

// matrixMarkings are the ways a marking is written, with its label.
var matrixMarkings = []struct{ text, label string }{
	{"DIFFUSION RESTREINTE", LabelDiffusionRestreinte},
	{"Diffusion\nRestreinte", LabelDiffusionRestreinte},
	{"[DR]", LabelDiffusionRestreinte},
	{"SPÉCIAL FRANCE", LabelSpecialFrance},
	{"Special France", LabelSpecialFrance},
	{"CONFIDENTIEL PERSONNEL", LabelConfidentielPersonnel},
}

// place builds a message with the marking in one location; the attachment
// text goes through Detector.Text as the API does.
func place(d *Detector, location, marking string) []mail.Marking {
	m := &mail.Message{Subject: "Point hebdomadaire", Text: "Bonjour,\n\nVoici le point.\n\nCordialement"}
	var extra []mail.Marking
	switch location {
	case "subject":
		m.Subject = strings.ReplaceAll(marking, "\n", " ") + " Point hebdomadaire"
	case "body":
		m.Text = "Bonjour,\n\n" + marking + "\n\nVoici le point."
	case "header":
		m.Headers = map[string]string{"X-Classification": strings.Trim(strings.ReplaceAll(marking, "\n", " "), "[]")}
	case "attachment":
		extra = d.Text("attachment:note.pdf", "NOTE\n\n"+marking+"\n\nTexte de la note.")
	}
	th := &mail.Thread{Messages: []*mail.Message{{Subject: "Point", Text: "Premier message."}, m}}
	return append(d.Thread(th), extra...)
}

// TestRouteMatrix: every marking in every location, sent to every
// endpoint: a marked request goes only to a cleared endpoint, otherwise it
// is refused naming the marking; unmarked requests go anywhere.
func TestRouteMatrix(t *testing.T) {
	d, _ := NewDetector(MarkingOptions{})
	cleared := map[string]map[string]bool{
		LabelDiffusionRestreinte:   {"dr": true, "sf": true, "all": true},
		LabelSpecialFrance:         {"sf": true, "all": true},
		LabelConfidentielPersonnel: {"all": true},
	}
	cases, leaks := 0, 0
	for _, mk := range matrixMarkings {
		for _, loc := range []string{"subject", "body", "header", "attachment"} {
			for _, ep := range []string{"public", "dr", "sf", "all"} {
				cases++
				name := fmt.Sprintf("%s/%s/%s", strings.ReplaceAll(mk.text, "\n", "_"), loc, ep)
				marks := place(d, loc, mk.text)
				if len(marks) == 0 || marks[0].Label != mk.label {
					t.Errorf("%s: markings %v, want %s", name, marks, mk.label)
					continue
				}
				got, err := Route(marks, false, []Clearance{matrixEndpoints[ep]})
				if cleared[mk.label][ep] {
					if err != nil || got != ep {
						t.Errorf("%s: Route = %q, %v; want %q", name, got, err, ep)
					}
					continue
				}
				if err == nil {
					leaks++
					t.Errorf("%s: marked content routed to non-cleared %q", name, got)
					continue
				}
				var r *Refusal
				if !errors.As(err, &r) || !errors.Is(err, ErrRefused) || errors.Is(err, ErrEncrypted) {
					t.Errorf("%s: err = %v, want *Refusal matching ErrRefused", name, err)
					continue
				}
				if r.Marking.Label != mk.label || !strings.Contains(r.French(), mk.label) || !strings.Contains(r.English(), mk.label) {
					t.Errorf("%s: refusal %+v does not name %s", name, r, mk.label)
				}
			}
		}
	}
	// Unmarked: any endpoint; encrypted: none.
	for _, ep := range []string{"public", "dr", "sf", "all"} {
		cases += 2
		if got, err := Route(nil, false, []Clearance{matrixEndpoints[ep]}); err != nil || got != ep {
			t.Errorf("unmarked → %q: %q, %v", ep, got, err)
		}
		if got, err := Route(nil, true, []Clearance{matrixEndpoints[ep]}); !errors.Is(err, ErrEncrypted) || errors.Is(err, ErrRefused) || got != "" {
			leaks++
			t.Errorf("encrypted → %q: %q, %v", ep, got, err)
		}
	}
	t.Logf("%d routing cases, %d marked or encrypted requests reached a non-cleared endpoint", cases, leaks)
}

func TestRoutePreferenceAndReasons(t *testing.T) {
	marks := []mail.Marking{{Label: LabelDiffusionRestreinte, Where: "subject"}, {Label: LabelSpecialFrance, Where: "body"}}
	cands := []Clearance{matrixEndpoints["public"], matrixEndpoints["dr"], matrixEndpoints["sf"], matrixEndpoints["all"]}
	if got, err := Route(marks, false, cands); err != nil || got != "sf" {
		t.Errorf("Route = %q, %v; want sf (first cleared for both)", got, err)
	}
	if got, _ := Route(nil, false, cands); got != "public" {
		t.Errorf("unmarked Route = %q, want the first candidate", got)
	}
	// Each label cleared somewhere but never both at once: names the one
	// the preferred endpoint lacks.
	_, err := Route(marks, false, []Clearance{matrixEndpoints["dr"], {Endpoint: "x", Cleared: []string{LabelSpecialFrance}}})
	var r *Refusal
	if !errors.As(err, &r) || r.Marking.Label != LabelSpecialFrance || r.Code() != "refused_marking" {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(r.French(), "dans le corps du message") || !strings.Contains(r.English(), "in the message body") {
		t.Errorf("reasons: %q / %q", r.French(), r.English())
	}
	if _, err := Route(nil, false, nil); !errors.Is(err, ErrNoEndpoint) {
		t.Errorf("no candidates: %v", err)
	}
	_, err = Route(marks, true, cands)
	if !errors.As(err, &r) || r.Code() != "refused_encrypted" || !strings.Contains(r.French(), "chiffré") || !strings.Contains(r.English(), "encrypted") {
		t.Errorf("encrypted: %v", err)
	}
}
