package fakellm_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist/fakellm"
)

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestStreamWireFormat(t *testing.T) {
	srv := fakellm.New(fakellm.Options{ChunkRunes: 3})
	defer srv.Close()
	srv.Script(fakellm.Response{Text: "Bonjour à tous", PromptTokens: 7, CompletionTokens: 4})
	resp := post(t, srv.URL(), `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"S"},{"role":"user","content":[{"type":"text","text":"U"}]}]}`)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	var text strings.Builder
	var sawUsage, sawDone, sawStop bool
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			t.Fatalf("not an SSE data line: %q", line)
		}
		if data == "[DONE]" {
			sawDone = true
			continue
		}
		var c struct {
			Object  string `json:"object"`
			Choices []struct {
				Delta        struct{ Content string } `json:"delta"`
				FinishReason *string                  `json:"finish_reason"`
			} `json:"choices"`
			Usage *struct {
				PromptTokens int `json:"prompt_tokens"`
			} `json:"usage"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil || c.Object != "chat.completion.chunk" {
			t.Fatalf("chunk %q: %v", data, err)
		}
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
			if ch.FinishReason != nil && *ch.FinishReason == "stop" {
				sawStop = true
			}
		}
		if c.Usage != nil && c.Usage.PromptTokens == 7 {
			sawUsage = true
		}
	}
	if text.String() != "Bonjour à tous" || !sawUsage || !sawDone || !sawStop {
		t.Fatalf("text %q usage %v done %v stop %v", text.String(), sawUsage, sawDone, sawStop)
	}
	r := srv.Requests()
	if len(r) != 1 || r[0].Model != "m" || !r[0].Stream || r[0].Prompt() != "S\n\nU" {
		t.Fatalf("recorded %+v", r)
	}
}

func TestFailuresAndAnswerFunc(t *testing.T) {
	srv := fakellm.New(fakellm.Options{Answer: func(r fakellm.Request) fakellm.Response {
		return fakellm.Response{Text: "echo: " + r.Last()}
	}})
	defer srv.Close()
	srv.Script(fakellm.Response{Status: 429, RetryAfter: "3"})
	resp := post(t, srv.URL(), `{"model":"m","messages":[{"role":"user","content":"x"}]}`)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
		t.Fatalf("status %d retry-after %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	resp = post(t, srv.URL(), `{"model":"m","messages":[{"role":"user","content":"salut"}]}`)
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"content":"echo: salut"`) || !strings.Contains(string(b), `"object":"chat.completion"`) {
		t.Fatalf("answer %s", b)
	}
}
