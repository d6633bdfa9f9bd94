package addin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/plume-admin/plume/config"

	"github.com/plume-admin/plume/assist/fakellm"
	"github.com/plume-admin/plume/mail/demo"
)

// unmarkedNote is a document with no protection marking of its own.
const unmarkedNote = "Note sur l'organisation de la visite.\nHoraires : arrivée à 10 h, départ à 12 h.\n"

// demoMessageID returns the Message-ID of the demo message whose id starts with prefix.
func demoMessageID(t *testing.T, prefix string) string {
	t.Helper()
	for _, m := range demo.Messages() {
		if strings.HasPrefix(m.MessageID, "<"+prefix) {
			return m.MessageID
		}
	}
	t.Fatalf("no demo message %s", prefix)
	return ""
}

// uploadWithMessage builds a multipart upload of one text file, with a
// "message" part when ref is not nil (a Ref-like value or a raw JSON string).
func uploadWithMessage(t *testing.T, name, content string, ref any) (string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipartWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	if ref != nil {
		b, ok := ref.(string)
		if !ok {
			j, err := json.Marshal(ref)
			if err != nil {
				t.Fatal(err)
			}
			b = string(j)
		}
		if err := mw.WriteField("message", b); err != nil {
			t.Fatal(err)
		}
	}
	mw.WriteField("options", `{"language":"fr"}`)
	mw.Close()
	return body.String(), mw.FormDataContentType()
}

// demoUploadPipe is a demo-mode server on the demo mailbox whose only model
// ("cloud") is cleared for no marking.
func demoUploadPipe(t *testing.T) *pipe {
	t.Helper()
	return newPipe(t, pipeOptions{
		source: demoSource(t),
		answer: func(fakellm.Request) fakellm.Response {
			return fakellm.Response{Text: `{"summary":"Organisation de la visite.","keyPoints":["Arrivée à 10 h"]}`}
		},
		config: func(c *config.Config) { c.Auth.Demo = true; c.Auth.StaticTokens = nil },
	})
}

// An uploaded document takes the markings of the message carrying it: an
// unmarked note attached to the DIFFUSION RESTREINTE thread is refused when
// no model is cleared for it, and the model receives nothing.
func TestUploadTakesMarkingsOfCarryingMessage(t *testing.T) {
	p := demoUploadPipe(t)
	dr := map[string]string{"source": "imap", "messageId": demoMessageID(t, "note-dispositif-dr-1")}
	body, ct := uploadWithMessage(t, "note.txt", unmarkedNote, dr)
	resp := do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "", body, "Content-Type", ct)
	prob := wantProblem(t, resp, http.StatusForbidden, "refused_marking")
	if !strings.Contains(fmt.Sprint(prob), "DIFFUSION RESTREINTE") {
		t.Errorf("refusal does not name the marking: %v", prob)
	}
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("the uncleared model received %d requests", n)
	}
	// Streaming asked: the same refusal, before any event.
	body, ct = uploadWithMessage(t, "note.txt", unmarkedNote, dr)
	resp = do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "", body, "Content-Type", ct, "Accept", "text/event-stream")
	wantProblem(t, resp, http.StatusForbidden, "refused_marking")

	// Control: the same document carried by an unmarked message is summarised.
	sejour := map[string]string{"source": "imap", "messageId": demoMessageID(t, "titre-sejour-rdv-1")}
	body, ct = uploadWithMessage(t, "note.txt", unmarkedNote, sejour)
	resp = do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "", body, "Content-Type", ct)
	if out := decode(t, resp); resp.StatusCode != 200 || out["document"] == nil {
		t.Fatalf("upload with an unmarked message: %d %v", resp.StatusCode, out)
	}
	if n := len(p.llms["cloud"].Requests()); n == 0 {
		t.Fatal("the unmarked upload did not reach the model")
	}
}

// uploadRefCases are message references that cannot be read: the upload
// fails closed with the problem the fetch maps to.
var uploadRefCases = []struct {
	name   string
	ref    any
	status int
	code   string
}{
	{"unknown message", map[string]string{"source": "imap", "messageId": "<absent@demo.plume.local>"}, http.StatusNotFound, "message_not_found"},
	{"imap without messageId", map[string]string{"source": "imap"}, http.StatusBadRequest, "bad_request"},
	{"empty reference", `{}`, http.StatusBadRequest, "bad_request"},
	{"null reference", `null`, http.StatusBadRequest, "bad_request"},
	{"unknown source", map[string]string{"source": "pop3", "messageId": "<x@y>"}, http.StatusBadRequest, "bad_request"},
	{"graph not configured", map[string]string{"source": "graph", "id": "AAMk"}, http.StatusNotImplemented, "not_implemented"},
	{"not JSON", `<note-dispositif-dr-1@demo.plume.local>`, http.StatusBadRequest, "bad_request"},
}

func TestUploadWithUnreadableMessageFailsClosed(t *testing.T) {
	p := demoUploadPipe(t)
	for _, c := range uploadRefCases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := uploadWithMessage(t, "note.txt", unmarkedNote, c.ref)
			resp := do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "", body, "Content-Type", ct)
			wantProblem(t, resp, c.status, c.code)
		})
	}
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("the model received %d requests", n)
	}
}

// An upload carried by an encrypted message is refused like the message,
// even by a model cleared for every marking.
func TestUploadCarriedByEncryptedMessageIsRefused(t *testing.T) {
	p := newPipe(t, pipeOptions{endpoints: map[string][]string{"cloud": {"*"}}, order: []string{"cloud"}, answer: summaryEcho})
	mime := "From: a@example.fr\nTo: b@example.fr\nSubject: chiffré\nMessage-ID: <enc@x>\nMIME-Version: 1.0\n" +
		"Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggFH\n"
	body, ct := uploadWithMessage(t, "note.txt", unmarkedNote, rawRef(mime))
	resp := do(t, "POST", p.hs.URL+"/api/v1/attachment/summary", "token-alice-0123456789", body, "Content-Type", ct)
	wantProblem(t, resp, http.StatusForbidden, "refused_encrypted")
	if n := len(p.llms["cloud"].Requests()); n != 0 {
		t.Fatalf("the model received %d requests", n)
	}
}
