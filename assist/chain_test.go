package assist

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plume-admin/plume/mail"
)

// Reply chains as mail clients write them: every message adds a few
// sentences above the whole history, quoted the Outlook way (a header
// block, no markers) or the Thunderbird way (an attribution line and "> ").

var chainPeople = []mail.Address{
	addr("Claire Martin", "claire.martin@mairie-exemple.fr"),
	addr("Paul Bernard", "paul.bernard@prefecture.gouv.fr"),
	addr("Sophie Leroy", "sophie.leroy@ddt.gouv.fr"),
}

var chainSentences = []string{
	"La commission d'instruction du dossier n° 2024-%03d se réunira prochainement.",
	"Le montant prévisionnel des travaux s'élève à %d 000 euros hors taxes.",
	"Nous avons bien reçu la délibération numéro %d du conseil municipal.",
	"Le plan de financement révisé prévoit une part communale de %d pour cent.",
	"Merci de transmettre l'attestation de non-commencement des travaux avant le %d juillet.",
	"Le service instructeur a relevé %d pièces manquantes dans le dossier.",
	"La visite sur site est envisagée la semaine %d du calendrier.",
	"Le devis de l'entreprise retenue est valable %d jours.",
	"Pourriez-vous préciser le calendrier des travaux pour la tranche %d ?",
	"Le comité de pilotage a validé la variante numéro %d du projet.",
	"Une subvention complémentaire de %d 000 euros pourrait être sollicitée auprès du département.",
	"Le bureau des finances locales reviendra vers vous sous %d jours.",
}

type chainMsg struct {
	raw       []byte
	body      string   // as received: new text, signature, history
	sentences []string // the unique sentences this message adds
}

// genChain returns n raw messages; style is "outlook" or "thunderbird".
func genChain(n int, style string) []chainMsg {
	base := time.Date(2024, 6, 3, 9, 0, 0, 0, paris)
	var out []chainMsg
	history := ""
	var prevIDs []string
	for i := 0; i < n; i++ {
		from := chainPeople[i%len(chainPeople)]
		to := chainPeople[(i+1)%len(chainPeople)]
		date := base.Add(time.Duration(i) * 26 * time.Hour)
		var ss []string
		for k := 0; k < 3; k++ {
			tmpl := chainSentences[(i*3+k)%len(chainSentences)]
			ss = append(ss, fmt.Sprintf(tmpl, 10+i*7+k))
		}
		greet := []string{"Bonjour,", "Madame,", "Monsieur,"}[i%3]
		newText := greet + "\n\n" + ss[0] + " " + ss[1] + "\n\n" + ss[2] + "\n\nCordialement,"
		sig := "-- \n" + from.Name + "\nBureau des finances locales\nPréfecture de l'Exemple\nTél. 01 23 45 67 " + fmt.Sprintf("%02d", i%100)
		own := newText + "\n" + sig
		body := own
		if history != "" {
			switch style {
			case "outlook":
				prev := out[len(out)-1]
				body = own + "\n\n-----Message d'origine-----\nDe : " + chainPeople[(i-1)%len(chainPeople)].String() +
					"\nEnvoyé : " + date.Add(-26*time.Hour).Format("02/01/2006 15:04") +
					"\nÀ : " + from.String() + "\nObjet : RE: Subvention DETR école primaire\n\n" + prev.body
			default:
				prevFrom := chainPeople[(i-1)%len(chainPeople)]
				var q []string
				for _, l := range strings.Split(history, "\n") {
					if l == "" {
						q = append(q, ">")
					} else {
						q = append(q, "> "+l)
					}
				}
				body = own + "\n\nLe " + date.Add(-26*time.Hour).Format("02/01/2006 à 15:04") + ", " + prevFrom.Name + " a écrit :\n" + strings.Join(q, "\n")
				// Thunderbird replies below? Agents mostly top-post: keep it.
			}
		}
		history = body
		id := fmt.Sprintf("<chain-%s-%d@exemple.fr>", style, i)
		subj := "Subvention DETR école primaire"
		if i > 0 {
			subj = "RE: " + subj
		}
		var hb strings.Builder
		fmt.Fprintf(&hb, "From: %s\r\nTo: %s\r\nDate: %s\r\nSubject: %s\r\nMessage-ID: %s\r\n", from.String(), to.String(), date.Format(time.RFC1123Z), subj, id)
		if len(prevIDs) > 0 {
			fmt.Fprintf(&hb, "In-Reply-To: %s\r\nReferences: %s\r\n", prevIDs[len(prevIDs)-1], strings.Join(prevIDs, " "))
		}
		hb.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		hb.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
		prevIDs = append(prevIDs, id)
		out = append(out, chainMsg{raw: []byte(hb.String()), body: body, sentences: ss})
	}
	return out
}

// parseChain parses the raw messages with package mail and threads them.
func parseChain(t testing.TB, msgs []chainMsg) *mail.Thread {
	t.Helper()
	var parsed []*mail.Message
	for _, m := range msgs {
		pm, err := mail.Parse(m.raw, mail.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, pm)
	}
	return mail.BuildThread(parsed)
}

// naivePrompt pastes every body as received, as client-side tools do.
func naivePrompt(msgs []chainMsg) string {
	var sb strings.Builder
	for _, m := range msgs {
		sb.WriteString(m.body)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

func chainRatio(t testing.TB, style string) (ours, naive int, data string, msgs []chainMsg) {
	msgs = genChain(20, style)
	th := parseChain(t, msgs)
	as := assembleThread(th, "fr", boundary, 1<<20)
	return CountTokens(as.data), CountTokens(naivePrompt(msgs)), as.data, msgs
}

func TestReplyChainContext(t *testing.T) {
	for _, style := range []string{"outlook", "thunderbird"} {
		t.Run(style, func(t *testing.T) {
			ours, naive, data, msgs := chainRatio(t, style)
			flat := strings.Join(strings.Fields(data), " ")
			for i, m := range msgs {
				for _, s := range m.sentences {
					if !strings.Contains(flat, s) {
						t.Errorf("message %d: sentence missing from the prompt: %q", i+1, s)
					}
				}
			}
			ratio := float64(ours) / float64(naive)
			t.Logf("%s: %d prompt tokens vs %d naive (%.1f%%)", style, ours, naive, 100*ratio)
			if ratio > 0.35 {
				t.Errorf("context is %.1f%% of the naive prompt, target ≤ 35%%", 100*ratio)
			}
		})
	}
}

// BenchmarkReplyChainPrompt reports prompt tokens for a 20-message French
// reply chain against the naive prompt:
//
//	go test ./assist -run '^$' -bench ReplyChainPrompt
func BenchmarkReplyChainPrompt(b *testing.B) {
	for _, style := range []string{"outlook", "thunderbird"} {
		b.Run(style, func(b *testing.B) {
			msgs := genChain(20, style)
			var ours int
			for b.Loop() {
				th := parseChain(b, msgs)
				ours = CountTokens(assembleThread(th, "fr", boundary, 1<<20).data)
			}
			naive := CountTokens(naivePrompt(msgs))
			b.ReportMetric(float64(ours), "tokens")
			b.ReportMetric(float64(naive), "naive-tokens")
			b.ReportMetric(100*float64(ours)/float64(naive), "%-of-naive")
		})
	}
}
