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
