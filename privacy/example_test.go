package privacy_test

import (
	"errors"
	"fmt"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

func Example() {
	thread := &mail.Thread{Messages: []*mail.Message{{
		From:    []mail.Address{{Name: "DUPONT Marie", Address: "marie.dupont@rhone.gouv.fr"}},
		Subject: "Dossier de Mme Moreau",
		Text:    "Bonjour,\nMme Moreau rappellera au 06 12 34 56 78.\nMarie Dupont",
	}}}

	det, _ := privacy.NewDetector(privacy.MarkingOptions{})
	endpoint, err := privacy.Route(det.Thread(thread), false, []privacy.Clearance{{Endpoint: "albert"}})
	fmt.Println(endpoint, err)

	s := privacy.NewPseudonymizer(privacy.PIIOptions{}).Session()
	safe := s.Thread(thread)
	fmt.Println(safe.Messages[0].Text)

	answer := "[PERSONNE_2] rappellera [PERSONNE_1_B] au [TELEPHONE_1]. Voir [EMAIL_9]."
	restored := s.Restore(answer)
	guarded, report := privacy.GuardOutput(restored, privacy.SourcesOf(thread)...)
	fmt.Println(guarded, report.Removed)
	// Output:
	// albert <nil>
	// Bonjour,
	// Mme [PERSONNE_2] rappellera au [TELEPHONE_1].
	// [PERSONNE_1_B]
	// Moreau rappellera Marie Dupont au 06 12 34 56 78. Voir [donnée masquée]. 0
}

func ExampleRoute() {
	marks := []mail.Marking{{Label: privacy.LabelDiffusionRestreinte, Where: "subject"}}
	_, err := privacy.Route(marks, false, []privacy.Clearance{{Endpoint: "cloud"}})
	var r *privacy.Refusal
	if errors.Is(err, privacy.ErrRefused) && errors.As(err, &r) {
		fmt.Println(r.Code())
		fmt.Println(r.English())
	}
	// Output:
	// refused_marking
	// This message is marked "DIFFUSION RESTREINTE" (in the subject). No available model is cleared for this marking: the request was not sent.
}
