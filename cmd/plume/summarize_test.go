package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plume-admin/plume/assist/fakellm"
)

const cliMail = "From: Claire Martin <claire.martin@mairie-exemple.fr>\r\n" +
	"To: Paul Bernard <paul.bernard@prefecture.gouv.fr>\r\n" +
	"Date: Thu, 04 Jul 2024 11:00:00 +0200\r\n" +
	"Subject: RE: Demande de subvention DETR\r\n" +
	"Message-ID: <3@exemple.fr>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
	"Monsieur,\r\n\r\nLa délibération sera votée au conseil municipal du 10 juillet. Merci de nous accorder un délai d'ici vendredi.\r\n\r\nCordialement,\r\n\r\n" +
	"Le 02/07/2024 à 14:05, Paul Bernard a écrit :\r\n> Le dossier est incomplet : il manque la délibération. QUOTEDMARKER\r\n"

func writeMail(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fil.eml")
	if err := os.WriteFile(p, []byte(cliMail), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// noEnv is an environment with nothing set (no model: the offline engine).
var noEnv = map[string]string{}

func TestSummarizeOffline(t *testing.T) {
	var out, errb bytes.Buffer
	if code := summarizeMain([]string{writeMail(t)}, nil, &out, &errb, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "hors ligne") || !strings.Contains(errb.String(), "DEGRADED") {
		t.Fatalf("offline answer not marked:\n%s\n%s", out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "2024-07-05") {
		t.Fatalf("deadline \"d'ici vendredi\" not resolved:\n%s", out.String())
	}
}

func TestSummarizeWithModelAndShowPrompt(t *testing.T) {
	srv := fakellm.New(fakellm.Options{Default: `{"summary": "Un délai est demandé.", "keyPoints": ["Délibération le 10 juillet"]}`})
	defer srv.Close()
	env := map[string]string{"PLUME_LLM_BASE_URL": srv.URL(), "PLUME_LLM_MODEL": "albert-large", "PLUME_LLM_API_KEY": "k"}
	file := writeMail(t)

	var out, errb bytes.Buffer
	if code := summarizeMain([]string{"--show-prompt", file}, nil, &out, &errb, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("--show-prompt called the model")
	}
	if !strings.Contains(out.String(), "=== system ===") || !strings.Contains(out.String(), "tokens (cl100k_base count)") ||
		!strings.Contains(out.String(), "délibération sera votée") ||
		// a quote of a message absent from the file is its only copy: kept once, labelled
		strings.Count(out.String(), "QUOTEDMARKER") != 1 || !strings.Contains(out.String(), "[Historique cité, absent du fil :]") {
		t.Fatalf("preview:\n%s", out.String())
	}

	out.Reset()
	errb.Reset()
	if code := summarizeMain([]string{file}, nil, &out, &errb, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Un délai est demandé.") || !strings.Contains(errb.String(), "albert-large/albert-large") {
		t.Fatalf("out:\n%s\nerr:\n%s", out.String(), errb.String())
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Model != "albert-large" {
		t.Fatalf("requests %+v", r)
	}
}

func TestReplyStreamsToStdout(t *testing.T) {
	srv := fakellm.New(fakellm.Options{Default: "Madame,\n\nUn délai vous est accordé jusqu'au 15 juillet.\n\nJe vous prie d'agréer, Madame, l'expression de mes salutations distinguées."})
	defer srv.Close()
	var out, errb bytes.Buffer
	code := replyMain([]string{"--base-url", srv.URL(), "--model", "m", "--tone", "formel", "--instructions", "accorder un délai", writeMail(t)}, nil, &out, &errb, noEnv)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Un délai vous est accordé") || !strings.Contains(errb.String(), "subject: RE : Demande de subvention DETR") {
		t.Fatalf("out:\n%s\nerr:\n%s", out.String(), errb.String())
	}
	if p := srv.Requests()[0].Last(); !strings.Contains(p, "accorder un délai") || !strings.Contains(p, "formel") {
		t.Fatalf("instructions or tone not in prompt:\n%s", p)
	}

	out.Reset()
	errb.Reset()
	if code := replyMain([]string{"--kind", "ack", writeMail(t)}, nil, &out, &errb, noEnv); code != 0 {
		t.Fatalf("offline exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "J'accuse bonne réception") || !strings.Contains(out.String(), "Objet : RE : Demande de subvention DETR") {
		t.Fatalf("offline reply:\n%s", out.String())
	}
}

func TestSummarizeDocument(t *testing.T) {
	p := filepath.Join(t.TempDir(), "note.txt")
	text := "# Note de synthèse\n\nLe projet de rénovation de l'école est estimé à 450 000 euros. La commune sollicite la DETR.\n\n## Calendrier\n\nLes travaux débuteront en septembre 2024.\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := summarizeMain([]string{p}, nil, &out, &errb, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "## Calendrier") || !strings.Contains(out.String(), "hors ligne") {
		t.Fatalf("document summary:\n%s", out.String())
	}
}
