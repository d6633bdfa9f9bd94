package mail_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/mailtest"
)

// TestChainSplitQuality parses 20-message reply chains as Outlook and
// Thunderbird write them and checks what the assistant relies on: every
// sentence a message adds is in its New text, no earlier sentence is, and
// the New texts of the thread are a small share of the full texts.
func TestChainSplitQuality(t *testing.T) {
	for _, style := range []mailtest.Style{mailtest.Outlook, mailtest.Thunderbird} {
		t.Run(string(style), func(t *testing.T) {
			chain := mailtest.Chain(style, 20)
			var newWords, fullWords int
			var msgs []*mail.Message
			for i, g := range chain {
				m, err := mail.Parse(g.Raw, mail.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				msgs = append(msgs, m)
				for _, s := range g.Own {
					if !strings.Contains(m.New, s) {
						t.Errorf("message %d: own sentence %q missing from New:\n%s", i, s, m.New)
					}
				}
				for j := 0; j < i; j++ {
					for _, s := range chain[j].Own {
						if strings.Contains(m.New, s) {
							t.Errorf("message %d: sentence of message %d left in New: %q", i, j, s)
						}
					}
				}
				if !strings.Contains(m.Signature, "Tél. : 04 72 61 60 60") {
					t.Errorf("message %d: signature not recognised: %q", i, m.Signature)
				}
				newWords += len(strings.Fields(m.New))
				fullWords += len(strings.Fields(m.Text))
			}
			ratio := float64(newWords) / float64(fullWords)
			t.Logf("%s: New is %.1f%% of the full text (%d / %d words)", style, 100*ratio, newWords, fullWords)
			if ratio > 0.35 {
				t.Errorf("New texts are %.0f%% of the full texts, want ≤ 35%%", 100*ratio)
			}
			th := mail.BuildThread(msgs)
			for i, m := range th.Messages {
				if want := fmt.Sprintf("chain-%s-%03d@", style, i); !strings.HasPrefix(m.MessageID, want) {
					t.Fatalf("thread order: message %d is %s", i, m.MessageID)
				}
			}
		})
	}
}
