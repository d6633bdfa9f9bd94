package privacy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
)

// benchParagraphs are ordinary administrative French with a little PII.
var benchParagraphs = []string{
	"Suite à notre échange téléphonique de ce matin, je vous confirme que la commission départementale se réunira le 14 mars à 10 heures en salle Rhône. L'ordre du jour comprend l'examen des dossiers de subvention, le point budgétaire et les questions diverses.",
	"Madame Moreau m'a transmis les pièces justificatives manquantes. Le dossier est désormais complet et peut être instruit par le bureau des usagers dans les délais réglementaires.",
	"Pouvez-vous rappeler l'usager au %s afin de fixer un rendez-vous ? Il souhaite déposer sa demande en personne au guichet de la sous-préfecture.",
	"Les coordonnées bancaires communiquées par le prestataire (IBAN %s) ont été vérifiées par le service comptable.",
	"Je vous remercie de bien vouloir transmettre votre réponse à %s avant la fin de la semaine, afin que nous puissions préparer la note au préfet.",
	"Conformément à l'article L. 123-4 du code des relations entre le public et l'administration, l'accusé de réception mentionne le délai au terme duquel la demande est réputée acceptée.",
	"L'entreprise, immatriculée sous le SIRET %s, a déposé une offre dans le cadre de la consultation relative à l'entretien des espaces verts.",
	"Le courrier a été adressé au 18 avenue du Général de Gaulle, 69003 Lyon, ainsi qu'à l'adresse électronique indiquée dans le formulaire.",
}

// benchThread builds a thread of about words words.
func benchThread(words int) *mail.Thread {
	r := rand.New(rand.NewPCG(9, 9))
	var msgs []*mail.Message
	count := 0
	for i := 0; count < words; i++ {
		var b strings.Builder
		b.WriteString("Bonjour Jean,\n\n")
		for p := 0; p < 6; p++ {
			par := benchParagraphs[r.IntN(len(benchParagraphs))]
			if strings.Contains(par, "%s") {
				var v string
				switch {
				case strings.Contains(par, "IBAN"):
					v = group4(genIBAN(r, "FR"), " ")
				case strings.Contains(par, "SIRET"):
					v = formatSIRET(r, genSIRET(r))
				case strings.Contains(par, "adresse") || strings.Contains(par, "réponse"):
					v = fmt.Sprintf("agent%d@rhone.gouv.fr", r.IntN(50))
				default:
					v = fmt.Sprintf("0%d %02d %02d %02d %02d", 1+r.IntN(7), r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
				}
				par = fmt.Sprintf(par, v)
			}
			b.WriteString(par)
			b.WriteString("\n\n")
		}
		b.WriteString("Cordialement,\nMarie Dupont\nCheffe du bureau des usagers")
		text := b.String()
		count += len(strings.Fields(text))
		msgs = append(msgs, &mail.Message{
			From:    []mail.Address{{Name: "DUPONT Marie", Address: "marie.dupont@rhone.gouv.fr"}},
			To:      []mail.Address{{Name: "Jean Martin", Address: "jean.martin@rhone.gouv.fr"}},
			Subject: "RE: Dossier Moreau",
			Text:    text,
		})
	}
	return &mail.Thread{Messages: msgs}
}

// BenchmarkPseudonymizeThread10k is the cost of pseudonymising a
// 10,000-word thread (learning names, detecting, replacing every field).
func BenchmarkPseudonymizeThread10k(b *testing.B) {
	th := benchThread(10000)
	p := NewPseudonymizer(PIIOptions{})
	b.ReportAllocs()
	for b.Loop() {
		s := p.Session()
		s.Thread(th)
	}
}

// BenchmarkRestore10k restores a 10,000-word pseudonymised text.
func BenchmarkRestore10k(b *testing.B) {
	th := benchThread(10000)
	s := NewPseudonymizer(PIIOptions{}).Session()
	out := s.Thread(th)
	var all strings.Builder
	for _, m := range out.Messages {
		all.WriteString(m.Text)
	}
	text := all.String()
	b.ReportAllocs()
	for b.Loop() {
		s.Restore(text)
	}
}

// BenchmarkDetectorThread10k is the cost of looking for markings in a
// 10,000-word thread.
func BenchmarkDetectorThread10k(b *testing.B) {
	th := benchThread(10000)
	d, _ := NewDetector(MarkingOptions{})
	b.ReportAllocs()
	for b.Loop() {
		d.Thread(th)
	}
}

// BenchmarkGuard10k guards a 10,000-word answer against its sources.
func BenchmarkGuard10k(b *testing.B) {
	th := benchThread(10000)
	src := SourcesOf(th)
	answer := strings.Join(src, "\n") + "\nVoir https://evil.example/x et appeler le 07 00 00 00 01."
	b.ReportAllocs()
	for b.Loop() {
		GuardOutput(answer, src...)
	}
}

// guardPieces cuts a 10,000-word answer in pieces of about 40 words, the
// way addin guards streamed tokens.
func guardPieces() ([]string, []string) {
	src := SourcesOf(benchThread(10000))
	words := strings.Fields(strings.Join(src, "\n"))[:2000]
	var pieces []string
	for i := 0; i < len(words); i += 40 {
		pieces = append(pieces, strings.Join(words[i:min(i+40, len(words))], " "))
	}
	return pieces, src
}

// BenchmarkGuardPiecesOutput guards 50 pieces of an answer against a
// 10,000-word thread, re-reading the sources for each (GuardOutput).
func BenchmarkGuardPiecesOutput(b *testing.B) {
	pieces, src := guardPieces()
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pieces {
			GuardOutput(p, src...)
		}
	}
}

// BenchmarkGuardPiecesReused guards the same pieces with one Guard built
// once per answer (NewGuard + Apply).
func BenchmarkGuardPiecesReused(b *testing.B) {
	pieces, src := guardPieces()
	b.ReportAllocs()
	for b.Loop() {
		g := NewGuard(src...)
		for _, p := range pieces {
			g.Apply(p)
		}
	}
}

// BenchmarkAdmitAndSeal10k is what the gate adds to a request: scanning a
// 10,000-word thread (markings, encryption, injections), routing,
// pseudonymising it, and sealing a prompt of the same text (which looks
// for markings once more).
func BenchmarkAdmitAndSeal10k(b *testing.B) {
	th, all := benchThread(10000), benchText(10000)
	g, err := NewGate(GateOptions{Endpoints: []EndpointPolicy{{Name: "cloud"}}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := g.Admit(b.Context(), Request{Task: "summary", Thread: th})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Seal(Message{Role: RoleUser, Text: all}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeal10k is Seal's last marking check alone.
func BenchmarkSeal10k(b *testing.B) {
	g, _ := NewGate(GateOptions{Endpoints: []EndpointPolicy{{Name: "cloud"}}})
	p, err := g.Admit(b.Context(), Request{Task: "summary", Thread: benchThread(10000)})
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Seal(Message{Role: RoleUser, Text: text}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchText is the text of benchThread(words), joined.
func benchText(words int) string {
	var all strings.Builder
	for _, m := range benchThread(words).Messages {
		all.WriteString(m.Text)
	}
	return all.String()
}
