package addin

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/plume-admin/plume/mail"
)

// threadItem is one entry of the demo picker.
type threadItem struct {
	MessageID   string             `json:"messageId"`
	Subject     string             `json:"subject"`
	From        string             `json:"from"`
	Date        time.Time          `json:"date"`
	Count       int                `json:"count"`
	Markings    []string           `json:"markings"`
	Attachments []pickerAttachment `json:"attachments"`
}

// pickerAttachment is an attachment of any message of the conversation,
// with the Message-ID that carries it (for POST /attachment/summary).
type pickerAttachment struct {
	mail.Attachment
	MessageID string `json:"messageId"`
}

// handleThreads lists the newest threads of the caller's own INBOX, one
// entry per conversation (newest message), for the demo and plain-browser picker.
func (s *Server) handleThreads(w http.ResponseWriter, r *http.Request) {
	src, ok := s.source.(RecentSource)
	if !ok {
		s.fail(w, r, "not_implemented", nil)
		return
	}
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.fail(w, r, "bad_request", err)
			return
		}
		limit = n
	}
	limit = min(limit, s.cfg.Limits.ThreadsLimit)
	id, _ := IdentityFrom(r.Context())
	msgs, err := src.Recent(r.Context(), id.Caller, limit*4)
	if err != nil {
		s.fail(w, r, mailCode(err), err)
		return
	}
	items := []threadItem{}
	index := map[string]int{}
	for _, m := range msgs {
		key := m.NormSubject
		if key == "" {
			key = m.MessageID
		}
		if i, seen := index[key]; seen {
			items[i].Count++
			items[i].Attachments = append(items[i].Attachments, attachmentsOf(m)...)
			items[i].Markings = mergeLabels(items[i].Markings, s.markingLabels(m))
			if m.Date.After(items[i].Date) {
				it := s.threadItem(m)
				it.Count, it.Attachments, it.Markings = items[i].Count, items[i].Attachments, mergeLabels(items[i].Markings, it.Markings)
				items[i] = it
			}
			continue
		}
		if len(items) == limit {
			continue
		}
		index[key] = len(items)
		it := s.threadItem(m)
		it.Count = 1
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, map[string]any{"threads": items})
}

func (s *Server) threadItem(m *mail.Message) threadItem {
	from := ""
	if len(m.From) > 0 {
		from = m.From[0].String()
	}
	return threadItem{
		MessageID: m.MessageID, Subject: m.Subject, From: from, Date: m.Date,
		Markings: s.markingLabels(m), Attachments: attachmentsOf(m),
	}
}

// attachmentsOf lists the non-inline attachments of m.
func attachmentsOf(m *mail.Message) []pickerAttachment {
	atts := []pickerAttachment{}
	for _, a := range m.Attachments {
		if !a.Inline {
			atts = append(atts, pickerAttachment{Attachment: a, MessageID: m.MessageID})
		}
	}
	return atts
}

// mergeLabels returns the union of two label lists, in order.
func mergeLabels(a, b []string) []string {
	out := append([]string{}, a...)
	for _, l := range b {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
