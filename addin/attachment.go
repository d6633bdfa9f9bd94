package addin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/plume-admin/plume/assist"
	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/extract"
	"github.com/plume-admin/plume/privacy"
)

// attachmentBody is the JSON request body of POST /attachment/summary.
type attachmentBody struct {
	Message    *Ref          `json:"message"`
	Attachment attachmentRef `json:"attachment"`
	Options    threadOptions `json:"options"`
}

// attachmentRef names one attachment of the referenced message.
type attachmentRef struct {
	PartPath string `json:"partPath"`
	ID       string `json:"id"`
}

// attachmentRoutes serves /api/v1/attachment.
func (s *Server) attachmentRoutes() chi.Router {
	r := chi.NewRouter()
	// An upload may carry its message as raw MIME (Thunderbird raw mode) next to the file.
	r.Use(BodyLimit(s.rawBodyLimit() + s.cfg.Limits.MaxUploadBytes))
	r.Post("/summary", s.handleAttachmentSummary)
	return r
}

// handleAttachmentSummary summarises one attachment, read from the
// caller's mailbox, from the raw MIME, or uploaded (multipart "file").
func (s *Server) handleAttachmentSummary(w http.ResponseWriter, r *http.Request) {
	var body attachmentBody
	var upload []byte
	var uploadName, uploadType string
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		var err error
		body, upload, uploadName, uploadType, err = s.readUpload(r)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
	} else if !s.decodeBody(w, r, &body) {
		return
	}
	if !s.ready(w, r) {
		return
	}
	j, err := s.prepareDocument(r.Context(), body, upload, uploadName, uploadType)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	o := body.Options
	s.serveJob(w, r, j, "document", func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
		return s.assistant.SummarizeDocument(ctx, assist.DocumentRequest{Pass: j.pass, Language: o.Language, Length: o.Length}, cb)
	})
}

// readUpload reads a multipart request: "file", and optional "message" and "options" JSON parts.
func (s *Server) readUpload(r *http.Request) (body attachmentBody, data []byte, name, mediaType string, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return body, nil, "", "", problemErr("bad_request", err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body, nil, "", "", problemErr(tooLargeOr(err, "bad_request"), err)
		}
		switch p.FormName() {
		case "file":
			name, mediaType = p.FileName(), p.Header.Get("Content-Type")
			data, err = readSized(p, s.cfg.Limits.MaxUploadBytes+1, r.ContentLength)
			if err != nil {
				return body, nil, "", "", problemErr(tooLargeOr(err, "bad_request"), err)
			}
			if int64(len(data)) > s.cfg.Limits.MaxUploadBytes {
				return body, nil, "", "", problemErr("too_large", extract.ErrTooLarge)
			}
		case "message":
			body.Message = &Ref{}
			if err := json.NewDecoder(io.LimitReader(p, s.rawBodyLimit())).Decode(body.Message); err != nil {
				return body, nil, "", "", problemErr("bad_request", err)
			}
		case "options":
			if err := json.NewDecoder(io.LimitReader(p, 64<<10)).Decode(&body.Options); err != nil {
				return body, nil, "", "", problemErr("bad_request", err)
			}
		}
	}
	if data == nil {
		return body, nil, "", "", problemErr("bad_request", errors.New("addin: multipart without file"))
	}
	return body, data, name, mediaType, nil
}

// readSized reads r up to limit bytes. When the request's length is known
// (browsers send it with a file), the buffer is allocated once at that
// size, rather than regrown and copied as the bytes come: ten uploads of
// 25 MiB at once then cost about 250 MiB, not several times that in
// discarded buffers.
func readSized(r io.Reader, limit, length int64) ([]byte, error) {
	var buf bytes.Buffer
	if length > 0 {
		buf.Grow(int(min(length, limit) + bytes.MinRead))
	}
	_, err := buf.ReadFrom(io.LimitReader(r, limit))
	return buf.Bytes(), err
}

func tooLargeOr(err error, code string) string {
	if isTooLarge(err) {
		return "too_large"
	}
	return code
}

