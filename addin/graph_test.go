package addin

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/graph/graphtest"
)

// TestGraphSource: a Graph reference is read on behalf of the caller, from
// the caller's own mailbox only, through the whole pipeline.
func TestGraphSource(t *testing.T) {
	fg := graphtest.New()
	t.Cleanup(fg.Close)
	fg.AddUser("alice@example.gouv.fr", "token-alice-0123456789")
	fg.AddUser("bob@example.gouv.fr", "token-bob-0123456789ab")
	aliceID, err := fg.AddMessage("alice@example.gouv.fr", []byte(strings.ReplaceAll(mimeMessage("Dossier DETR", piiBody), "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	bobRaw := strings.ReplaceAll(strings.Replace(mimeMessage("Privé", "Contenu réservé à bob."), "<t1@", "<bob1@", 1), "\n", "\r\n")
	bobID, err := fg.AddMessage("bob@example.gouv.fr", []byte(bobRaw))
	if err != nil {
		t.Fatal(err)
	}
	src, err := graph.New(graph.Options{BaseURL: fg.GraphURL(), Authority: fg.URL, TenantID: "organizations", ClientID: fg.ClientID, ClientSecret: fg.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	p := newPipe(t, pipeOptions{answer: summaryEcho, graph: src})
	resp := p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "graph", "id": aliceID, "conversationId": graphtest.ConversationID("<t1@mairie-exemple.fr>")}})
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("graph summary: %d %s", resp.StatusCode, b)
	}
	if s := decode(t, resp)["summary"].(map[string]any)["summary"].(string); !strings.Contains(s, "06 12 34 56 78") {
		t.Errorf("summary not restored: %q", s)
	}
	if strings.Contains(p.prompts("cloud"), "06 12 34 56 78") {
		t.Error("the model received the phone number in clear")
	}
	// Bob's message id on alice's token: Graph's /me is alice's mailbox.
	resp = p.post(t, "/api/v1/thread/summary", map[string]any{"message": map[string]any{"source": "graph", "id": bobID}})
	wantProblem(t, resp, http.StatusNotFound, "message_not_found")
	if strings.Contains(p.prompts("cloud"), "réservé à bob") {
		t.Fatal("bob's mail reached the model")
	}
}
