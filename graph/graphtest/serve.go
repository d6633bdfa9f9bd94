package graphtest

// This file serves the Graph endpoints Plume reads.

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token") {
		s.token(w, r)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	throttle := s.Throttle > 0
	if throttle {
		s.Throttle--
	}
	user := s.graphTokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	s.mu.Unlock()
	if throttle {
		w.Header().Set("Retry-After", "1")
		graphError(w, http.StatusTooManyRequests, "TooManyRequests", "Application is over its MailboxConcurrency limit.")
		return
	}
	if user == "" {
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	if r.Method != http.MethodGet {
		graphError(w, http.StatusMethodNotAllowed, "ErrorInvalidRequest", "The OData request is not supported.")
		return
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.EscapedPath(), "/v1.0"), "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	if len(parts) < 2 || parts[0] != "me" || parts[1] != "messages" {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
		return
	}
	s.mu.Lock()
	box := s.boxes[user]
	s.mu.Unlock()
	q := r.URL.Query()
	switch len(parts) {
	case 2:
		s.list(w, r, box, q)
	case 3, 4, 5, 6:
		m := find(box, parts[2])
		if m == nil {
			graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
			return
		}
		switch {
		case len(parts) == 3:
			writeJSON(w, project(m.json, q.Get("$select"), r.Header.Get("Prefer")))
		case parts[3] == "$value":
			w.Header().Set("Content-Type", "text/plain")
			w.Write(m.raw)
		case parts[3] == "attachments" && len(parts) == 4:
			vals := []any{}
			for _, a := range m.atts {
				vals = append(vals, attJSON(a, false, false))
			}
			writeJSON(w, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('" + user + "')/messages('" + m.id + "')/attachments", "value": vals})
		case parts[3] == "attachments" && len(parts) == 6 && parts[5] == "$value":
			// the raw contents: a file's bytes, an attached item's MIME
			for _, a := range m.atts {
				if a.id == parts[4] && a.kind != "reference" {
					w.Header().Set("Content-Type", "text/plain")
					w.Write(a.data)
					return
				}
			}
			graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
		case parts[3] == "attachments" && len(parts) == 5:
			for _, a := range m.atts {
				if a.id == parts[4] {
					writeJSON(w, attJSON(a, true, strings.Contains(q.Get("$expand"), "item")))
					return
				}
			}
			graphError(w, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
		default:
			graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
		}
	default:
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment.")
	}
}

func find(box []*msg, id string) *msg {
	for _, m := range box {
		if m.id == id {
			return m
		}
	}
	return nil
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, box []*msg, q url.Values) {
	filter := q.Get("$filter")
	if q.Get("$orderby") != "" && strings.Contains(filter, "conversationId") {
		graphError(w, http.StatusBadRequest, "InefficientFilter", "The restriction or sort order is too complex for this operation.")
		return
	}
	var conv string
	if filter != "" {
		if _, err := fmt.Sscanf(filter, "conversationId eq %s", &conv); err != nil {
			graphError(w, http.StatusBadRequest, "BadRequest", "Invalid filter clause")
			return
		}
		conv = strings.ReplaceAll(strings.Trim(conv, "'"), "''", "'")
	}
	var sel []*msg
	for _, m := range box {
		if conv == "" || m.conversationID == conv {
			sel = append(sel, m)
		}
	}
	// Graph pages are not in date order without $orderby: serve newest
	// folder first, as a real mailbox spread over folders does.
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].id > sel[j].id })
	top := s.PageSize
	if t, err := strconv.Atoi(q.Get("$top")); err == nil && t > 0 && t < top {
		top = t
	}
	skip, _ := strconv.Atoi(q.Get("$skiptoken"))
	end := min(skip+top, len(sel))
	vals := []any{}
	for _, m := range sel[min(skip, len(sel)):end] {
		vals = append(vals, project(m.json, q.Get("$select"), r.Header.Get("Prefer")))
	}
	out := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/messages", "value": vals}
	if end < len(sel) {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("$skiptoken", strconv.Itoa(end))
		out["@odata.nextLink"] = s.GraphURL() + "/me/messages?" + nq.Encode()
	}
	writeJSON(w, out)
}

// project applies $select and the Prefer body-content-type header.
func project(j map[string]any, sel, prefer string) map[string]any {
	out := map[string]any{"@odata.etag": j["@odata.etag"], "id": j["id"]}
	fields := strings.Split(sel, ",")
	if sel == "" {
		for k := range j {
			if k != "uniqueBody" && k != "internetMessageHeaders" {
				fields = append(fields, k)
			}
		}
	}
	for _, f := range fields {
		if v, ok := j[strings.TrimSpace(f)]; ok {
			out[strings.TrimSpace(f)] = v
		}
	}
	if strings.Contains(prefer, `outlook.body-content-type="text"`) {
		if b, ok := out["body"].(map[string]any); ok && b["contentType"] == "html" {
			out["body"] = map[string]any{"contentType": "text", "content": j["bodyPreview"]}
		}
	}
	return out
}

func attJSON(a att, withContent, expand bool) map[string]any {
	j := map[string]any{"id": a.id, "name": a.name, "contentType": a.ctype, "size": len(a.data), "isInline": a.inline,
		"lastModifiedDateTime": "2026-06-03T08:00:00Z"}
	switch a.kind {
	case "file":
		j["@odata.type"] = "#microsoft.graph.fileAttachment"
		j["contentId"] = nil
		if withContent {
			j["contentBytes"] = base64.StdEncoding.EncodeToString(a.data)
		}
	case "item":
		j["@odata.type"] = "#microsoft.graph.itemAttachment"
		if expand {
			item := map[string]any{"@odata.type": "#microsoft.graph.message"}
			for k, v := range a.item {
				if k != "uniqueBody" && k != "internetMessageHeaders" {
					item[k] = v
				}
			}
			j["item"] = item
		}
	case "reference":
		j["@odata.type"] = "#microsoft.graph.referenceAttachment"
		j["sourceUrl"] = a.sourceURL
		j["contentType"] = nil
	}
	return j
}
