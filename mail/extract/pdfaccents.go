package extract

import (
	"math"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Accents drawn apart. TeX's older fonts (OT1) have no accented letters:
// "é" is drawn as an acute accent over an "e", two characters that PDFium
// reports in drawing order ("´e", "r´esistance"). pdftotext puts them back
// together; so do we: a spacing accent whose middle lies over an adjacent
// letter of the same line becomes that letter's combining mark, composed
// when Unicode has the composed letter ("é"), kept as letter plus mark
// when it has not ("ı̈").

// combiningOf maps a spacing accent to its combining mark.
var combiningOf = map[rune]rune{
	'\u00b4': '\u0301', // ´ acute
	'`':      '\u0300', // grave
	'\u02cb': '\u0300', // ˋ grave
	'^':      '\u0302', // circumflex
	'\u02c6': '\u0302', // ˆ
	'\u00a8': '\u0308', // ¨ diaeresis
	'~':      '\u0303', // tilde
	'\u02dc': '\u0303', // ˜
	'\u00b8': '\u0327', // ¸ cedilla
	'\u02c7': '\u030c', // ˇ caron
	'\u02d8': '\u0306', // ˘ breve
	'\u02da': '\u030a', // ˚ ring
	'\u00af': '\u0304', // ¯ macron
	'\u02c9': '\u0304', // ˉ macron
	'\u02d9': '\u0307', // ˙ dot above
	'\u02dd': '\u030b', // ˝ double acute
	'\u02db': '\u0328', // ˛ ogonek
}

// combineAccents joins the spacing accents drawn over or under a letter to
// that letter, looking at the next character first (TeX draws the accent
// first), then at the previous one (a cedilla is drawn after its c).
func combineAccents(chars []pdfChar) []pdfChar {
	out := chars[:0]
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		mark, ok := combiningOf[c.r]
		if !ok {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(chars) && over(c, chars[i+1]):
			chars[i+1] = withMark(chars[i+1], mark)
		case len(out) > 0 && over(c, out[len(out)-1]):
			out[len(out)-1] = withMark(out[len(out)-1], mark)
		default:
			out = append(out, c)
		}
	}
	return out
}

// over reports whether accent a sits over or under letter l: same
// direction, the middle of a within l's width, and l a letter near a's line.
func over(a, l pdfChar) bool {
	if !unicode.IsLetter(l.r) || a.angle != l.angle {
		return false
	}
	mid := (a.x0 + a.x1) / 2
	return mid > l.x0 && mid < l.x1 && math.Abs(a.y-l.y) < math.Max(a.size, l.size)
}

// withMark adds a combining mark to c, composed into one letter when
// Unicode has it.
func withMark(c pdfChar, mark rune) pdfChar {
	s := norm.NFC.String(string(c.r) + c.marks + string(mark))
	if r := []rune(s); len(r) == 1 {
		c.r, c.marks = r[0], ""
		return c
	}
	r := []rune(s)
	c.r, c.marks = r[0], string(r[1:])
	return c
}
