// Package fakellm is a fake OpenAI-compatible chat-completions server for
// tests: real HTTP, real server-sent events in OpenAI's wire format,
// scripted answers and failures, and a record of every request received so
// tests can assert on the prompts.
//
// # Use
//
//	srv := fakellm.New(fakellm.Options{})
//	defer srv.Close()
//	srv.Script(
//		fakellm.Response{Status: 429, RetryAfter: "1"},
//		fakellm.Response{Text: `{"summary": "…"}`},
//	)
//	// point an OpenAI-compatible client at srv.URL() (it ends with /v1)
//	reqs := srv.Requests() // messages and model of every request
//
// Scripted responses are used in order, one per request; when the script is
// empty, Options.Answer is called with the request, and without it the
// server answers Options.Default (or "OK"). Streaming requests
// ("stream": true) get SSE chunks of a few characters each, a final
// chunk with finish_reason, a usage chunk when stream_options.include_usage
// is set, then "data: [DONE]".
//
// Failures: Status (e.g. 429 with RetryAfter, 500), Stall (headers and
// StallAfter chunks, then nothing until the client leaves or the server
// closes), FirstTokenDelay (a slow first token, waited on a timer so keep
// it tiny), or any Text (e.g. invalid JSON).
package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Options configures a Server. The zero value works.
type Options struct {
	// Model is the model name reported in answers; "" echoes the request's.
	Model string
	// Answer computes the answer when the script is empty; nil means Default.
	Answer func(r Request) Response
	// Default is the answer text when there is no script and no Answer; "" means "OK".
	Default string
	// ChunkRunes is the size of streamed chunks in runes; zero means 4.
	ChunkRunes int
}

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is what the server received.
type Request struct {
	Model     string
	Messages  []Message
	Stream    bool
	JSONMode  bool
	MaxTokens int
	// Authorization is the Authorization header as received.
	Authorization string
}

// Prompt returns the contents of all messages joined by blank lines.
func (r Request) Prompt() string {
	parts := make([]string, len(r.Messages))
	for i, m := range r.Messages {
		parts[i] = m.Content
	}
	return strings.Join(parts, "\n\n")
}

// Last returns the content of the last message.
func (r Request) Last() string {
	if len(r.Messages) == 0 {
		return ""
	}
	return r.Messages[len(r.Messages)-1].Content
}

// Response is one scripted answer.
type Response struct {
	// Text is the answer's content.
	Text string
	// Status, when not 0 or 200, answers with that HTTP status and an
	// OpenAI-style error body.
	Status int
	// RetryAfter is sent as the Retry-After header with a failure status.
	RetryAfter string
	// Stall stops a stream after StallAfter chunks and holds the connection.
	Stall      bool
	StallAfter int
	// FirstTokenDelay waits before the first chunk (or the whole answer).
	FirstTokenDelay time.Duration
	// PromptTokens and CompletionTokens are reported in usage; zero means
	// a rough count (characters / 4).
	PromptTokens, CompletionTokens int
}

// Server is a running fake endpoint.
type Server struct {
	ts     *httptest.Server
	opts   Options
	mu     sync.Mutex
	script []Response
	reqs   []Request
	done   chan struct{}
	once   sync.Once
}

// New starts a server on 127.0.0.1 with a random port.
func New(opts Options) *Server {
	if opts.ChunkRunes <= 0 {
		opts.ChunkRunes = 4
	}
	s := &Server{opts: opts, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.ts = httptest.NewServer(mux)
	return s
}

// URL is the API root to configure as base URL; it ends with /v1.
func (s *Server) URL() string { return s.ts.URL + "/v1" }

// Script queues responses, used one per request in order.
func (s *Server) Script(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, rs...)
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Reset forgets the recorded requests and the remaining script.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs, s.script = nil, nil
}

// Close releases stalled streams and stops the server.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	s.ts.CloseClientConnections()
	s.ts.Close()
}

type chatBody struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Stream              bool `json:"stream"`
	MaxTokens           int  `json:"max_tokens"`
	MaxCompletionTokens int  `json:"max_completion_tokens"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	ResponseFormat *struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

// content accepts a string or an array of {type:"text", text} parts.
func content(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) == nil {
		var sb strings.Builder
		for _, p := range parts {
			sb.WriteString(p.Text)
		}
		return sb.String()
	}
	return string(raw)
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var body chatBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "", "invalid request body")
		return
	}
	req := Request{Model: body.Model, Stream: body.Stream, Authorization: r.Header.Get("Authorization"),
		JSONMode: body.ResponseFormat != nil && body.ResponseFormat.Type == "json_object"}
	req.MaxTokens = body.MaxCompletionTokens
	if req.MaxTokens == 0 {
		req.MaxTokens = body.MaxTokens
	}
	for _, m := range body.Messages {
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: content(m.Content)})
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	var resp Response
	scripted := len(s.script) > 0
	if scripted {
		resp, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	if !scripted {
		switch {
		case s.opts.Answer != nil:
			resp = s.opts.Answer(req)
		case s.opts.Default != "":
			resp = Response{Text: s.opts.Default}
		default:
			resp = Response{Text: "OK"}
		}
	}
	if resp.Status != 0 && resp.Status != http.StatusOK {
		if resp.RetryAfter != "" {
			w.Header().Set("Retry-After", resp.RetryAfter)
		}
		writeError(w, resp.Status, "server_error", http.StatusText(resp.Status))
		return
	}
	if resp.FirstTokenDelay > 0 && !s.wait(r, resp.FirstTokenDelay) {
		return
	}
	model := s.opts.Model
	if model == "" {
		model = body.Model
	}
	if resp.PromptTokens == 0 {
		resp.PromptTokens = len(req.Prompt())/4 + 1
	}
	if resp.CompletionTokens == 0 {
		resp.CompletionTokens = len(resp.Text)/4 + 1
	}
	if !body.Stream {
		if resp.Stall {
			s.hold(r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": resp.Text}, "finish_reason": "stop"}},
			"usage":   usage(resp),
		})
		return
	}
	s.stream(w, r, resp, model, body.StreamOptions != nil && body.StreamOptions.IncludeUsage)
}

func usage(r Response) map[string]int {
	return map[string]int{"prompt_tokens": r.PromptTokens, "completion_tokens": r.CompletionTokens, "total_tokens": r.PromptTokens + r.CompletionTokens}
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, resp Response, model string, withUsage bool) {
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	sent := 0
	text := resp.Text
	for text != "" {
		if resp.Stall && sent >= resp.StallAfter {
			s.hold(r)
			return
		}
		n, i := 0, 0
		for i < len(text) && n < s.opts.ChunkRunes {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			n++
		}
		send(chunk(map[string]any{"content": text[:i]}, nil))
		text = text[i:]
		sent++
	}
	if resp.Stall {
		s.hold(r)
		return
	}
	send(chunk(map[string]any{}, "stop"))
	if withUsage {
		send(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
			"choices": []any{}, "usage": usage(resp)})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

// hold blocks until the client leaves or the server closes.
func (s *Server) hold(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

// wait sleeps d unless the client leaves or the server closes first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": status}})
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	name := s.opts.Model
	if name == "" {
		name = "fake-model"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": []any{map[string]any{"id": name, "object": "model", "owned_by": "plume-test"}}})
}
