package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// The slow path of page reading: lines rebuilt from each character's box,
// for pages whose text is turned (rotated pages, vertical labels) and pages
// where the engine's text and its character indices differ.

// pdfChar is one character of a page as the engine places it, in the
// frame of its own writing direction: x grows along the line, y across it.
type pdfChar struct {
	r         rune
	x0, x1, y float64
	size      float64
	// fontSize is the type size, read only where the gap before the
	// character is neither clearly inside a word nor clearly a space
	fontSize float64
	angle    float64
	// realSpace: a space character of the document follows, whose middle
	// is at spaceMid along the line
	realSpace bool
	spaceMid  float64
	// origin is where the character is placed along the line: read only
	// after a space character (a glyph's box may overhang its origin, as
	// an italic f does)
	origin float64
	// advanceEnd, when known, is where the character's advance ends, left
	// of its box's end: the box of an overhanging letter (f) runs past it
	advanceEnd float64
	hasAdvance bool
	// marks are combining marks drawn apart over the character that
	// Unicode has no single letter for (see combineAccents)
	marks      string
	badMapping bool
}

// pageChars reads the characters of page i with their boxes, leaving out
// the spaces and line breaks the engine generates: lines and spaces are
// rebuilt from positions, as pdftotext does.
func pageChars(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, runes []rune, count int) ([]pdfChar, error) {
	chars := make([]pdfChar, 0, count)
	angle := 0.0
	pendingSpace := -1
	for j := range count {
		var r rune
		if len(runes) == count {
			r = runes[j]
		} else { // characters outside the BMP: text and indices differ
			u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp, Index: j})
			if err != nil {
				return nil, err
			}
			r = rune(u.Unicode)
		}
		if r == '\r' || r == '\n' {
			continue
		}
		if r == ' ' || r == 0xA0 {
			// looked at only if the gap it stands in is doubtful
			pendingSpace = j
			continue
		}
		box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp, Index: j})
		if err != nil {
			return nil, err
		}
		rect := box.Rect
		// the angle is asked only where a line may change: the first
		// character, and one that does not follow the last one along x
		if k := len(chars) - 1; k < 0 || angle != 0 || !continuesLine(chars[k], rect.Left, rect.Bottom, rect.Top) {
			a, err := inst.FPDFText_GetCharAngle(&requests.FPDFText_GetCharAngle{TextPage: tp, Index: j})
			if err != nil {
				return nil, err
			}
			angle = float64(a.CharAngle)
		}
		c := placeChar(r, angle, rect.Left, rect.Right, rect.Bottom, rect.Top)
		// a character outside the BMP comes as two UTF-16 halves, each
		// with its box (Miao, emoji, some CJK)
		if k := len(chars) - 1; k >= 0 && utf16.IsSurrogate(r) && r >= 0xDC00 && chars[k].r >= 0xD800 && chars[k].r < 0xDC00 {
			chars[k].r = utf16.DecodeRune(chars[k].r, r)
			chars[k].x1 = math.Max(chars[k].x1, c.x1)
			continue
		}
		if k := len(chars) - 1; pendingSpace >= 0 && k >= 0 {
			if err := lookAtSpace(inst, tp, pendingSpace, &chars[k], c); err != nil {
				return nil, err
			}
		}
		pendingSpace = -1
		// a doubtful gap is judged as pdftotext does, against a tenth of
		// the type size rather than of the box, which is taller than the
		// type by the font's ascent and descent
		if k := len(chars) - 1; k >= 0 && chars[k].angle == c.angle {
			end := chars[k].x1
			if chars[k].hasAdvance {
				end = chars[k].advanceEnd
			}
			if gap := c.x0 - end; gap > 0.06*c.size && gap < 0.2*c.size {
				fs, err := inst.FPDFText_GetFontSize(&requests.FPDFText_GetFontSize{TextPage: tp, Index: j})
				if err != nil {
					return nil, err
				}
				c.fontSize = fs.FontSize
			}
		}
		if k := len(chars) - 1; k >= 0 && chars[k].realSpace && c.x0 < chars[k].spaceMid {
			// the box starts before the space's middle: where is the
			// letter placed? (an italic f overhangs its origin)
			o, err := inst.FPDFText_GetCharOrigin(&requests.FPDFText_GetCharOrigin{TextPage: tp, Index: j})
			if err != nil {
				return nil, err
			}
			c.origin = alongLine(c.angle, o.X, o.Y)
		}
		// unmapped glyphs are sampled: one character in eight is checked
		if r == 0 || r == unicode.ReplacementChar {
			c.badMapping = true
		} else if j%8 == 0 {
			me, err := inst.FPDFText_HasUnicodeMapError(&requests.FPDFText_HasUnicodeMapError{TextPage: tp, Index: j})
			if err != nil {
				return nil, err
			}
			c.badMapping = me.HasUnicodeMapError
		}
		chars = append(chars, c)
	}
	for k := range chars {
		if utf16.IsSurrogate(chars[k].r) { // a half without its pair
			chars[k].r = unicode.ReplacementChar
		}
	}
	unmirror(chars)
	return combineAccents(chars), nil
}

