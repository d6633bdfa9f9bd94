package addin

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

// This file turns a request's reference into an admitted request: the
// thread is read for the caller only, then handed to the privacy gate,
// which decides where it may go. Everything after that — the model, the
// restoration, the guard, the audit — happens in assist on the gate's
// Pass; this package only encodes the answer.

// Assistant is what the API asks of package assist; *assist.Assistant
// satisfies it. Every task takes the gate's Pass.
type Assistant interface {
	SummarizeThread(ctx context.Context, req assist.ThreadRequest, cb assist.Callbacks) (*assist.Summary, assist.Meta, error)
	DraftReply(ctx context.Context, req assist.ReplyRequest, cb assist.Callbacks) (*assist.Reply, assist.Meta, error)
	SummarizeDocument(ctx context.Context, req assist.DocumentRequest, cb assist.Callbacks) (*assist.DocumentSummary, assist.Meta, error)
	Actions() []assist.ActionDef
	Action(name string) (assist.ActionDef, bool)
	RunAction(ctx context.Context, name string, req assist.ThreadRequest, inputs map[string]string, cb assist.Callbacks) (*assist.ActionResult, assist.Meta, error)
	Ask(ctx context.Context, req assist.AskRequest, cb assist.Callbacks) (*assist.Answer, assist.Meta, error)
	Draft(ctx context.Context, req assist.DraftRequest, cb assist.Callbacks) (*assist.Draft, assist.Meta, error)
}

var _ Assistant = (*assist.Assistant)(nil)

