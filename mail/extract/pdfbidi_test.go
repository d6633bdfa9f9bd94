package extract

import (
	"testing"
	"unicode"
)

// rtlPlace lays out a line as a page shows it: words given in logical
// order, the line's direction deciding where each lands; each letter 5
// points wide, words 3 points apart. It returns the characters in the
// order given by order ("logical", or "visual": left to right).
func rtlPlace(t *testing.T, words []string, rtlLine bool, visual bool) []pdfChar {
	t.Helper()
	type placed struct {
		r  rune
		x0 float64
	}
	var out []placed
	// place one word with its left edge at left
	put := func(w string, left float64) {
		rs := []rune(w)
		for i, r := range rs {
			pos := left + float64(i)*5
			if isRTL(rs[0]) {
				pos = left + float64(len(rs)-1-i)*5
			}
			out = append(out, placed{r, pos})
		}
	}
	width := func(w string) float64 { return float64(len([]rune(w))) * 5 }
	// runs of words against the line's direction are laid out together
	x := 100.0 // next left edge (left-to-right line) or right edge
	if rtlLine {
		x = 500
	}
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && isRTL([]rune(words[j])[0]) == isRTL([]rune(words[i])[0]) {
			j++
		}
		run := words[i:j]
		total := -3.0
		for _, w := range run {
			total += width(w) + 3
		}
		runRTL := isRTL([]rune(words[i])[0])
		left := x
		if rtlLine {
			left = x - total
		}
		if runRTL { // first word at the right
			r := left + total
			for _, w := range run {
				put(w, r-width(w))
				r -= width(w) + 3
			}
		} else {
			l := left
			for _, w := range run {
				put(w, l)
				l += width(w) + 3
			}
		}
		if rtlLine {
			x = left - 3
		} else {
			x = left + total + 3
		}
		i = j
	}
	if visual {
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j].x0 < out[i].x0 {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
	}
	chars := make([]pdfChar, len(out))
	for i, p := range out {
		chars[i] = placeChar(p.r, 0, float32(p.x0), float32(p.x0+5), 600, 612)
	}
	return chars
}

// TestLayoutRightToLeft: Arabic words keep their spaces and come out in
// logical order, whether the engine gives the characters in logical or in
// visual order; a French line with an Arabic name keeps both in place.
func TestLayoutRightToLeft(t *testing.T) {
	cases := []struct {
		words   []string
		rtlLine bool
		want    string
	}{
		{[]string{"السيد", "محمد", "بن", "علي"}, true, "السيد محمد بن علي"},
		{[]string{"Nom", ":", "محمد", "بن", "علي", "né", "à", "Tunis"}, false, "Nom : محمد بن علي né à Tunis"},
		{[]string{"طلب", "رقم", "118", "بتاريخ"}, true, "طلب رقم 118 بتاريخ"},
	}
	for _, c := range cases {
		for _, visual := range []bool{false, true} {
			lines := layoutChars(rtlPlace(t, c.words, c.rtlLine, visual))
			if len(lines) != 1 || lines[0].text != c.want {
				t.Errorf("visual order %v: lines %+v, want %q", visual, lines, c.want)
			}
		}
	}
}

// FuzzLayoutChars feeds the line builder characters at any position,
// direction and script (Latin, Arabic, marks, accents drawn apart,
// surrogate halves): it must not panic, and every letter must come out.
func FuzzLayoutChars(f *testing.F) {
	f.Add([]byte("\x01\x10\x20\x05\x30\x02\x40\x11"))
	f.Add([]byte("السيد محمد\x00\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		alphabet := []rune("ab é´`¸ا محدٌَ،:1.\u0308ı")
		var chars []pdfChar
		for i := 0; i+2 < len(data) && len(chars) < 200; i += 3 {
			r := alphabet[int(data[i])%len(alphabet)]
			x := float32(data[i+1]) * 3
			y := float32(600 + int(data[i+2]%4)*14)
			angle := float64(data[i+2]>>6) * 1.5708
			c := placeChar(r, angle, x, x+5, y, y+12)
			c.realSpace = data[i+2]&0x10 != 0
			c.spaceMid = float64(x + 6)
			chars = append(chars, c)
		}
		want := 0
		for _, c := range chars {
			if c.r != ' ' && !unicode.Is(unicode.Mn, c.r) && combiningOf[c.r] == 0 {
				want++
			}
		}
		got := 0
		for _, l := range layoutChars(combineAccents(chars)) {
			for _, r := range l.text {
				if r != ' ' && r != '\t' && !unicode.Is(unicode.Mn, r) && combiningOf[r] == 0 {
					got++
				}
			}
		}
		if got < want {
			t.Fatalf("%d letters in, %d out", want, got)
		}
	})
}
