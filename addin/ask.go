package addin

import (
	"context"
	"net/http"

	"github.com/plume-admin/plume/assist"
)

// askBody is the request body of POST /thread/ask.
type askBody struct {
	Message  Ref           `json:"message"`
	Question string        `json:"question"`
	Options  threadOptions `json:"options"`
}

// handleAsk answers POST /thread/ask: a question on the thread, answered
// from it only, with citations.
func (s *Server) handleAsk(w http.ResponseWriter, r *http.Request) {
	var body askBody
	if !s.decodeBody(w, r, &body) || !s.ready(w, r) {
		return
	}
	s.serveTask(w, r, assist.TaskAsk, "", "", body.Message, "answer",
		func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
			return s.assistant.Ask(ctx, assist.AskRequest{Pass: j.pass, Language: body.Options.Language, Question: body.Question}, cb)
		})
}
