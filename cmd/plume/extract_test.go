package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/privacy"
)

var extractCases = []struct {
	name   string
	args   []string
	stdin  string
	code   int
	stdout []string
	stderr string
}{
	{
		name: "text output of an Outlook reply",
		args: []string{"extract", "../../mail/testdata/outlook_fr_reply.eml"},
		code: 0,
		stdout: []string{"From:        Dupont, Marie <marie.dupont@rhone.gouv.fr>", "Attachment:  Arrêté convocation électeurs.pdf (application/pdf, 71 bytes, part 2)",
			"--- New ---\nBonjour,", "--- Quoted ---\nDe : Jean Martin", "--- Signature ---\nMarie Dupont"},
	},
	{
		name:   "markings in text output",
		args:   []string{"extract", "../../mail/testdata/diffusion_restreinte.eml"},
		stdout: []string{"markings: DIFFUSION RESTREINTE", "Markings:    DIFFUSION RESTREINTE"},
	},
	{
		name:   "flags after the file and stdin",
		args:   []string{"extract", "-", "--json"},
		stdin:  "From: a@example.org\nSubject: Re: Test\n\nBonjour.\n\nEnvoyé de mon iPhone\n",
		stdout: []string{`"new": "Bonjour."`, `"signature": "Envoyé de mon iPhone"`, `"normalizedSubject": "Test"`},
	},
	{
		name:   "mbox in thread order",
		args:   []string{"extract", "-"},
		stdin:  "From b Tue Jun  4 10:00:00 2024\nMessage-ID: <b@x>\nReferences: <a@x>\nDate: Tue, 4 Jun 2024 10:00:00 +0200\nSubject: Re: Point\n\nSecond.\n\nFrom a Mon Jun  3 10:00:00 2024\nMessage-ID: <a@x>\nDate: Mon, 3 Jun 2024 10:00:00 +0200\nSubject: Point\n\nFirst.\n",
		stdout: []string{"Thread: 2 message(s)", "=== Message 1/2 ===\nMessage-ID:  a@x", "=== Message 2/2 ===\nMessage-ID:  b@x"},
	},
	{name: "missing file", args: []string{"extract", "does-not-exist.eml"}, code: 1, stderr: "no such file"},
	{name: "no file", args: []string{"extract"}, code: 2, stderr: "usage: plume extract"},
	{name: "garbage", args: []string{"extract", "-"}, stdin: "this is not mail\n", code: 1, stderr: "malformed"},
}

func TestExtract(t *testing.T) {
	for _, tc := range extractCases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.stdin), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errb.String())
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			if tc.stderr != "" && !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stderr lacks %q: %s", tc.stderr, errb.String())
			}
		})
	}
}

// TestExtractJSONForm pins the documented JSON field names.
func TestExtractJSONForm(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"extract", "--json", "../../mail/testdata/thunderbird_fr_forward.eml"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc struct {
		Messages []map[string]json.RawMessage `json:"messages"`
		Markings []any                        `json:"markings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Messages) != 1 || doc.Markings == nil {
		t.Fatalf("doc = %s", out.String())
	}
	for _, k := range []string{"messageId", "from", "to", "date", "subject", "normalizedSubject", "text", "new", "quoted", "signature", "forwarded", "attachments", "markings", "security", "cleaning"} {
		if _, ok := doc.Messages[0][k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	// The JSON form is documented in docs/cli.md: every field the output
	// carries must be named there, and the example must show the main ones.
	cli, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	for k := range doc.Messages[0] {
		if !strings.Contains(string(cli), "`"+k+"`") {
			t.Errorf("docs/cli.md does not document the field %q of the JSON form", k)
		}
	}
	for _, k := range []string{"plume extract --json", `"messageId"`, `"new"`, `"quoted"`, `"signature"`, `"attachments"`, `"markings"`} {
		if !strings.Contains(string(cli), k) {
			t.Errorf("docs/cli.md does not document %s of the JSON form", k)
		}
	}
}

// TestExtractJSONMessageMarkings checks each message still carries the
// markings found in it, now that privacy returns them instead of writing
// them into mail.Message.
func TestExtractJSONMessageMarkings(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"extract", "--json", "../../mail/testdata/diffusion_restreinte.eml"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc struct {
		Messages []struct {
			Markings []mail.Marking `json:"markings"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Messages) != 1 || len(doc.Messages[0].Markings) == 0 || doc.Messages[0].Markings[0].Label != privacy.LabelDiffusionRestreinte {
		t.Fatalf("message markings = %s", out.String())
	}
}
