package addin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/config"
)

func TestActions(t *testing.T) {
	p := newPipe(t, pipeOptions{answer: summaryEcho, assist: func(o *assist.Options) {
		o.Actions = []assist.ActionDef{{
			Name: "accuse-reception", Label: "Accusé de réception", Kind: "template",
			Text: "Bonjour,\n\nNous accusons réception de votre message « {{subject}} » du {{date}}.\n\nCordialement",
		}}
	}})
	me := decode(t, do(t, "GET", p.hs.URL+"/api/v1/me", "token-alice-0123456789", ""))
	if acts, _ := me["actions"].([]any); len(acts) != 1 || acts[0].(map[string]any)["name"] != "accuse-reception" {
		t.Fatalf("me.actions = %v", me["actions"])
	}
	resp := p.post(t, "/api/v1/actions/accuse-reception", map[string]any{"message": rawRef(mimeMessage("Dossier DETR", piiBody))})
	out := decode(t, resp)
	res, _ := out["result"].(map[string]any)
	if resp.StatusCode != 200 || !strings.Contains(res["text"].(string), "Dossier DETR") {
		t.Fatalf("action: %d %v", resp.StatusCode, out)
	}
	if a := p.audit.String(); !strings.Contains(a, `"task":"action:accuse-reception"`) {
		t.Errorf("audit = %s", a)
	}
	wantProblem(t, p.post(t, "/api/v1/actions/inconnue", map[string]any{"message": rawRef(mimeMessage("x", "y"))}), http.StatusNotFound, "unknown_action")
}

// TestMeBannerSummary: panel.banner_summary reaches the clients in
// GET /api/v1/me (features.bannerSummary), on request by default.
func TestMeBannerSummary(t *testing.T) {
	for _, tt := range []struct{ set, want string }{
		{"", config.BannerOnRequest},
		{config.BannerOnRequest, config.BannerOnRequest},
		{config.BannerAutomatic, config.BannerAutomatic},
	} {
		p := newPipe(t, pipeOptions{answer: summaryEcho, config: func(c *config.Config) { c.Panel.BannerSummary = tt.set }})
		me := decode(t, do(t, "GET", p.hs.URL+"/api/v1/me", "token-alice-0123456789", ""))
		if f, _ := me["features"].(map[string]any); f["bannerSummary"] != tt.want {
			t.Errorf("panel.banner_summary %q: me.features = %v, want bannerSummary %q", tt.set, f, tt.want)
		}
	}
}
