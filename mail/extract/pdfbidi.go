package extract

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Right-to-left text. PDFium gives a line's characters in the order of
// the page's drawing, which for Arabic or Hebrew is sometimes logical,
// sometimes visual, word by word; gaps measured left to right then lose
// every word space ("السيدمحمد"). A line with right-to-left letters is
// therefore read as pdftotext reads it: characters in visual order (left
// to right), words cut by the gaps, then put in logical order — letters
// of a right-to-left word reversed (marks kept after their letter), runs
// of right-to-left words reversed in a left-to-right line, and the
// reverse in a mostly right-to-left line.

// isRTL reports a letter of a right-to-left script.
func isRTL(r rune) bool {
	return unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko) && !unicode.IsDigit(r)
}

// bidiWord is a word of a line, in visual order.
type bidiWord struct {
	chars []pdfChar
	rtl   bool
	sep   string // what separates it from the next word on the page
}

// bidiLineText gives a line holding right-to-left letters in logical order.
func bidiLineText(chars []pdfChar) string {
	vis := slices.Clone(chars)
	slices.SortStableFunc(vis, func(a, b pdfChar) int {
		return cmpFloat((a.x0+a.x1)/2, (b.x0+b.x1)/2)
	})
	var words []bidiWord
	var cur []pdfChar
	right, size := math.Inf(-1), 1.0
	rtlLetters, ltrLetters := 0, 0
	end := func(sep string) {
		if len(cur) > 0 {
			w := bidiWord{chars: cur, sep: sep}
			for _, c := range cur {
				w.rtl = w.rtl || isRTL(c.r)
			}
			words = append(words, w)
		}
		cur = nil
	}
	for _, c := range vis {
		size = math.Max(size, c.size)
		if len(cur) > 0 && !unicode.Is(unicode.Mn, c.r) {
			switch gap := c.x0 - right; {
			case gap > 2.5*size:
				end("\t")
			case gap > wordGap(c, c.size, size):
				end(" ")
			case isRTL(c.r) != isRTL(lastBase(cur)):
				// punctuation against a right-to-left word belongs to
				// the text around it ("محمد," in a French line)
				end("")
			}
		}
		cur = append(cur, c)
		right = math.Max(right, c.x1)
		switch {
		case isRTL(c.r):
			rtlLetters++
		case unicode.IsLetter(c.r):
			ltrLetters++
		}
	}
	end("")
	// runs of words against the line's direction keep their own order
	base := rtlLetters > ltrLetters
	var order []int
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && words[j].rtl != base {
			j++
		}
		if j == i { // a word of the line's direction
			order = append(order, i)
			i++
			continue
		}
		if base { // left-to-right run in right-to-left text: kept as read
			for k := i; k < j; k++ {
				order = append(order, k)
			}
		} else { // right-to-left run: reversed
			for k := j - 1; k >= i; k-- {
				order = append(order, k)
			}
		}
		i = j
	}
	if base {
		// a right-to-left line reads from the right: reverse the runs,
		// keeping each left-to-right run's order
		order = reverseRuns(order, words)
	}
	var sb strings.Builder
	for n, i := range order {
		if n > 0 {
			sb.WriteString(sepBetween(words, order[n-1], i))
		}
		writeWord(&sb, words[i])
	}
	return sb.String()
}

// sepBetween is what to write between words a and b, now neighbours in
// logical order: the page's separator when they were neighbours on the
// page; around a reversed run, the separator on that side of the run.
func sepBetween(words []bidiWord, a, b int) string {
	switch {
	case a+1 == b:
		return words[a].sep
	case b+1 == a:
		return words[b].sep
	case a < b && words[a].rtl != words[b].rtl && words[a].rtl == words[b-1].rtl:
		// a ends a reversed run, b is the word after it on the page
		return words[b-1].sep
	case a < b: // b starts a reversed run, a is the word before it
		return words[a].sep
	}
	return " "
}

// lastBase is the last character of a word that is not a mark.
func lastBase(cs []pdfChar) rune {
	for k := len(cs) - 1; k >= 0; k-- {
		if !unicode.Is(unicode.Mn, cs[k].r) {
			return cs[k].r
		}
	}
	return 0
}

// reverseRuns reverses the order of the words of a right-to-left line,
// where each left-to-right run (consecutive ascending indices of
// non-right-to-left words) stays in its order.
func reverseRuns(order []int, words []bidiWord) []int {
	var runs [][]int
	for n := 0; n < len(order); {
		m := n + 1
		for m < len(order) && !words[order[n]].rtl && !words[order[m]].rtl && order[m] == order[m-1]+1 {
			m++
		}
		runs = append(runs, order[n:m])
		n = m
	}
	out := make([]int, 0, len(order))
	for k := len(runs) - 1; k >= 0; k-- {
		out = append(out, runs[k]...)
	}
	return out
}

// writeWord writes a word in logical order: a right-to-left word's
// letters from the right, each followed by the marks drawn over it.
func writeWord(sb *strings.Builder, w bidiWord) {
	if !w.rtl {
		for _, c := range w.chars {
			sb.WriteRune(c.r)
			sb.WriteString(c.marks)
		}
		return
	}
	// each mark goes with the letter whose box holds its middle
	base := make([]int, 0, len(w.chars))
	marks := map[int][]rune{}
	for i, c := range w.chars {
		if !unicode.Is(unicode.Mn, c.r) {
			base = append(base, i)
		}
	}
	for _, c := range w.chars {
		if !unicode.Is(unicode.Mn, c.r) {
			continue
		}
		mid, best, dist := (c.x0+c.x1)/2, -1, math.Inf(1)
		for _, b := range base {
			l := w.chars[b]
			if d := math.Abs((l.x0+l.x1)/2 - mid); d < dist {
				best, dist = b, d
			}
		}
		marks[best] = append(marks[best], c.r)
	}
	if len(base) == 0 { // marks alone
		for _, c := range w.chars {
			sb.WriteRune(c.r)
		}
		return
	}
	for k := len(base) - 1; k >= 0; k-- {
		c := w.chars[base[k]]
		sb.WriteRune(c.r)
		sb.WriteString(c.marks)
		sb.WriteString(string(marks[base[k]]))
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
