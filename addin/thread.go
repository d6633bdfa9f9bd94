package addin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/plume-admin/plume/assist"
)

// threadBody is the request body of the thread tasks.
type threadBody struct {
	Message Ref           `json:"message"`
	Options threadOptions `json:"options"`
}

// threadOptions are the panel's choices for a summary or a reply.
type threadOptions struct {
	Language     string `json:"language"`
	Length       string `json:"length"`
	Tone         string `json:"tone"`
	Kind         string `json:"kind"`
	Instructions string `json:"instructions"`
	ReplyAll     bool   `json:"replyAll"`
	// Procedure, Missing and Incomplete are for an accusé de réception.
	Procedure  string   `json:"procedure"`
	Missing    []string `json:"missing"`
	Incomplete bool     `json:"incomplete"`
}

// threadRoutes serves /api/v1/thread.
func (s *Server) threadRoutes() chi.Router {
	r := chi.NewRouter()
	r.Use(BodyLimit(s.rawBodyLimit()))
	r.Post("/summary", s.handleSummary)
	r.Post("/reply", s.handleReply)
	r.Post("/ask", s.handleAsk)
	r.Post("/check", s.handleCheck)
	return r
}

// rawBodyLimit is the body cap of routes that accept a raw MIME reference.
func (s *Server) rawBodyLimit() int64 {
	if s.cfg.Mail.NoRaw {
		return s.cfg.Limits.MaxBodyBytes // a Message-ID or a Graph id, never a message
	}
	return s.cfg.Mail.MaxRawBytes/3*4 + s.cfg.Limits.MaxBodyBytes
}

// decodeBody reads a JSON body into v, answering the problem itself on
// failure. The body must be declared as JSON: a cross-site form or
// text/plain POST (which a browser sends without a preflight) is refused.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.fail(w, r, "unsupported_media_type", fmt.Errorf("addin: request body of type %q", mt))
		return false
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		code := "bad_request"
		if isTooLarge(err) {
			code = "too_large"
		}
		s.fail(w, r, code, err)
		return false
	}
	return true
}

// handleSummary answers POST /thread/summary.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	var body threadBody
	if !s.decodeBody(w, r, &body) || !s.ready(w, r) {
		return
	}
	o := body.Options
	s.serveTask(w, r, assist.TaskSummary, "", "", body.Message, "summary",
		func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
			return s.assistant.SummarizeThread(ctx, assist.ThreadRequest{Pass: j.pass, Language: o.Language, Length: o.Length}, cb)
		})
}

// handleReply answers POST /thread/reply.
func (s *Server) handleReply(w http.ResponseWriter, r *http.Request) {
	var body threadBody
	if !s.decodeBody(w, r, &body) || !s.ready(w, r) {
		return
	}
	o := body.Options
	s.serveTask(w, r, assist.TaskReply, "", "", body.Message, "reply",
		func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
			return s.assistant.DraftReply(ctx, assist.ReplyRequest{
				ThreadRequest: assist.ThreadRequest{Pass: j.pass, Language: o.Language, Length: o.Length},
				Tone:          o.Tone, Kind: o.Kind, Instructions: o.Instructions, ReplyAll: o.ReplyAll,
				// The caller replies and signs, never the correspondent.
				Signer:    signerOf(j.id.Caller, j.thread),
				Procedure: o.Procedure, Missing: o.Missing, Incomplete: o.Incomplete,
			}, cb)
		})
}

// ready answers model_unavailable when no assistant is configured.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) bool {
	if s.assistant == nil {
		s.fail(w, r, "model_unavailable", errors.New("addin: no assistant configured"))
		return false
	}
	return true
}