// clearGap is the gap, in box heights, above which a space character
// between two letters of a line needs no look: the gap alone makes the
// word space.
const clearGap = 0.15

// lookAtSpace reads the space character at index j, between prev and the
// letter c after it, when the gap between them is doubtful: a space of
// the document marks prev (realSpace, its middle), a space the engine
// generated tells where prev's advance ends when prev's box runs past it.
func lookAtSpace(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, j int, prev *pdfChar, c pdfChar) error {
	if prev.angle != c.angle || math.Abs(c.y-prev.y) > 0.5*c.size || c.x0-prev.x1 > clearGap*c.size {
		return nil // another line, or a clear word gap
	}
	g, err := inst.FPDFText_IsGenerated(&requests.FPDFText_IsGenerated{TextPage: tp, Index: j})
	if err != nil {
		return err
	}
	box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp, Index: j})
	if err != nil {
		return err
	}
	sp := placeChar(' ', prev.angle, box.Rect.Left, box.Rect.Right, box.Rect.Bottom, box.Rect.Top)
	if g.IsGenerated {
		// the engine's space starts where the letter before it ends its
		// advance, inside an overhanging f
		if sp.x0 > prev.x0 && sp.x0 < prev.x1 {
			prev.advanceEnd, prev.hasAdvance = sp.x0, true
		}
		return nil
	}
	prev.realSpace, prev.spaceMid = true, (sp.x0+sp.x1)/2
	return nil
}

// unmirror turns back to upright the characters PDFium reports as upside
// down (180°) while they run left to right on the page: text drawn through
// a mirrored matrix, whose angle comes out as a half turn although it reads
// normally (Paclitaxel.PDF of the corpus lost every word space to it).
// Upside-down text runs right to left on the page and is kept.
func unmirror(chars []pdfChar) {
	forward, backward := 0, 0
	for k := 1; k < len(chars); k++ {
		p, c := chars[k-1], chars[k]
		if p.angle != 2 || c.angle != 2 || math.Abs(c.y-p.y) > 0.5*c.size {
			continue
		}
		if c.x0 < p.x0 {
			backward++ // in the half-turned frame: rightwards on the page
		} else {
			forward++
		}
	}
	if backward <= forward {
		return
	}
	for k, c := range chars {
		if c.angle == 2 {
			chars[k].angle, chars[k].x0, chars[k].x1, chars[k].y = 0, -c.x1, -c.x0, -c.y
			chars[k].origin, chars[k].spaceMid, chars[k].hasAdvance = -c.x1, -c.spaceMid, false
			if c.origin != c.x0 { // read from the engine
				chars[k].origin = -c.origin
			}
		}
	}
}

// continuesLine reports whether a box follows the upright character prev
// on its line: the same baseline band, a little further right.
func continuesLine(prev pdfChar, left, bottom, top float32) bool {
	if prev.angle != 0 {
		return false
	}
	y := float64(bottom+top) / 2
	x := float64(left)
	return math.Abs(y-prev.y) < 0.25*prev.size && x >= prev.x0 && x-prev.x1 < 3*prev.size
}

// placeChar turns a box in page space into a pdfChar in the frame of the
// character's direction, so that rotated text is laid out as lines too.
func placeChar(r rune, angle float64, left, right, bottom, top float32) pdfChar {
	// snap to the nearest quarter turn: text at 0°, 90°, 180° or 270°
	q := int(math.Round(angle/(math.Pi/2))) & 3
	l, rt, bt, tp := float64(left), float64(right), float64(bottom), float64(top)
	c := pdfChar{r: r, angle: float64(q)}
	switch q {
	case 0:
		c.x0, c.x1, c.y, c.size = l, rt, (bt+tp)/2, tp-bt
	case 3: // PDFium measures angles clockwise: bottom to top
		c.x0, c.x1, c.y, c.size = bt, tp, -(l+rt)/2, rt-l
	case 2:
		c.x0, c.x1, c.y, c.size = -rt, -l, -(bt+tp)/2, tp-bt
	case 1: // top to bottom
		c.x0, c.x1, c.y, c.size = -tp, -bt, (l+rt)/2, rt-l
	}
	c.size = math.Abs(c.size)
	c.origin = c.x0
	return c
}

