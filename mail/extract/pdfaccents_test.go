package extract

import "testing"

// TestCombineAccents: accents drawn apart over a letter (TeX's OT1 fonts)
// join it; an accent beside a letter (a backtick in code) stays.
func TestCombineAccents(t *testing.T) {
	type g struct {
		r      rune
		x0, x1 float32
	}
	cases := []struct {
		name   string
		glyphs []g
		want   string
	}{
		{"acute drawn first", []g{{'r', 100, 104}, {'´', 105, 108}, {'e', 104, 109}, {'s', 109, 113}}, "rés"},
		{"cedilla drawn after", []g{{'c', 100, 105}, {'¸', 101.5, 103.5}, {'a', 105, 110}}, "ça"},
		{"grave over a", []g{{'`', 100.5, 103.5}, {'a', 100, 105}}, "à"},
		{"no composed letter", []g{{'o', 100, 105}, {'¨', 105.5, 108.5}, {'ı', 105, 108}, {'d', 108, 113}}, "oı\u0308d"},
		{"backtick beside", []g{{'`', 100, 105}, {'a', 105, 110}}, "`a"},
		{"lone accent", []g{{'´', 100, 103}}, "´"},
	}
	for _, c := range cases {
		var chars []pdfChar
		for _, x := range c.glyphs {
			chars = append(chars, placeChar(x.r, 0, x.x0, x.x1, 600, 610))
		}
		lines := layoutChars(combineAccents(chars))
		if len(lines) != 1 || lines[0].text != c.want {
			t.Errorf("%s: lines %+v, want %q", c.name, lines, c.want)
		}
	}
}

// TestCalibriLigatures: Word's Calibri ligatures mapped to Ɵ and Ʃ are read
// as "ti" and "tt" inside lower-case words, and left alone elsewhere.
func TestCalibriLigatures(t *testing.T) {
	for in, want := range map[string]string{
		"aƩestaƟon de l'administraƟon": "attestation de l'administration",
		"HarmaƩan, opƟonal, aƩ.":       "Harmattan, optional, att.",
		"Ɵ Ʃ ƟƩ":                       "Ɵ Ʃ ƟƩ",
		"ﬁn de l'eﬀet":                 "fin de l'effet",
	} {
		if got := normalizePresentation(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
