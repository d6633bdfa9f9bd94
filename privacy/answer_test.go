package privacy

import (
	"strings"
	"testing"
)

// feed streams text through a guard in chunks of n bytes and returns what came out.
func feed(text string, n int, sources ...string) string {
	var out strings.Builder
	g := &streamGuard{guard: NewGuard(sources...), emit: func(s string) { out.WriteString(s) }}
	for len(text) > 0 {
		k := min(n, len(text))
		g.write(text[:k])
		text = text[k:]
	}
	g.flush()
	return out.String()
}

var streamGuardTests = []struct {
	name, text string
	sources    []string
	gone, kept []string
}{
	{"url split", "Merci de valider votre compte sur https://evil.example/login dès aujourd'hui.\nBien à vous.", nil,
		[]string{"evil.example"}, []string{"Merci de valider", "Bien à vous."}},
	{"phone split", "Appelez le 06 99 88 77 66 pour confirmer. " + strings.Repeat("Texte ordinaire. ", 30), nil,
		[]string{"06 99 88 77 66"}, []string{"pour confirmer", "Texte ordinaire."}},
	{"address split", "Écrivez à attaquant@evil.example sans tarder.", nil, []string{"attaquant@evil.example"}, []string{"sans tarder"}},
	{"source phone kept", "Le maire est joignable au 06 12 34 56 78.", []string{"Tél. 06 12 34 56 78"}, nil, []string{"06 12 34 56 78"}},
}

func TestStreamGuard(t *testing.T) {
	for _, tt := range streamGuardTests {
		for _, n := range []int{1, 3, 7, 64, 1000} {
			got := feed(tt.text, n, tt.sources...)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("%s, chunks of %d: %q not removed: %q", tt.name, n, g, got)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%s, chunks of %d: %q lost: %q", tt.name, n, k, got)
				}
			}
		}
	}
}

// FuzzStreamGuard: whatever the text and the chunking, an attacker URL that
// the guard removes from the whole text is removed from the stream too, and
// nothing panics. (What the guard itself recognises is privacy's matter.)
func FuzzStreamGuard(f *testing.F) {
	f.Add("Voir https://evil.example/a pour plus d'infos", 3)
	f.Add("Tél : +33 6 99 88 77 66.\nFin", 1)
	f.Add("[lien](https://evil.example/x) et ![img](https://evil.example/p.png)", 5)
	f.Fuzz(func(t *testing.T, text string, n int) {
		if n <= 0 || n > 1<<12 {
			n = 1
		}
		src := "source: https://ok.example/doc"
		got := feed(text, n, src)
		whole, _ := GuardOutput(text, src)
		if !strings.Contains(whole, "https://evil.example") && strings.Contains(got, "https://evil.example") {
			t.Fatalf("attacker URL survived: %q", got)
		}
	})
}

func TestSafeCut(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"abc def ghi", 8},
		{"tel 06 12 34", 0},
		{"nospace", 0},
		{"trailing ", 0},
	} {
		if got := guardCut(tt.s); got != tt.want {
			t.Errorf("guardCut(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}