// wordGap is the gap before c above which a word space is written: a
// tenth of the type size when it is known, else 0.12 of the box's height.
func wordGap(c pdfChar, size, lineSize float64) float64 {
	if c.fontSize > 0 {
		return 0.1 * c.fontSize
	}
	return 0.12 * math.Min(size, lineSize)
}

// alongLine gives the position of page point (x, y) along a line turned
// q quarter turns, in the frame placeChar uses.
func alongLine(q, x, y float64) float64 {
	switch q {
	case 3:
		return y
	case 2:
		return -x
	case 1:
		return -y
	}
	return x
}

// layoutChars rebuilds the lines of a page: a character far from the line's
// baseline, turned another way or well behind the last one starts a new
// line; a gap wider than a tenth of the type size, or a space character
// of the document that does not overlap the letters, is a word space; a
// wide gap is a tab (a column).
func layoutChars(chars []pdfChar) []pdfLine {
	var lines []pdfLine
	var cur strings.Builder
	var lineY, lineSize, lastEnd, prevY, prevSize, angle float64
	started, space := false, false
	spaceMid := 0.0
	prevY = math.NaN()
	// the line's characters, for a line with right-to-left letters
	var line []pdfChar
	rtl := false
	flush := func() {
		text := cur.String()
		if rtl {
			text = bidiLineText(line)
		}
		line, rtl = line[:0], false
		if t := strings.TrimSpace(text); t != "" {
			lines = append(lines, pdfLine{text: t, size: lineSize, gapBefore: paragraphGap(prevY, prevSize, lineY, lineSize)})
			prevY, prevSize = lineY, lineSize
		}
		cur.Reset()
		started = false
	}
	for _, c := range chars {
		size := math.Max(c.size, 1)
		if started {
			tol := 0.5 * math.Min(size, lineSize)
			// right-to-left letters run leftwards: only the baseline
			// tells a new line
			back := c.x0 < lastEnd-2*lineSize && !rtl && !isRTL(c.r)
			if c.angle != angle || math.Abs(c.y-lineY) > tol || back {
				flush()
			}
		}
		if !started {
			started, space = true, false
			lineY, lineSize, angle = c.y, size, c.angle
		} else {
			gap := c.x0 - lastEnd
			switch {
			case gap > 2.5*lineSize:
				cur.WriteByte('\t')
			case space && gap > 0 && c.origin >= spaceMid || gap > wordGap(c, size, lineSize):
				// a space character drawn over the letters around it is
				// not one: troff sets a space, then places the next letter
				// over it ("Sor ting")
				cur.WriteByte(' ')
			}
			lineSize = math.Max(lineSize, size)
		}
		cur.WriteRune(c.r)
		cur.WriteString(c.marks)
		line = append(line, c)
		rtl = rtl || isRTL(c.r)
		lastEnd = math.Max(c.x1, c.x0)
		if c.hasAdvance {
			lastEnd = c.advanceEnd
		}
		space, spaceMid = c.realSpace, c.spaceMid
	}
	flush()
	for i := range lines {
		lines[i].size = typeSize(lines[i].size)
	}
	return lines
}

// paragraphGap reports whether a line at y, of box height size, is further
// from the line before (at prevY, NaN for none) than line spacing: a new
// paragraph.
func paragraphGap(prevY, prevSize, y, size float64) bool {
	return !math.IsNaN(prevY) && math.Abs(y-prevY) > 1.6*math.Max(prevSize, size)
}

// typeSize turns the height of a character's loose box into its type size,
// to the half point: the box is about 1.2 times the type size.
func typeSize(boxHeight float64) float64 {
	return math.Round(boxHeight/1.2*2) / 2
}

// badRune reports a character that is no text: unmapped, private-use or a
// control character (but tab, and 2, PDFium's mark of a hyphen at a line end).
func badRune(r rune) bool {
	return r == 0 || r == unicode.ReplacementChar || unicode.Is(unicode.Co, r) || unicode.IsControl(r) && r != '\t' && r != 2
}

// usableText reports whether the characters of a page read as text: not
// mostly unmapped glyphs, control characters or private-use codes.
func usableText(chars []pdfChar) bool {
	total, bad := 0, 0
	for i, c := range chars {
		total++
		// badMapping is known for one character in eight: count it eight times
		if c.badMapping && i%8 == 0 {
			bad += 8
		} else if badRune(c.r) {
			bad++
		}
	}
	return total < 10 || bad*3 < total
}