// Ref names the message a request is about.
type Ref struct {
	// Source is "imap", "graph" or "raw".
	Source string `json:"source"`
	// MessageID is the Message-ID (imap).
	MessageID string `json:"messageId,omitempty"`
	// ID and ConversationID are Graph ids (graph).
	ID             string `json:"id,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
	// MIME is the whole message, base64 (raw).
	MIME string `json:"mime,omitempty"`
}

// job is one admitted request.
type job struct {
	id     Identity
	task   assist.Task
	thread *mail.Thread // as read, for the caller's own use (the signer); never sent
	pass   *privacy.Pass
}

// problemError carries a problem to the client and its cause to the log.
type problemError struct {
	p     *Problem
	cause error
}

func (e *problemError) Error() string {
	if e.cause != nil {
		return e.p.Code + ": " + e.cause.Error()
	}
	return e.p.Code
}

func (e *problemError) Unwrap() error { return e.cause }

func problemErr(code string, cause error) *problemError {
	return &problemError{p: newProblem(code), cause: cause}
}

// resolve fetches the thread named by ref, for the caller only.
func (s *Server) resolve(ctx context.Context, id Identity, ref Ref) (*mail.Thread, error) {
	switch ref.Source {
	case "imap":
		if ref.MessageID == "" {
			return nil, problemErr("bad_request", errors.New("addin: imap reference without messageId"))
		}
		if s.source == nil {
			return nil, problemErr("not_implemented", errors.New("addin: no IMAP source configured"))
		}
		t, err := s.source.Thread(ctx, id.Caller, ref.MessageID)
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		if t == nil || len(t.Messages) == 0 {
			return nil, problemErr("message_not_found", mail.ErrNotFound)
		}
		return t, nil
	case "raw":
		raw, err := s.decodeRaw(ref.MIME)
		if err != nil {
			return nil, err
		}
		m, err := mail.Parse(raw, mail.Limits{MaxSize: s.cfg.Mail.MaxRawBytes})
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		return mail.BuildThread([]*mail.Message{m}), nil
	case "graph":
		if ref.ID == "" {
			return nil, problemErr("bad_request", errors.New("addin: graph reference without id"))
		}
		if s.graph == nil {
			return nil, problemErr("not_implemented", errors.New("addin: no Microsoft Graph source configured"))
		}
		t, err := s.graph.Thread(ctx, id.Caller, ref.ID, ref.ConversationID)
		if err != nil {
			return nil, problemErr(mailCode(err), err)
		}
		if t == nil || len(t.Messages) == 0 {
			return nil, problemErr("message_not_found", mail.ErrNotFound)
		}
		return t, nil
	}
	return nil, problemErr("bad_request", fmt.Errorf("addin: unknown message source %q", ref.Source))
}

// decodeRaw decodes a base64 MIME message within the configured cap.
func (s *Server) decodeRaw(b64 string) ([]byte, error) {
	if s.cfg.Mail.NoRaw {
		return nil, problemErr("bad_request", errors.New("addin: raw references are disabled (mail.no_raw)"))
	}
	if b64 == "" {
		return nil, problemErr("bad_request", errors.New("addin: raw reference without mime"))
	}
	if int64(base64.StdEncoding.DecodedLen(len(b64))) > s.cfg.Mail.MaxRawBytes+3 {
		return nil, problemErr("too_large", mail.ErrTooLarge)
	}
	clean := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, b64)
	raw, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	}
	if err != nil {
		return nil, problemErr("bad_request", fmt.Errorf("addin: raw mime is not base64: %w", err))
	}
	if int64(len(raw)) > s.cfg.Mail.MaxRawBytes {
		return nil, problemErr("too_large", mail.ErrTooLarge)
	}
	return raw, nil
}

// prepare reads the thread of ref and admits it through the gate.
func (s *Server) prepare(ctx context.Context, task assist.Task, label, prefer string, ref Ref) (*job, error) {
	id, _ := IdentityFrom(ctx)
	t, err := s.resolve(ctx, id, ref)
	if err != nil {
		return nil, err
	}
	return s.admit(ctx, id, t, privacy.Request{Task: string(task), Label: label, Source: ref.Source, Prefer: prefer, Thread: t})
}

// admit hands a request to the gate; a refusal (audited by the gate)
// becomes its problem, with the French and English sentences.
func (s *Server) admit(ctx context.Context, id Identity, t *mail.Thread, r privacy.Request) (*job, error) {
	r.User, r.RequestID = id.User, middleware.GetReqID(ctx)
	p, err := s.gate.Admit(ctx, r)
	if err != nil {
		return nil, s.refused(err)
	}
	return &job{id: id, task: assist.Task(r.Task), thread: t, pass: p}, nil
}

// refused maps a gate error to its problem; refusals are counted.
func (s *Server) refused(err error) *problemError {
	var ref *privacy.Refusal
	if !errors.As(err, &ref) {
		if errors.Is(err, privacy.ErrNothingToSend) {
			return problemErr("bad_request", err)
		}
		return problemErr("internal", err)
	}
	p := refusalProblem(ref)
	s.metrics.refusals.WithLabelValues(p.Code).Inc()
	return &problemError{p: p, cause: err}
}

// refusalProblem is the problem of a gate refusal, with its French and
// English sentences and the marking that blocks.
func refusalProblem(ref *privacy.Refusal) *Problem {
	p := newProblem(ref.Code())
	p.Message = Bilingual{FR: ref.French(), EN: ref.English()}
	p.Marking = ref.Marking.Label
	p.Detail = p.Message.EN
	return p
}

// answerMeta is assist's Meta plus what the privacy layer did.
type answerMeta struct {
	assist.Meta
	Pseudonymized map[string]int `json:"pseudonymized"`
	Markings      []string       `json:"markings"`
	HiddenDropped int            `json:"hiddenDropped"`
	Guard         guardMeta      `json:"guard"`
}

type guardMeta struct {
	Removed int `json:"removed"`
}

func (j *job) meta(m assist.Meta) answerMeta {
	return answerMeta{Meta: m, Pseudonymized: j.pass.Counts(), Markings: j.pass.Markings(),
		HiddenDropped: j.pass.HiddenDropped(), Guard: guardMeta{j.pass.GuardRemoved()}}
}

// failErr answers err: a *problemError as is, anything else as internal.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var pe *problemError
	if !errors.As(err, &pe) {
		pe = problemErr("internal", err)
	}
	s.logProblem(r, pe.p, pe.cause)
	writeProblem(w, pe.p)
}
