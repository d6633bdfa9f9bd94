package addin

import (
	"net/http"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/privacy"
)

// meModel describes one model endpoint to the panel.
type meModel struct {
	Name    string   `json:"name"`
	Model   string   `json:"model"`
	Cleared []string `json:"cleared"`
}

// handleMe answers who the caller is and what this server offers.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	id, _ := IdentityFrom(r.Context())
	models := []meModel{}
	for _, e := range s.cfg.LLM.Endpoints {
		cleared := e.Cleared
		if cleared == nil {
			cleared = []string{}
		}
		models = append(models, meModel{Name: e.Name, Model: e.Model, Cleared: cleared})
	}
	if len(models) == 0 && s.assistant != nil {
		// The in-process offline engine: nothing leaves the server.
		models = append(models, meModel{Name: privacy.OfflineEndpoint, Model: "offline-extractive", Cleared: []string{"*"}})
	}
	_, canList := s.source.(RecentSource)
	sources := []string{}
	if !s.cfg.Mail.NoRaw {
		sources = append(sources, "raw")
	}
	if s.source != nil {
		sources = append(sources, "imap")
	}
	if s.graph != nil {
		sources = append(sources, "graph")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"user": id.User,
		"demo": id.Demo,
		"features": map[string]any{
			"threadSummary":     s.hasAssistant(),
			"reply":             s.hasAssistant(),
			"attachmentSummary": s.attachmentsEnabled(),
			"actions":           s.hasAssistant(),
			"threads":           canList,
			"sources":           sources,
			"offline":           len(s.cfg.LLM.Endpoints) == 0,
			// When the Thunderbird banner summarises: "on_request" or "automatic".
			"bannerSummary": bannerSummary(s.cfg.Panel.BannerSummary),
		},
		"models": models,
		"limits": map[string]any{
			"requestsPerMinute": s.cfg.Limits.RequestsPerMinute,
			"maxRawBytes":       s.cfg.Mail.MaxRawBytes,
			"maxUploadBytes":    s.cfg.Limits.MaxUploadBytes,
		},
		"actions":  s.actionList(),
		"language": "fr",
	})
}

// bannerSummary is panel.banner_summary as the clients read it: anything
// but "automatic" (a configuration without defaults applied) is on request.
func bannerSummary(v string) string {
	if v == config.BannerAutomatic {
		return v
	}
	return config.BannerOnRequest
}
