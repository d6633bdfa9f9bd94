package addin

import (
	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail"
)

// hasAssistant reports whether the thread tasks are served.
func (s *Server) hasAssistant() bool { return s.assistant != nil }

// attachmentsEnabled reports whether attachment summaries are served.
func (s *Server) attachmentsEnabled() bool { return s.assistant != nil }

// actionList is the actions offered to the panel.
func (s *Server) actionList() []assist.ActionDef {
	if s.assistant == nil {
		return []assist.ActionDef{}
	}
	return append([]assist.ActionDef{}, s.assistant.Actions()...)
}

// markingLabels returns the unique marking labels of m, as the gate sees them.
func (s *Server) markingLabels(m *mail.Message) []string {
	return s.gate.Scan(&mail.Thread{Messages: []*mail.Message{m}}, nil).Labels()
}
