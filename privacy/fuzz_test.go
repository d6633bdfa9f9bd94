package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/plume-admin/plume/mail"
)

// Seeds live in testdata/fuzz/<FuzzName>/; these add the table inputs.

func FuzzDetector(f *testing.F) {
	for _, c := range markingCases {
		f.Add(c.where, c.text)
	}
	d, _ := NewDetector(MarkingOptions{Terms: []string{"secret médical"}})
	f.Fuzz(func(t *testing.T, where, text string) {
		// The quick check must see exactly what the full fold sees.
		if utf8.ValidString(text) {
			if got, want := foldLower(text), strings.ToLower(fold(text).s); got != want {
				t.Fatalf("foldLower(%q) = %q, want %q", text, got, want)
			}
		}
		marks := d.Text(where, text)
		for _, m := range marks {
			if m.Where != where || m.Label == "" {
				t.Fatalf("bad marking %+v", m)
			}
		}
		msg := &mail.Message{Subject: text, Text: text, Headers: map[string]string{"X-Classification": text}}
		d.Message(msg)
		// A marking found in body text is found in the subject too (the
		// subject rule is a superset).
		if len(d.Text("body", text)) > len(d.Text("subject", text))+1 {
			t.Fatalf("body finds more than subject in %q", text)
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	for _, c := range piiCases {
		f.Add(c.text)
	}
	for _, it := range frenchCorpus(5, 5) {
		f.Add(it.text)
	}
	for _, c := range nameCases {
		f.Add(c.text)
	}
	f.Add("[EMAIL_1] PERSONNE_2 [ texte_3 ] Bonjour Marie, Madame Dupont")
	f.Fuzz(func(t *testing.T, text string) {
		s := NewPseudonymizer(PIIOptions{}).Session()
		s.LearnThread(&mail.Thread{Messages: []*mail.Message{{From: []mail.Address{{Name: "Marie Dupont"}}}}})
		out := s.Text(text)
		if got := s.Restore(out); got != text {
			t.Fatalf("Restore(Text(%q)) = %q via %q", text, got, out)
		}
		// Streaming gives the same as Restore, whatever the chunking.
		var b strings.Builder
		r := s.RestoreStream(func(x string) { b.WriteString(x) })
		for i := 0; i < len(out); i += 5 {
			r.Write(out[i:min(i+5, len(out))])
		}
		r.Flush()
		if utf8.ValidString(out) && b.String() != text {
			t.Fatalf("stream restore of %q = %q", out, b.String())
		}
	})
}

func FuzzGuard(f *testing.F) {
	for _, c := range guardCases {
		f.Add(c.answer, guardSources[0])
	}
	f.Fuzz(func(t *testing.T, answer, source string) {
		got, rep := GuardOutput(answer, source)
		if rep.Removed == 0 && got != answer {
			t.Fatalf("changed without reporting: %q → %q", answer, got)
		}
		if utf8.ValidString(answer) && !utf8.ValidString(got) {
			t.Fatalf("guard broke UTF-8: %q → %q", answer, got)
		}
		// With no source to vouch for it, no link survives, glued to a
		// word or not.
		if bare, _ := GuardOutput(answer); rawURL.MatchString(bare) {
			t.Fatalf("link left in %q → %q", answer, bare)
		}
		// Guarding is stable: a second pass removes nothing more.
		again, rep2 := GuardOutput(got, source)
		if rep2.Removed != 0 && again == got {
			t.Fatalf("reported removals without change on %q", got)
		}
		// The answer guarded against itself as source keeps what it had.
		if same, r := GuardOutput(answer, answer); r.Removed > 0 && InjectionCues(answer) == 0 && !strings.ContainsAny(answer, "[]()<>") && same == "" {
			t.Fatalf("guard removed from its own source: %q", answer)
		}
	})
}

// FuzzIdentifiers runs the detectors of the identifiers préfecture mail
// carries on any text: spans stay inside the text on rune boundaries, are
// of the detector's kind, hold a digit, and the text round-trips.
func FuzzIdentifiers(f *testing.F) {
	for _, c := range identifierCases {
		f.Add(c.text)
	}
	finders := map[Kind]func(string, func(span)){}
	for _, d := range detectors {
		switch d.kind {
		case KindAGDREF, KindPassport, KindIDCard, KindTaxID, KindPlate, KindBirthdate, KindCAF:
			finders[d.kind] = d.find
		}
	}
	org, err := Pattern{Name: "usager", Regex: `DU-\d{4}-\d{6}`, Cues: []string{"dossier usager"}}.compile()
	if err != nil {
		f.Fatal(err)
	}
	finders[KindOrg] = org.find
	f.Fuzz(func(t *testing.T, text string) {
		for k, find := range finders {
			find(text, func(s span) {
				if s.start < 0 || s.end > len(text) || s.start >= s.end || s.kind != k {
					t.Fatalf("%s: bad span %+v in %q", k, s, text)
				}
				if utf8.ValidString(text) && (!utf8.RuneStart(text[s.start]) || s.end < len(text) && !utf8.RuneStart(text[s.end])) {
					t.Fatalf("%s: span %+v cuts a rune in %q", k, s, text)
				}
				if !strings.ContainsAny(text[s.start:s.end], "0123456789") {
					t.Fatalf("%s: span %q holds no digit", k, text[s.start:s.end])
				}
			})
		}
		s := NewPseudonymizer(PIIOptions{}).Session()
		if out := s.Text(text); s.Restore(out) != text {
			t.Fatalf("round trip %q → %q", text, out)
		}
	})
}

// FuzzRestoreMatchesPattern: restoring by candidate positions gives what
// the placeholder pattern applied everywhere gives.
func FuzzRestoreMatchesPattern(f *testing.F) {
	for _, seed := range []string{
		"Bonjour [PERSONNE_1], voir [EMAIL_2] et PERSONNE_1 ou [personne 1 prénom].",
		"[ PERSONNE_1 ] [TÉLÉPHONE_3] E-MAIL_4 x_PERSONNE_1 PERSONNE_1x [IBAN_9_NOM_X] [ÉTRANGER_1]",
		"[[PERSONNE_1]] _PERSONNE_2_ [PERSONNE_", "éPERSONNE_1 -PERSONNE_1",
	} {
		f.Add(seed)
	}
	s := NewPseudonymizer(PIIOptions{}).Session()
	s.Text("Claire Martin, claire.martin@example.org, 06 12 34 56 78, IBAN FR76 3000 6000 0112 3456 7890 189")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		// The reference: the pattern applied everywhere, each match read in
		// its context (a match read alone may not match again: \b).
		var want strings.Builder
		last := 0
		for _, loc := range placeholderPattern.FindAllStringSubmatchIndex(text, -1) {
			m := make([]string, 7)
			for i := 1; i < 7; i++ {
				if loc[2*i] >= 0 {
					m[i] = text[loc[2*i]:loc[2*i+1]]
				}
			}
			v, ok := s.bySlot[slotOf(m)]
			if !ok {
				v = Masked
			}
			want.WriteString(text[last:loc[0]] + v)
			last = loc[1]
		}
		want.WriteString(text[last:])
		if got := s.restore(text); got != want.String() {
			t.Fatalf("restore(%q) = %q, pattern gives %q", text, got, want.String())
		}
	})
}
