package addin

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/plume-admin/plume/assist"
)

// actionBody is the request body of POST /actions/{name}.
type actionBody struct {
	Message Ref               `json:"message"`
	Inputs  map[string]string `json:"inputs"`
	Options threadOptions     `json:"options"`
}

// actionRoutes serves /api/v1/actions.
func (s *Server) actionRoutes() chi.Router {
	r := chi.NewRouter()
	r.Use(BodyLimit(s.rawBodyLimit()))
	r.Post("/{name}", s.handleAction)
	return r
}

// handleAction runs one of the organisation's named actions on a thread.
func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	var body actionBody
	if !s.decodeBody(w, r, &body) || !s.ready(w, r) {
		return
	}
	def, known := s.assistant.Action(name)
	if !known {
		s.fail(w, r, "unknown_action", nil)
		return
	}
	s.serveTask(w, r, assist.TaskAction, "action:"+name, def.Endpoint, body.Message, "result",
		func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
			return s.assistant.RunAction(ctx, name, assist.ThreadRequest{
				Pass: j.pass, Language: body.Options.Language, Length: body.Options.Length,
			}, body.Inputs, cb)
		})
}
