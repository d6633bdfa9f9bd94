package privacy

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestAuditorRecord(t *testing.T) {
	old := timeNow
	timeNow = func() time.Time { return time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CET", 3600)) }
	defer func() { timeNow = old }()
	var buf bytes.Buffer
	a := NewAuditor(&buf, []byte("sel-de-test"))
	err := a.Record(AuditRecord{
		User: "marie.dupont@rhone.gouv.fr", Task: "summary", Source: "imap",
		Markings: []string{LabelDiffusionRestreinte}, Decision: DecisionAllowed,
		Endpoint: "interne", Model: "mistral-small", TokensIn: 1200, TokensOut: 180,
		Pseudonymized: map[string]int{"name": 4, "email": 2}, HiddenDropped: 1, Outcome: "ok",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(AuditRecord{User: "marie.dupont@rhone.gouv.fr", Task: "reply", Source: "raw", Decision: DecisionRefused, Outcome: "refused_marking"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), buf.String())
	}
	if strings.Contains(buf.String(), "marie") || strings.Contains(buf.String(), "dupont") {
		t.Errorf("user identity in clear: %s", buf.String())
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatal(err)
	}
	if r["time"] != "2025-03-14T08:30:00Z" || r["task"] != "summary" || r["decision"] != "allowed" || r["tokensIn"] != 1200.0 {
		t.Errorf("record: %s", lines[0])
	}
	h := a.HashUser("marie.dupont@rhone.gouv.fr")
	if r["user"] != h || len(h) != 64 {
		t.Errorf("user hash %v, want %s", r["user"], h)
	}
	// Stable for one salt, different for another.
	if NewAuditor(nil, []byte("sel-de-test")).HashUser("marie.dupont@rhone.gouv.fr") != h ||
		NewAuditor(nil, []byte("autre")).HashUser("marie.dupont@rhone.gouv.fr") == h {
		t.Error("hash not keyed by the salt")
	}
	var nilA *Auditor
	if nilA.Record(AuditRecord{}) != nil {
		t.Error("nil auditor")
	}
}

// TestAuditRecordHasNoContentField guards the promise structurally: every
// field is a number, a bool, a time, a label list or a short enum-like
// string; adding a content-looking field fails this test.
func TestAuditRecordHasNoContentField(t *testing.T) {
	b, _ := json.Marshal(AuditRecord{})
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	allowed := map[string]bool{"time": true, "user": true, "requestId": true, "task": true, "source": true, "markings": true,
		"decision": true, "endpoint": true, "model": true, "tokensIn": true, "tokensOut": true, "pseudonymized": true,
		"hiddenDropped": true, "injections": true, "guardRemoved": true, "cached": true, "outcome": true, "durationMs": true}
	for k := range m {
		if !allowed[k] {
			t.Errorf("unexpected audit field %q: review it never carries mail content", k)
		}
	}
}
