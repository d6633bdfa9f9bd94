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
	known := false
	for _, a := range s.assistant.Actions() {
		known = known || a.Name == name
	}
	if !known {
		s.fail(w, r, "unknown_action", nil)
		return
	}
	s.serveTask(w, r, assist.TaskAction, "action:"+name, body.Message, "result",
		func(ctx context.Context, j *job, cb assist.Callbacks) (mapper, assist.Meta, error) {
			inputs := map[string]string{}
			for k, v := range body.Inputs {
				if j.session != nil {
					v = j.session.Text(v)
				}
				inputs[k] = v
			}
			return s.assistant.RunAction(ctx, name, assist.ThreadRequest{
				Thread: j.safe, Endpoint: j.endpoint, Language: body.Options.Language, Length: body.Options.Length,
			}, inputs, cb)
		})
}
