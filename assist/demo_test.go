package assist

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/demo"
)

// demoThreads parses the demo messages and builds one thread per demo
// thread, as the IMAP source does when it finds every message.
func demoThreads(t *testing.T) map[string]*mail.Thread {
	t.Helper()
	byKey := map[string][]*mail.Message{}
	var order []string
	for _, it := range demo.Messages() {
		m, err := mail.Parse(it.Raw, mail.Limits{})
		if err != nil {
			t.Fatalf("parse %s: %v", it.MessageID, err)
		}
		key := strings.TrimPrefix(it.MessageID, "<")
		key = key[:strings.LastIndex(key, "-")]
		if _, ok := byKey[key]; !ok {
			order = append(order, key)
		}
		byKey[key] = append(byKey[key], m)
	}
	if len(order) != len(demo.Threads()) {
		t.Fatalf("%d demo threads grouped, want %d", len(order), len(demo.Threads()))
	}
	out := map[string]*mail.Thread{}
	for _, k := range order {
		out[k] = mail.BuildThread(byKey[k])
		if got := len(out[k].Messages); got != len(byKey[k]) {
			t.Fatalf("%s: thread of %d messages, want %d", k, got, len(byKey[k]))
		}
	}
	return out
}

// quoteJunkRE finds what must never come out of the offline engine: quote
// header fields, rules and our own labels.
var quoteJunkRE = regexp.MustCompile(`(?i)(^|[\s"])(envoyé|de|objet|sent|from|subject)\s:|_{5,}|-{5,}|\[historique|\[contenu transféré|absent du fil`)

func TestDemoThreadsPromptAndOfflineSummary(t *testing.T) {
	a, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for key, th := range demoThreads(t) {
		t.Run(key, func(t *testing.T) {
			as := assembleThread(th, "fr", boundary, 1<<20)
			if strings.Contains(as.data, "absent du fil") {
				t.Errorf("complete thread cites history as absent:\n%s", as.data)
			}
			s, _, err := a.SummarizeThread(context.Background(), ThreadRequest{Pass: admit(t, a, th), Length: "detailed"}, Callbacks{})
			if err != nil {
				t.Fatal(err)
			}
			// The summary opens with its own bracketed notice; what follows
			// is taken from the messages.
			body := s.Summary[strings.Index(s.Summary, "]")+1:]
			for _, txt := range append([]string{body}, s.KeyPoints...) {
				if m := quoteJunkRE.FindString(txt); m != "" {
					t.Errorf("offline summary picked quote material %q in %q", m, txt)
				}
			}
			if len(s.KeyPoints) == 0 {
				t.Errorf("no key points")
			}
		})
	}
}
