package addin

import (
	"context"
	"encoding/base64"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/plume-admin/plume/assist"
)

// draftBody is the request body of POST /draft: the thread routes' shape
// with the draft's options.
type draftBody struct {
	Message Ref          `json:"message"`
	Options draftOptions `json:"options"`
}

// draftOptions are the panel's choices for a courrier or a note.
type draftOptions struct {
	Language     string `json:"language"`
	Kind         string `json:"kind"`
	To           string `json:"to"`
	Instructions string `json:"instructions"`
	// Format "odt" or "docx" adds the file to the JSON answer (base64).
	Format string `json:"format"`
}

// draftFile is the generated document in a JSON answer.
type draftFile struct {
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Data      string `json:"data"`
}

// draftAnswer is a draft with its file when one was asked.
type draftAnswer struct {
	*assist.Draft
	File *draftFile `json:"file,omitempty"`
}

// handleDraft answers POST /draft: the parts as JSON (with the file in
// base64 when options.format is set), or the file itself when Accept names
// the ODT or DOCX media type. The file is built from the draft assist
// returns, restored, guarded and laid out.
func (s *Server) handleDraft(w http.ResponseWriter, r *http.Request) {
	var body draftBody
	if !s.decodeBody(w, r, &body) || !s.ready(w, r) {
		return
	}
	o := body.Options
	format := ""
	if o.Format != "" {
		f, ok := assist.DraftFormat(o.Format)
		if !ok {
			s.fail(w, r, "bad_request", errBadFormat(o.Format))
			return
		}
		format = f
	}
	raw := acceptedFormat(r.Header.Get("Accept"))
	run := func(ctx context.Context, j *job, cb assist.Callbacks) (*assist.Draft, assist.Meta, error) {
		return s.assistant.Draft(ctx, assist.DraftRequest{Pass: j.pass, Language: o.Language, Kind: o.Kind, To: o.To,
			Instructions: o.Instructions, Author: signerOf(j.id.Caller, j.thread)}, cb)
	}
	if raw != "" {
		j, err := s.prepare(r.Context(), assist.TaskDraft, "", "", body.Message)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		d, meta, err := run(r.Context(), j, assist.Callbacks{})
		if err != nil {
			s.failErr(w, r, s.modelFailed(err))
			return
		}
		s.account(j, meta)
		b, mt, err := d.File(raw)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		w.Header().Set("Content-Type", mt)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName(raw)}))
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
		return
	}
	s.serveTask(w, r, assist.TaskDraft, "", "", body.Message, "draft",
		func(ctx context.Context, j *job, cb assist.Callbacks) (any, assist.Meta, error) {
			d, meta, err := run(ctx, j, cb)
			if err != nil || format == "" {
				return d, meta, err
			}
			b, mt, err := d.File(format)
			if err != nil {
				return nil, meta, err
			}
			return draftAnswer{Draft: d, File: &draftFile{Name: d.FileName(format), MediaType: mt, Data: base64.StdEncoding.EncodeToString(b)}}, meta, nil
		})
}

// acceptedFormat is "odt" or "docx" when the Accept header asks for one of
// their media types, else "".
func acceptedFormat(accept string) string {
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		if f, ok := assist.DraftFormat(mt); ok && strings.Contains(mt, "/") {
			return f
		}
	}
	return ""
}

type errBadFormat string

func (e errBadFormat) Error() string {
	return "addin: format " + strconv.Quote(string(e)) + " (want odt or docx)"
}
