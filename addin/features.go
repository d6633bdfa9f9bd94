package addin

import "github.com/plume-admin/plume/mail"

// hasAssistant reports whether the thread tasks are served.
func (s *Server) hasAssistant() bool { return false }

// attachmentsEnabled reports whether attachment summaries are served.
func (s *Server) attachmentsEnabled() bool { return false }

// actionList is the actions offered to the panel.
func (s *Server) actionList() []any { return []any{} }

// markingLabels returns the unique marking labels of m.
func (s *Server) markingLabels(m *mail.Message) []string {
	labels := []string{}
	seen := map[string]bool{}
	for _, mk := range m.Markings {
		if !seen[mk.Label] {
			seen[mk.Label] = true
			labels = append(labels, mk.Label)
		}
	}
	return labels
}