// prepareDocument reads and extracts the attachment, checks the markings of
// the document and of the message carrying it, routes and pseudonymises.
//
// A message reference, when present, must resolve: an upload naming a
// message that cannot be read for the caller (unknown, another mailbox,
// empty or unknown source, source not configured) fails with the problem
// its fetch maps to, rather than being summarised without the message's
// markings and encryption.
func (s *Server) prepareDocument(ctx context.Context, body attachmentBody, data []byte, name, mediaType string) (*job, error) {
	id, _ := IdentityFrom(ctx)
	source := "upload"
	var thread *mail.Thread
	if body.Message != nil {
		source = body.Message.Source
		t, err := s.resolve(ctx, id, *body.Message)
		if err != nil {
			return nil, err
		}
		thread = t
		if data == nil {
			att, b, err := s.readAttachment(ctx, id, *body.Message, body.Attachment)
			if err != nil {
				return nil, err
			}
			data, name, mediaType = b, att.Name, att.MediaType
		}
	}
	if data == nil {
		return nil, problemErr("bad_request", errors.New("addin: no attachment named and no file uploaded"))
	}
	doc, err := extract.Extract(ctx, name, mediaType, data, extract.Limits{MaxBytes: s.cfg.Limits.MaxUploadBytes})
	if err != nil {
		pe := problemErr(extractCode(err), err)
		if errors.Is(err, extract.ErrBusy) {
			pe.p.RetryAfter = 5
		}
		return nil, pe
	}
	// The carrying message goes through the gate with the document, so its
	// markings and encryption apply; only the document is sent.
	return s.admit(ctx, id, thread, privacy.Request{Task: string(assist.TaskDocument), Source: source, Thread: thread,
		Documents: []privacy.Document{{Name: doc.Name, Text: doc.Text, Mails: doc.Mails}}})
}

// readAttachment returns the bytes of the named attachment of ref.
func (s *Server) readAttachment(ctx context.Context, id Identity, ref Ref, a attachmentRef) (mail.Attachment, []byte, error) {
	if ref.Source == "graph" {
		if a.ID == "" {
			return mail.Attachment{}, nil, problemErr("bad_request", errors.New("addin: graph attachment without id"))
		}
		if s.graph == nil {
			return mail.Attachment{}, nil, problemErr("not_implemented", errors.New("addin: no Microsoft Graph source configured"))
		}
		att, b, err := s.graph.Attachment(ctx, id.Caller, ref.ID, a.ID)
		if errors.Is(err, graph.ErrReferenceAttachment) {
			return att, nil, problemErr("unsupported_document", err)
		}
		if err != nil {
			return att, nil, problemErr(mailCode(err), err)
		}
		return att, b, nil
	}
	if a.PartPath == "" {
		return mail.Attachment{}, nil, problemErr("bad_request", errors.New("addin: attachment without partPath"))
	}
	switch ref.Source {
	case "imap":
		if s.source == nil {
			return mail.Attachment{}, nil, problemErr("not_implemented", errors.New("addin: no IMAP source configured"))
		}
		att, b, err := s.source.Attachment(ctx, id.Caller, ref.MessageID, a.PartPath)
		if err != nil {
			return att, nil, problemErr(mailCode(err), err)
		}
		return att, b, nil
	case "raw":
		raw, err := s.decodeRaw(ref.MIME)
		if err != nil {
			return mail.Attachment{}, nil, err
		}
		att, b, err := mail.ReadAttachment(raw, a.PartPath, mail.Limits{MaxSize: s.cfg.Mail.MaxRawBytes})
		if err != nil {
			return att, nil, problemErr(mailCode(err), err)
		}
		return att, b, nil
	}
	return mail.Attachment{}, nil, problemErr("not_implemented", fmt.Errorf("addin: attachments from %q", ref.Source))
}

// extractCode maps an extraction error to its problem code.
func extractCode(err error) string {
	switch {
	case errors.Is(err, extract.ErrProtected):
		return "document_protected"
	case errors.Is(err, extract.ErrNoOCR):
		return "ocr_unavailable"
	case errors.Is(err, extract.ErrNoText):
		return "no_text"
	case errors.Is(err, extract.ErrTooLarge):
		return "too_large"
	case errors.Is(err, extract.ErrBusy):
		return "busy"
	case errors.Is(err, extract.ErrUnsupported), errors.Is(err, extract.ErrMalformed):
		return "unsupported_document"
	}
	return "unsupported_document"
}
