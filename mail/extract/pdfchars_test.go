package extract

import (
	"math"
	"testing"
)

// layoutCases are lines of characters as PDFium places them, with the
// text expected; each box is 6 points wide, words 3 points apart.
var layoutCases = []struct {
	name  string
	angle float64
	// mirrored boxes run left to right on the page although the angle
	// says half a turn (Paclitaxel.PDF of the corpus)
	rightwards bool
	want       string
}{
	{"upright", 0, true, "is a test"},
	{"mirrored", math.Pi, true, "is a test"},
	{"upside down", math.Pi, false, "is a test"},
}

func TestLayoutTurnedText(t *testing.T) {
	for _, c := range layoutCases {
		t.Run(c.name, func(t *testing.T) {
			var chars []pdfChar
			x := 100.0
			for _, r := range "is a test" {
				if r == ' ' {
					chars[len(chars)-1].realSpace = true
					x += 3
					continue
				}
				l, rt := float32(x), float32(x+6)
				if !c.rightwards {
					l, rt = float32(400-x-6), float32(400-x)
				}
				chars = append(chars, placeChar(r, c.angle, l, rt, 600, 614))
				x += 6
			}
			unmirror(chars)
			lines := layoutChars(chars)
			if len(lines) != 1 || lines[0].text != c.want {
				t.Errorf("lines %+v, want one line %q", lines, c.want)
			}
		})
	}
}

// TestLayoutOverlappingSpace: a space character counts as a word space
// only when the next letter is placed past its middle. troff sets a space
// and then places the next letter over it ("Sor ting" in The Go
// Programming Language); an italic f overhangs the space before it but is
// placed after it ("Basic facsimile", ITU-T T.6). Positions from the
// corpus.
func TestLayoutOverlappingSpace(t *testing.T) {
	type glyph struct {
		r                 rune
		x0, x1, origin    float32
		spaceX0, spaceX1  float32 // a space character after the glyph
		hasSpaceAfterward bool
	}
	cases := []struct {
		name   string
		glyphs []glyph
		want   string
	}{
		{"troff", []glyph{
			{'S', 176.60, 181.34, 176.60, 0, 0, false}, {'o', 181.48, 186.58, 181.48, 0, 0, false},
			{'r', 186.46, 190.17, 186.46, 190.05, 192.32, true}, {'t', 190.27, 193.32, 190.27, 0, 0, false},
			{'i', 193.37, 196.05, 193.37, 0, 0, false}, {'n', 196.05, 201.52, 196.05, 0, 0, false},
			{'g', 201.44, 206.12, 201.44, 0, 0, false}, {'w', 208.39, 215.35, 208.39, 0, 0, false},
		}, "Sorting w"},
		{"italic f", []glyph{
			{'i', 100.67, 103.45, 100.67, 0, 0, false}, {'c', 103.45, 107.90, 103.45, 107.90, 110.41, true},
			{'f', 108.94, 114.66, 110.41, 0, 0, false}, {'a', 113.19, 118.20, 113.19, 0, 0, false},
		}, "ic fa"},
	}
	for _, c := range cases {
		var chars []pdfChar
		for _, g := range c.glyphs {
			ch := placeChar(g.r, 0, g.x0, g.x1, 600, 610)
			ch.origin = float64(g.origin)
			if g.hasSpaceAfterward {
				ch.realSpace, ch.spaceMid = true, float64(g.spaceX0+g.spaceX1)/2
			}
			chars = append(chars, ch)
		}
		if lines := layoutChars(chars); len(lines) != 1 || lines[0].text != c.want {
			t.Errorf("%s: lines %+v, want %q", c.name, lines, c.want)
		}
	}
}

// TestLayoutOverhangingF: the box of an f runs past its advance; the gap
// to the next word is measured from where the advance ends (the engine's
// generated space), and against a tenth of the type size ("successor of
// the" in the massXpert manual, Debian package massxpert-doc).
func TestLayoutOverhangingF(t *testing.T) {
	o := placeChar('o', 0, 215.56, 220.26, 600, 612.4)
	f := placeChar('f', 0, 220.26, 224.25, 600, 612.4)
	th := placeChar('t', 0, 225.18, 228.17, 600, 612.4)
	th.fontSize = 9.5
	if lines := layoutChars([]pdfChar{o, f, th}); len(lines) != 1 || lines[0].text != "oft" {
		t.Fatalf("without the advance: %+v, want the old reading %q", lines, "oft")
	}
	f.advanceEnd, f.hasAdvance = 223.28, true
	if lines := layoutChars([]pdfChar{o, f, th}); len(lines) != 1 || lines[0].text != "of t" {
		t.Errorf("lines %+v, want %q", lines, "of t")
	}
}
