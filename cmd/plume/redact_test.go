package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactMail(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"redact", "--json", "../../privacy/testdata/adversarial/07-add-recipient.eml"}, nil, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep redactReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Messages) != 1 || rep.Counts["email"] != 4 || rep.Counts["name"] < 2 || rep.Injections == 0 {
		t.Errorf("report %+v", rep)
	}
	for _, secret := range []string{"Sophie", "Bernard", "@"} {
		if strings.Contains(rep.Messages[0].Text+rep.Messages[0].From, secret) {
			t.Errorf("%q left in %+v", secret, rep.Messages[0])
		}
	}
}

func TestRedactTextStdin(t *testing.T) {
	var out, errb bytes.Buffer
	in := strings.NewReader("DIFFUSION RESTREINTE\n\nMadame Moreau, 06 12 34 56 78, IBAN FR76 3000 6000 0112 3456 7890 189.\n")
	if code := run([]string{"redact", "-"}, in, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []string{"Madame [PERSONNE_1]", "[TELEPHONE_1]", "[IBAN_1]", "iban     1", "DIFFUSION RESTREINTE (body)"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if code := run([]string{"redact", "--kinds", "passeport-diplomatique", "-"}, strings.NewReader(""), &out, &errb); code != 2 {
		t.Errorf("unknown kind: exit %d", code)
	}
}

// TestRedactExplain: --explain names the kind and the cue of each replacement.
func TestRedactExplain(t *testing.T) {
	var out, errb bytes.Buffer
	in := strings.NewReader("J'en ai parlé avec Karim Benali. Numéro étranger : 7501234567.\n")
	if code := run([]string{"redact", "--explain", "--text", "-"}, in, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []string{"[PERSONNE_1]", "indice « avec »", `"Karim Benali"`, "[ETRANGER_1]", "agdref", "indice « Numéro étranger »"} {
		if !strings.Contains(got, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, got)
		}
	}
}
