package addin

import (
	"errors"
	"net/http"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/privacy"
)

// checkedTasks are the tasks POST /thread/check answers for: what the panel
// offers on a displayed message.
var checkedTasks = []assist.Task{assist.TaskSummary, assist.TaskReply, assist.TaskAction, assist.TaskDocument, assist.TaskDraft, assist.TaskAsk}

// checkAnswer is the body of POST /thread/check: the message's protection
// markings and, per task, the refusal the gate would answer (absent when the
// task may run).
type checkAnswer struct {
	Markings []string            `json:"markings"`
	Refused  map[string]*Problem `json:"refused"`
}

// handleCheck answers POST /thread/check: the gate's decision for the
// thread of a message, before any request. Nothing is sent to a model and
// nothing is audited; the panel uses it to flag a marked message and disable
// the actions no cleared endpoint can serve. Each task request still goes
// through the gate.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	var body threadBody
	if !s.decodeBody(w, r, &body) {
		return
	}
	id, _ := IdentityFrom(r.Context())
	t, err := s.resolve(r.Context(), id, body.Message)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ans := checkAnswer{Markings: []string{}, Refused: map[string]*Problem{}}
	for _, task := range checkedTasks {
		labels, err := s.gate.Check(t, string(task))
		if labels != nil {
			ans.Markings = labels
		}
		var ref *privacy.Refusal
		switch {
		case errors.As(err, &ref):
			ans.Refused[string(task)] = refusalProblem(ref)
		case err != nil:
			s.failErr(w, r, problemErr("internal", err))
			return
		}
	}
	writeJSON(w, http.StatusOK, ans)
}
